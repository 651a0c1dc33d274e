package dev.weft.bench.device;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceTargetsTest {

    private static Result throughput(String impl, double value) {
        return Result.measured("submit-1p", impl, "throughput", "ops/s", true, List.of(value));
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.contains(start)).findFirst().orElseThrow(() ->
                new AssertionError("no line with '" + start + "' in\n" + text));
    }

    @Test
    void abqTargetNeedsOneAndAHalfTimesItsThroughput() {
        String met = DeviceTargets.render(new SuiteReport("device", true, "25", 2,
                List.of(throughput("weft", 150), throughput("abq", 100))));
        String missed = DeviceTargets.render(new SuiteReport("device", true, "25", 2,
                List.of(throughput("weft", 149), throughput("abq", 100))));

        assertTrue(line(met, "weft >= 1.5x abq").endsWith("met"), met);
        assertTrue(line(missed, "weft >= 1.5x abq").contains("missed"), missed);
    }

    @Test
    void fastPeerTargetComparesWithTheBestOfThem() {
        String text = DeviceTargets.render(new SuiteReport("device", true, "25", 2, List.of(
                throughput("weft", 120), throughput("disruptor", 100), throughput("jctools", 130),
                throughput("agrona", 90))));

        String line = line(text, "best of disruptor/jctools/agrona");
        assertTrue(line.contains("(jctools)") && line.contains("0.92x") && line.contains("missed"), line);
    }

    @Test
    void roundTripTargetIsTwoMicroseconds() {
        Result p50 = Result.measured("roundtrip", "weft", "p50", "ns", false, List.of(2_100.0));
        String text = DeviceTargets.render(new SuiteReport("device", true, "25", 2, List.of(p50)));

        assertTrue(line(text, "weft <= 2 µs").contains("missed"), text);
    }

    @Test
    void targetWithoutMeasurementsSaysSo() {
        Result skipped = Result.skipped("submit-1p", "abq", "cannot run here");
        String text = DeviceTargets.render(new SuiteReport("device", true, "25", 2,
                List.of(throughput("weft", 100), skipped)));

        assertTrue(line(text, "weft >= 1.5x abq").contains("n/a"), text);
        assertTrue(line(text, "weft <= 2 µs").contains("n/a"), text);
    }
}
