package dev.weft.bench.net;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class NetTargetsTest {

    private static final String CASE = "echo-64b-100c";

    private static Result throughput(String impl, double value) {
        return Result.measured(CASE, impl, "throughput", "msgs/s", true, List.of(value));
    }

    private static Result p99(String impl, double value) {
        return Result.measured(CASE, impl, "p99", "ns", false, List.of(value));
    }

    private static Result idleCpu(String impl, double percent) {
        return Result.measured("idle-100c", impl, "cpu", "%core", false, List.of(percent));
    }

    private static String render(Result... results) {
        return NetTargets.render(new SuiteReport("net", true, "25", 2, List.of(results)));
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.contains(start)).findFirst().orElseThrow(() ->
                new AssertionError("no line with '" + start + "' in\n" + text));
    }

    @Test
    void weftNeedsOnePointTwoTimesNettyUringAndOnePointThreeTimesNettyEpoll() {
        String text = render(throughput("weft", 125), throughput("netty-uring", 100),
                throughput("netty-epoll", 100));

        assertTrue(line(text, "throughput: weft >= 1.2x netty-uring").contains("met"), text);
        assertTrue(line(text, "throughput: weft >= 1.3x netty-epoll").contains("missed"), text);
    }

    @Test
    void weftP99MayNotExceedNettyUrings() {
        String met = render(p99("weft", 1_000), p99("netty-uring", 1_000));
        String missed = render(p99("weft", 1_001), p99("netty-uring", 1_000));

        assertTrue(line(met, "p99: weft <= netty-uring").contains("met"), met);
        assertTrue(line(missed, "p99: weft <= netty-uring").contains("missed"), missed);
    }

    @Test
    void nioFallbackNeedsFourFifthsOfNettyEpoll() {
        String met = render(throughput("weft-nio", 80), throughput("netty-epoll", 100));
        String missed = render(throughput("weft-nio", 79), throughput("netty-epoll", 100));

        assertTrue(line(met, "throughput: weft-nio >= 0.8x netty-epoll").contains("met"), met);
        assertTrue(line(missed, "throughput: weft-nio >= 0.8x netty-epoll").contains("missed"), missed);
    }

    @Test
    void targetsWithoutWeftSayItWasNotMeasured() {
        String text = render(throughput("netty-uring", 100), Result.skipped(CASE, "weft", "not built"));

        assertTrue(line(text, "throughput: weft >= 1.2x netty-uring").contains("n/a"), text);
        assertTrue(line(text, "p99: weft <= netty-uring").contains("n/a"), text);
    }

    @Test
    void idleWeftAndWeftNioMustStayBelowOnePercentOfACore() {
        String text = render(idleCpu("weft", 0.99), idleCpu("weft-nio", 1.0), idleCpu("netty-epoll", 0.1));

        assertTrue(line(text, "idle-100c cpu: weft < 1% of a core").matches(".*0\\.99 %core +met.*"), text);
        assertTrue(line(text, "idle-100c cpu: weft-nio < 1% of a core").matches(".*1\\.00 %core +missed.*"), text);
    }

    @Test
    void idleTargetsJudgeTheWholeJvmsCpuNotTheServerThreadsAlone() {
        String text = render(idleCpu("weft", 2.5),
                Result.measured("idle-100c", "weft", "cpu-threads", "%core", false, List.of(0.1)));

        assertTrue(line(text, "idle-100c cpu: weft < 1% of a core").contains("missed"), text);
    }

    @Test
    void idleTargetWithoutAFigureSaysItWasNotMeasured() {
        String text = render(idleCpu("weft", 0.2), Result.skipped("idle-100c", "weft-nio", "no NIO here"));

        assertTrue(line(text, "idle-100c cpu: weft < 1% of a core").contains("met"), text);
        assertTrue(line(text, "idle-100c cpu: weft-nio < 1% of a core").contains("n/a (not measured)"), text);
    }
}
