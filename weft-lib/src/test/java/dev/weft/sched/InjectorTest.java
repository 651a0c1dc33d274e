package dev.weft.sched;

import dev.weft.sched.RunQueueTest.Item;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single-threaded specification of the injector; concurrency is in {@link InjectorLincheckTest}
 * and {@link InjectorStressTest}. A push in flight and a flag held by another worker are set up
 * by doing the first half of a push, or the flag's CAS, by hand.
 */
class InjectorTest {

    @Test
    void pollsInPushOrder() {
        Injector inj = filled(new Injector(), 0, 5);
        assertEquals(List.of(0, 1, 2, 3, 4), drain(inj));
    }

    @Test
    void pushAllAddsABatchInOrderBetweenSinglePushes() {
        Injector inj = filled(new Injector(), 0, 2);
        Runnable[] batch = {new Item(2), new Item(3), new Item(4), null};
        inj.pushAll(batch, 3);
        inj.push(new Item(5));
        inj.pushAll(batch, 0);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), drain(inj));
        assertTrue(inj.isEmpty());
    }

    @Test
    void pushAllWithANullAddsNothing() {
        Injector inj = new Injector();
        Runnable[] batch = {new Item(1), null};
        NullPointerException e = assertThrows(NullPointerException.class, () -> inj.pushAll(batch, 2));
        assertEquals("task", e.getMessage());
        assertTrue(inj.isEmpty());
    }

    @Test
    void pollOnEmptyReturnsNull() {
        Injector inj = new Injector();
        assertNull(inj.poll());
        inj.push(new Item(1));
        inj.poll();
        assertNull(inj.poll());
    }

    @Test
    void tasksPushedAfterTheInjectorEmptiedAreTaken() {
        Injector inj = filled(new Injector(), 0, 2);
        assertEquals(List.of(0, 1), drain(inj));
        filled(inj, 2, 3);
        assertEquals(List.of(2, 3, 4), drain(inj));
    }

    @Test
    void pushRejectsNullNamingTheTask() {
        Injector inj = new Injector();
        NullPointerException e = assertThrows(NullPointerException.class, () -> inj.push(null));
        assertEquals("task", e.getMessage());
        assertTrue(inj.isEmpty());
    }

    @Test
    void isEmptyFollowsPushesAndTakes() {
        Injector inj = new Injector();
        assertTrue(inj.isEmpty());
        filled(inj, 0, 2);
        assertFalse(inj.isEmpty());
        inj.poll();
        assertFalse(inj.isEmpty());
        inj.poll();
        assertTrue(inj.isEmpty());
        inj.push(new Item(2));
        assertFalse(inj.isEmpty());
        assertEquals(1, inj.pollInto(new RunQueue(4), 4));
        assertTrue(inj.isEmpty());
    }

    @Test
    void pollIntoMovesAtMostMaxInOrder() {
        Injector inj = filled(new Injector(), 0, 10);
        RunQueue ring = new RunQueue(16);
        assertEquals(4, inj.pollInto(ring, 4));
        assertEquals(List.of(0, 1, 2, 3), RunQueueTest.drain(ring));
        assertEquals(List.of(4, 5, 6, 7, 8, 9), drain(inj));
    }

    @Test
    void pollIntoMovesEverythingWhenMaxIsLarger() {
        Injector inj = filled(new Injector(), 0, 3);
        RunQueue ring = new RunQueue(16);
        assertEquals(3, inj.pollInto(ring, 100));
        assertEquals(List.of(0, 1, 2), RunQueueTest.drain(ring));
        assertTrue(inj.isEmpty());
    }

    @Test
    void pollIntoStopsAtTheRingsFreeSpaceAndQueuesBehindItsTasks() {
        Injector inj = filled(new Injector(), 0, 10);
        RunQueue ring = new RunQueue(8);
        for (int i = 100; i < 105; i++) {
            ring.push(new Item(i));
        }
        assertEquals(3, inj.pollInto(ring, 10));
        assertEquals(List.of(100, 101, 102, 103, 104, 0, 1, 2), RunQueueTest.drain(ring));
        assertEquals(List.of(3, 4, 5, 6, 7, 8, 9), drain(inj), "the task the full ring refused stays first");
    }

    @Test
    void pollIntoAFullRingMovesNothing() {
        Injector inj = filled(new Injector(), 0, 2);
        RunQueue ring = new RunQueue(2);
        ring.push(new Item(100));
        ring.push(new Item(101));
        assertEquals(0, inj.pollInto(ring, 2));
        assertEquals(List.of(100, 101), RunQueueTest.drain(ring));
        assertEquals(List.of(0, 1), drain(inj));
    }

    @Test
    void pollIntoFromAnEmptyInjectorMovesNothing() {
        RunQueue ring = new RunQueue(4);
        assertEquals(0, new Injector().pollInto(ring, 4));
        assertTrue(ring.isEmpty());
    }

    @Test
    void pollIntoWithMaxZeroMovesNothingAndNegativeMaxIsRejected() {
        Injector inj = filled(new Injector(), 0, 1);
        RunQueue ring = new RunQueue(4);
        assertEquals(0, inj.pollInto(ring, 0));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> inj.pollInto(ring, -1));
        assertTrue(e.getMessage().contains("was -1"), e.getMessage());
        assertEquals(List.of(0), drain(inj));
    }

    @Test
    void aPushInFlightMakesIsEmptyFalseButCannotBePolledYet() {
        Injector inj = new Injector();
        InFlight push = swapIn(inj, new Item(1));
        assertFalse(inj.isEmpty(), "a worker must not sleep while a task is on its way in");
        assertNull(inj.poll());
        assertEquals(0, inj.pollInto(new RunQueue(4), 4));
        push.link();
        assertFalse(inj.isEmpty());
        assertEquals(List.of(1), drain(inj));
        assertTrue(inj.isEmpty());
    }

    @Test
    void tasksPushedBehindAPushInFlightWaitForItsLink() {
        Injector inj = filled(new Injector(), 0, 1);
        InFlight push = swapIn(inj, new Item(1));
        inj.push(new Item(2)); // complete, but linked behind the node of 1
        RunQueue ring = new RunQueue(8);
        assertEquals(1, inj.pollInto(ring, 8), "stops at the missing link");
        assertEquals(List.of(0), RunQueueTest.drain(ring));
        assertNull(inj.poll());
        assertFalse(inj.isEmpty());
        push.link();
        assertEquals(List.of(1, 2), drain(inj));
    }

    @Test
    void whileAnotherWorkerHoldsTheFlagNothingIsTakenAndIsEmptyIsFalse() {
        Injector inj = filled(new Injector(), 0, 2);
        assertTrue(Injector.CONSUMING.compareAndSet(inj, 0, 1));
        assertNull(inj.poll());
        assertEquals(0, inj.pollInto(new RunQueue(4), 4));
        assertFalse(inj.isEmpty());
        Injector.CONSUMING.setRelease(inj, 0);
        assertEquals(List.of(0, 1), drain(inj));
    }

    @Test
    void takingReleasesTheFlag() {
        Injector inj = filled(new Injector(), 0, 3);
        inj.poll();
        assertEquals(0, (int) Injector.CONSUMING.getVolatile(inj));
        inj.pollInto(new RunQueue(2), 1);
        assertEquals(0, (int) Injector.CONSUMING.getVolatile(inj));
        inj.pollInto(new RunQueue(2), 0);
        inj.poll(); // takes the last one
        inj.poll(); // nothing linked
        assertEquals(0, (int) Injector.CONSUMING.getVolatile(inj));
    }

    @Test
    void aTakenTaskIsNotKeptReachable() {
        Injector inj = filled(new Injector(), 0, 3);
        InjectorNode first = (InjectorNode) Injector.HEAD.getVolatile(inj);
        inj.poll();
        InjectorNode sentinel = (InjectorNode) Injector.HEAD.getVolatile(inj);
        assertNull(sentinel.item, "the new sentinel's task was taken");
        assertSame(first, first.next, "the old sentinel is linked to itself, not to newer nodes");
        inj.pollInto(new RunQueue(4), 2);
        assertNull(((InjectorNode) Injector.HEAD.getVolatile(inj)).item);
        assertSame(sentinel, sentinel.next);
    }

    // ---------------------------------------------------------------------------------------

    private static Injector filled(Injector inj, int first, int count) {
        for (int i = first; i < first + count; i++) {
            inj.push(new Item(i));
        }
        return inj;
    }

    /** Polls until null; the tasks' values, oldest first. */
    static List<Integer> drain(Injector inj) {
        List<Integer> got = new ArrayList<>();
        for (Runnable r; (r = inj.poll()) != null; ) {
            got.add(((Item) r).value());
        }
        return got;
    }

    /** A push stopped between its two steps: its node swapped in as the tail, not yet linked. */
    private record InFlight(InjectorNode prev, InjectorNode node) {
        /** The second step of the push. */
        void link() {
            InjectorNode.NEXT.setRelease(prev, node);
        }
    }

    /** The first step of {@link Injector#push}: the swap of the tail. */
    private static InFlight swapIn(Injector inj, Runnable task) {
        InjectorNode node = new InjectorNode(task);
        return new InFlight((InjectorNode) Injector.TAIL.getAndSet(inj, node), node);
    }
}
