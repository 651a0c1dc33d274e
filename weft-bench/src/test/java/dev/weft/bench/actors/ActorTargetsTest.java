package dev.weft.bench.actors;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ActorTargetsTest {

    private static Result throughput(String c, String impl, double value) {
        return Result.measured(c, impl, "throughput", "msgs/s", true, List.of(value));
    }

    private static Result bytes(String impl, double value) {
        return Result.measured("idle-bytes", impl, "bytes", "B", false, List.of(value));
    }

    private static String render(Result... results) {
        return ActorTargets.render(new SuiteReport("actors", true, "25", 2, new ArrayList<>(List.of(results))));
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.contains(start)).findFirst().orElseThrow(() ->
                new AssertionError("no line with '" + start + "' in\n" + text));
    }

    @Test
    void savinaTargetSetsTheFasterWeftStyleAgainstTheBestPekkoConfiguration() {
        String met = render(throughput("big", "weft-proc", 150), throughput("big", "weft-handler", 210),
                throughput("big", "pekko", 100), throughput("big", "pekko-tuned", 105));
        String missed = render(throughput("big", "weft-proc", 150), throughput("big", "weft-handler", 209),
                throughput("big", "pekko", 100), throughput("big", "pekko-tuned", 105));

        String l = line(met, "big: faster weft style >= 2x best pekko (weft-handler vs pekko-tuned)");
        assertTrue(l.contains("2.00x") && l.contains("met"), met);
        assertTrue(line(missed, "big: faster weft style").contains("missed"), missed);
    }

    @Test
    void threadRingTargetIsOneAndAHalfTimesErlang() {
        String met = render(throughput("thread-ring", "weft-proc", 150), throughput("thread-ring", "erlang", 100));
        String missed = render(throughput("thread-ring", "weft-proc", 149), throughput("thread-ring", "erlang", 100));

        assertTrue(line(met, "thread-ring: faster weft style >= 1.5x erlang (weft-proc vs erlang)").contains("met"), met);
        assertTrue(line(missed, "thread-ring: faster weft style >= 1.5x erlang").contains("missed"), missed);
    }

    @Test
    void idleHandlerActorMayTakeAtMost256BytesAndIdleProcessActor1200() {
        String met = render(bytes("weft-handler", 256), bytes("weft-proc", 1_200));
        String missed = render(bytes("weft-handler", 257), bytes("weft-proc", 1_201));

        assertTrue(line(met, "an idle weft-handler actor <= 256 B").contains("met"), met);
        assertTrue(line(met, "an idle weft-proc actor <= 1.2 KB").contains("met"), met);
        assertTrue(line(missed, "an idle weft-handler actor <= 256 B").contains("missed"), missed);
        assertTrue(line(missed, "an idle weft-proc actor <= 1.2 KB").contains("missed"), missed);
    }

    @Test
    void spawnExitTargetIsTwoMillionActorsPerSecondForTheFasterStyle() {
        String met = render(Result.measured("spawn-exit", "weft-proc", "throughput", "actors/s", true, List.of(1e6)),
                Result.measured("spawn-exit", "weft-handler", "throughput", "actors/s", true, List.of(2e6)));
        String missed = render(Result.measured("spawn-exit", "weft-proc", "throughput", "actors/s", true,
                List.of(1.99e6)));

        assertTrue(line(met, "spawn-exit: faster weft style >= 2x10^6 actors/s (weft-handler)").contains("met"), met);
        assertTrue(line(missed, "spawn-exit: faster weft style >= 2x10^6 actors/s (weft-proc)").contains("missed"),
                missed);
    }

    @Test
    void targetWithoutMeasurementsSaysSo() {
        String text = render(throughput("counting", "weft-proc", 100), Result.skipped("counting", "pekko", "hung"));

        assertTrue(line(text, "counting: faster weft style").contains("n/a (peer not measured)"), text);
        assertTrue(line(text, "spawn-exit: faster weft style").contains("n/a (not measured)"), text);
        assertTrue(line(text, "thread-ring: faster weft style").contains("n/a (weft not measured)"), text);
    }
}
