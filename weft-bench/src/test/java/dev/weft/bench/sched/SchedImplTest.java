package dev.weft.bench.sched;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each implementation's workloads compute what the suite checks them against, at tiny sizes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SchedImplTest {

    static final SchedSizes TINY = new SchedSizes(1_000, 10, 200, 300, 20, 10, 200, 16, 100, 2, 3, 500);

    private static final Map<String, SchedImpl> IMPLS = new LinkedHashMap<>();

    @BeforeAll
    static void open() {
        for (String name : SchedSuite.IMPLS) {
            IMPLS.put(name, SchedSuite.standardImpl(name, 2));
        }
    }

    @AfterAll
    static void close() {
        IMPLS.values().forEach(SchedImpl::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"weft", "weft-dedicated", "jdk-vt", "fjp"})
    void everyThroughputCaseComputesItsExpectedValue(String name) throws Exception {
        SchedImpl impl = IMPLS.get(name);
        for (SchedCase c : SchedCase.of(SchedCase.Kind.THROUGHPUT)) {
            assertEquals(c.expected(TINY), c.run(impl, TINY), c.id() + " on " + name);
        }
    }

    @Test
    void skynetOfAMillionLeavesSumsToTheKnownValue() {
        SchedSizes issue = SchedPlan.FULL.sizes();

        assertEquals(499_999_500_000L, SchedCase.SKYNET.expected(issue));
        assertEquals(1_111_111L, SchedCase.SKYNET.operations(issue));
    }

    @ParameterizedTest
    @ValueSource(strings = {"weft", "weft-dedicated", "jdk-vt"})
    void everySleepIsRecordedAndNoneWakesEarly(String name) throws Exception {
        TimerLateness lateness = new TimerLateness();

        long sleeps = IMPLS.get(name).sleepLateness(2, 3, 42, lateness);

        assertEquals(6, sleeps);
        assertEquals(6, lateness.histogram().getTotalCount());
        assertEquals(0, lateness.early());
    }

    @ParameterizedTest
    @EnumSource(SchedImpl.Hold.class)
    void heldWeftTasksAllEndOnceReleased(SchedImpl.Hold how) throws Exception {
        assertAllEnd(IMPLS.get("weft"), how);
    }

    @ParameterizedTest
    @EnumSource(SchedImpl.Hold.class)
    void heldDedicatedWeftTasksAllEndOnceReleased(SchedImpl.Hold how) throws Exception {
        assertAllEnd(IMPLS.get("weft-dedicated"), how);
    }

    @ParameterizedTest
    @EnumSource(SchedImpl.Hold.class)
    void heldVirtualThreadsAllEndOnceReleased(SchedImpl.Hold how) throws Exception {
        assertAllEnd(IMPLS.get("jdk-vt"), how);
    }

    private static void assertAllEnd(SchedImpl impl, SchedImpl.Hold how) throws Exception {
        SchedImpl.HeldTasks held = impl.hold(TINY.heldTasks(), how);

        held.start(Duration.ofSeconds(10));

        assertEquals(TINY.heldTasks(), held.release());
    }

    @Test
    void forkJoinPoolSkipsTheCasesThatNeedATaskToParkWithTheReason() {
        SchedImpl fjp = IMPLS.get("fjp");

        for (SchedCase c : List.of(SchedCase.TIMER, SchedCase.PARKED, SchedCase.TIMERS_MEMORY)) {
            assertTrue(fjp.unsupported(c).orElseThrow().contains("ForkJoinPool task cannot"), c.id());
        }
        for (SchedCase c : SchedCase.of(SchedCase.Kind.THROUGHPUT)) {
            assertTrue(fjp.unsupported(c).isEmpty(), c.id());
        }
    }

    @Test
    void handOffDeliversEveryValueInOrderBetweenTwoThreads() throws Exception {
        HandOff there = new HandOff();
        HandOff back = new HandOff();
        long[] pong = new long[1];
        Thread t = Thread.ofPlatform().start(() -> pong[0] = PingPong.pong(there, back, 10_000));

        long ping = PingPong.ping(there, back, 10_000);
        t.join();

        assertEquals(10_000, ping);
        assertEquals(10_000, pong[0]);
    }
}
