package dev.weft.bench.sched;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedPlanTest {

    private static List<SchedImpl> standardImpls() {
        return SchedSuite.IMPLS.stream().map(n -> SchedSuite.standardImpl(n, 2)).toList();
    }

    @Test
    void planHasEveryCaseForEveryImplementation() {
        List<SchedSuite.Planned> plan = SchedSuite.plan(standardImpls());

        assertEquals(SchedCase.values().length * 4, plan.size());
        Set<String> cells = plan.stream().map(p -> p.sched().id() + "/" + p.impl()).collect(Collectors.toSet());
        for (SchedCase c : SchedCase.values()) {
            for (String impl : List.of("weft", "weft-dedicated", "jdk-vt", "fjp")) {
                assertTrue(cells.contains(c.id() + "/" + impl), c.id() + "/" + impl);
            }
        }
    }

    @Test
    void quickModeMeasuresEveryKindOfCaseAtLeastThreeTimes() {
        assertTrue(SchedPlan.QUICK.rounds() >= SchedPlan.MIN_ROUNDS);
        assertTrue(SchedPlan.QUICK.timerRounds() >= SchedPlan.MIN_ROUNDS);
        assertTrue(SchedPlan.QUICK.memoryRounds() >= SchedPlan.MIN_ROUNDS);
    }

    @Test
    void onlyForkJoinPoolSkipsAndOnlyWhereATaskMustPark() {
        List<SchedSuite.Planned> skipped = SchedSuite.plan(standardImpls()).stream()
                .filter(p -> p.skipped().isPresent()).toList();

        assertEquals(Set.of("timer/fjp", "parked/fjp", "timers-memory/fjp"),
                skipped.stream().map(p -> p.sched().id() + "/" + p.impl()).collect(Collectors.toSet()));
    }

    @Test
    void caseNamesAreTheOnesOfTheIssue() {
        assertEquals(List.of("skynet", "chained-spawn", "spawn-storm", "yield-many", "ping-pong", "fan-out",
                        "timer", "parked", "timers-memory"),
                java.util.Arrays.stream(SchedCase.values()).map(SchedCase::id).toList());
    }

    @Test
    void fullPlanHasTheSizesOfTheIssue() {
        SchedSizes s = SchedPlan.FULL.sizes();

        assertEquals(1_000_000, s.skynetLeaves());
        assertEquals(10, s.skynetFanOut());
        assertEquals(1_000_000, s.stormTasks());
        assertEquals(1_000, s.yieldTasks());
        assertEquals(1_000, s.yieldsEach());
        assertEquals(1_000_000, s.pingPongRoundTrips());
        assertEquals(1_000_000, s.heldTasks());
        assertEquals(2_000, s.timerSleepers() * s.timerSleepsEach());
    }

    @Test
    void skynetLeavesMustBeAPowerOfTheFanOut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SchedSizes(1_500, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));

        assertTrue(e.getMessage().contains("power of skynetFanOut"), e.getMessage());
    }
}
