package dev.weft.bench.sched;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedTargetsTest {

    private static Result throughput(String c, String impl, double value) {
        return Result.measured(c, impl, "throughput", "tasks/s", true, List.of(value));
    }

    private static Result lowerBetter(String c, String impl, String metric, String unit, double value) {
        return Result.measured(c, impl, metric, unit, false, List.of(value));
    }

    private static String render(Result... results) {
        return SchedTargets.render(new SuiteReport("sched", true, "25", 2, List.of(results)));
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.contains(start)).findFirst().orElseThrow(() ->
                new AssertionError("no line with '" + start + "' in\n" + text));
    }

    @Test
    void virtualThreadTargetNeedsOneAndAHalfTimesTheirThroughput() {
        String met = render(throughput("yield-many", "weft", 150), throughput("yield-many", "jdk-vt", 100));
        String missed = render(throughput("yield-many", "weft", 149), throughput("yield-many", "jdk-vt", 100));

        assertTrue(line(met, "yield-many throughput: weft >= 1.5x jdk-vt").endsWith("met"), met);
        assertTrue(line(missed, "yield-many throughput: weft >= 1.5x jdk-vt").contains("missed"), missed);
    }

    @Test
    void forkJoinPoolTargetIsParityOnSkynetAndSpawnStormOnly() {
        String text = render(throughput("skynet", "weft", 100), throughput("skynet", "fjp", 100),
                throughput("spawn-storm", "weft", 99), throughput("spawn-storm", "fjp", 100),
                throughput("ping-pong", "weft", 1), throughput("ping-pong", "fjp", 100));

        assertTrue(line(text, "skynet throughput: weft >= 1.0x fjp").contains("met"), text);
        assertTrue(line(text, "spawn-storm throughput: weft >= 1.0x fjp").contains("missed"), text);
        assertTrue(text.lines().noneMatch(l -> l.contains("ping-pong throughput: weft >= 1.0x fjp")), text);
    }

    @Test
    void parkedTaskMayTakeAtMostFifteenHundredBytes() {
        String met = render(lowerBetter("parked", "weft", "bytes-per-task", "B", 1_500));
        String missed = render(lowerBetter("parked", "weft", "bytes-per-task", "B", 1_501));

        assertTrue(line(met, "parked: 10^6 parked weft tasks").contains("met"), met);
        assertTrue(line(missed, "parked: 10^6 parked weft tasks").contains("missed"), missed);
    }

    @Test
    void timerP99MayBeAtMostOneMillisecondLate() {
        String met = render(lowerBetter("timer", "weft", "p99", "ns", 999_000));
        String missed = render(lowerBetter("timer", "weft", "p99", "ns", 1_200_000));

        assertTrue(line(met, "timer p99 lateness").contains("met"), met);
        assertTrue(line(missed, "timer p99 lateness").contains("missed"), missed);
    }

    @Test
    void timerMemoryTargetIsReportedAsMeasuredWithoutAVerdict() {
        String text = render(lowerBetter("timers-memory", "weft", "bytes-per-task", "B", 860));

        String line = line(text, "10^6 pending timers");
        assertTrue(line.contains("not checked") && line.contains("860 B per sleeping task"), line);
    }

    @Test
    void targetWithoutMeasurementsSaysSo() {
        String text = render(throughput("skynet", "weft", 100), Result.skipped("skynet", "jdk-vt", "hung"));

        assertTrue(line(text, "skynet throughput: weft >= 1.5x jdk-vt").contains("n/a (peer not measured)"), text);
        assertTrue(line(text, "timer p99 lateness").contains("n/a (weft not measured)"), text);
    }
}
