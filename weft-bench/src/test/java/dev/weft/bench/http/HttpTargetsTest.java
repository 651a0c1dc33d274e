package dev.weft.bench.http;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpTargetsTest {

    private static Result r(String c, String impl, String metric, double v) {
        boolean higher = metric.equals(HttpCase.THROUGHPUT);
        return Result.measured(c, impl, metric, higher ? "req/s" : "µs", higher, List.of(v));
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.trim().startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(
                "no line '" + start + "' in\n" + text));
    }

    @Test
    void eachTargetIsMetOrMissedAtItsFactor() {
        List<Result> results = new ArrayList<>();
        String c = "plaintext-c100";
        results.add(r(c, "weft", HttpCase.THROUGHPUT, 120_000));
        results.add(r(c, "nginx", HttpCase.THROUGHPUT, 120_000));     // 1.0x: met
        results.add(r(c, "netty-uring", HttpCase.THROUGHPUT, 90_000)); // the better Netty
        results.add(r(c, "netty-epoll", HttpCase.THROUGHPUT, 110_000)); // 1.09x: missed
        results.add(r(c, "helidon", HttpCase.THROUGHPUT, 70_000));     // 1.71x: met
        results.add(r(c, "weft", HttpCase.CPU_PER_OP, 9));
        results.add(r(c, "nginx", HttpCase.CPU_PER_OP, 8));             // weft uses more: missed
        String text = HttpTargets.render(new SuiteReport("http", true, "25", 2, results));

        assertTrue(line(text, c + " throughput: weft >= 1.0x nginx").contains("1.00x     met"), text);
        assertTrue(line(text, c + " throughput: weft >= 1.2x the better Netty (netty-epoll)").contains("missed"), text);
        assertTrue(line(text, c + " throughput: weft >= 1.5x helidon").contains("met"), text);
        assertTrue(line(text, c + " cpu-per-op: weft <= nginx").contains("0.89x     missed"), text);
        assertTrue(line(text, "static-4k throughput: weft >= 1.0x nginx").contains("n/a (weft not measured)"), text);
        assertEquals(HttpTargets.CASES.size() * 4, text.lines().count() - 1, text);
    }

    @Test
    void theBetterNettyIsTheOneMeasuredWhenOnlyOneIs() {
        Optional<Result> uring = Optional.of(r("json", "netty-uring", HttpCase.THROUGHPUT, 5));

        assertEquals(uring, HttpTargets.better(uring, Optional.empty()));
        assertEquals(uring, HttpTargets.better(Optional.empty(), uring));
    }
}
