package dev.weft.sched;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Single-threaded specification of the run queue; concurrency is in {@link RunQueueLincheckTest}
 * and {@link RunQueueStressTest}.
 */
class RunQueueTest {

    /** A task that only carries a number, so that tests compare tasks by value. */
    record Item(int value) implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void popsInPushOrder() {
        RunQueue q = new RunQueue(8);
        for (int i = 0; i < 5; i++) {
            assertTrue(q.push(new Item(i)));
        }
        assertEquals(List.of(0, 1, 2, 3, 4), drain(q));
    }

    @Test
    void aFullRingGrowsUpToItsLimitBeforeItOverflows() {
        RunQueue q = new RunQueue(2, Integer.MAX_VALUE - 3, 8); // the counters cross the wrap
        List<Integer> overflow = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            assertEquals(0, q.pushOrOverflow(new Item(i), r -> overflow.add(((Item) r).value())));
        }
        assertEquals(8, q.capacity());
        assertEquals(5, q.pushOrOverflow(new Item(8), r -> overflow.add(((Item) r).value())));
        assertEquals(List.of(0, 1, 2, 3, 8), overflow);
        assertEquals(List.of(4, 5, 6, 7), drain(q));
    }

    @Test
    void growthKeepsTheOrderOfAPartlyTakenRing() {
        RunQueue q = new RunQueue(4, -2, 16);
        for (int i = 0; i < 4; i++) {
            q.pushOrOverflow(new Item(i), r -> { });
        }
        q.pop();
        q.pop(); // head is now 2 past the start: the live items wrap around the old ring's end
        for (int i = 4; i < 10; i++) {
            assertEquals(0, q.pushOrOverflow(new Item(i), r -> { }));
        }
        RunQueue thief = new RunQueue(16);
        assertEquals(4, q.stealInto(thief));
        assertEquals(List.of(2, 3, 4, 5), drain(thief));
        assertEquals(List.of(6, 7, 8, 9), drain(q));
    }

    @Test
    void aGrowthLimitBelowTheCapacityIsRejectedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunQueue(8, 0, 4));
        assertTrue(e.getMessage().contains("growth limit 4") && e.getMessage().contains("capacity 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RunQueue(8, 0, 12));
        assertTrue(e.getMessage().contains("growth limit must be a power of two") && e.getMessage().contains("12"),
                e.getMessage());
    }

    @Test
    void aForgottenEntryIsSkippedByPopStealAndOverflow() {
        RunQueue q = new RunQueue(4);
        Item a = new Item(1);
        Item b = new Item(2);
        int aAt = q.tailCounter();
        q.push(a);
        q.push(b);
        assertTrue(q.forget(a, aAt, 32));
        assertFalse(q.forget(a, aAt, 32), "already cleared");
        assertEquals(List.of(2), drain(q));

        Item c = new Item(3);
        int cAt = q.tailCounter();
        q.push(c);
        q.push(new Item(4));
        q.push(new Item(5));
        assertFalse(q.forget(c, cAt + 1, 32), "c is not queued at that counter");
        assertTrue(q.forget(c, cAt, 32));
        RunQueue thief = new RunQueue(4);
        assertEquals(1, q.stealInto(thief), "takes the cleared slot and item 4, moves item 4 alone");
        assertEquals(List.of(4), drain(thief));

        assertEquals(List.of(5), drain(q));
    }

    @Test
    void aForgetWithTheCountersLowBitsFindsTheEntryAcrossTheWrap() {
        int bits = TaskCell.QUEUED_AT_BITS;
        int low = (1 << bits) - 1;
        RunQueue q = new RunQueue(8, Integer.MAX_VALUE - 3, 8); // the counters cross 2^31
        Item[] items = new Item[6];
        int[] at = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            items[i] = new Item(i);
            at[i] = q.tailCounter();
            q.push(items[i]);
        }
        assertTrue(q.forget(items[1], at[1] & low, bits));
        assertTrue(q.forget(items[5], at[5] & low, bits), "the entry after the wrap");
        assertFalse(q.forget(items[2], at[3] & low, bits), "another entry's counter");
        assertEquals(List.of(0, 2, 3, 4), drain(q));
    }

    @Test
    void aTakenEntryIsNotForgotten() {
        RunQueue q = new RunQueue(4);
        Item a = new Item(1);
        int aAt = q.tailCounter();
        q.push(a);
        assertSame(a, q.pop());
        Item b = new Item(2);
        q.push(b);
        assertFalse(q.forget(a, aAt, 32), "a left the queue");
        assertEquals(List.of(2), drain(q));
    }

    @Test
    void popTakesARunOfClearedSlotsAndTheTaskAfterThem() {
        RunQueue q = new RunQueue(8);
        Item[] items = new Item[5];
        int first = q.tailCounter();
        for (int i = 0; i < items.length; i++) {
            items[i] = new Item(i);
            q.push(items[i]);
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(q.forget(items[i], first + i, 32));
        }
        assertSame(items[3], q.pop());
        assertEquals(1, q.size(), "the cleared slots left with item 3");
        assertSame(items[4], q.pop());
        assertNull(q.pop());
    }

    @Test
    void aStealPastClearedSlotsFindsTheTasksBehindThem() {
        RunQueue q = new RunQueue(8);
        Item[] items = new Item[3];
        int first = q.tailCounter();
        for (int i = 0; i < items.length; i++) {
            items[i] = new Item(i);
            q.push(items[i]);
        }
        assertTrue(q.forget(items[0], first, 32));
        assertTrue(q.forget(items[1], first + 1, 32));
        RunQueue thief = new RunQueue(8);
        assertEquals(1, q.stealInto(thief), "the first half held cleared slots only; the steal goes on");
        assertEquals(List.of(2), drain(thief));
        assertTrue(q.isEmpty());
    }

    @Test
    void aGrownRingShrinksBackWhenAPopFindsItEmpty() {
        RunQueue q = new RunQueue(4, 0, 1024);
        for (int i = 0; i < 300; i++) {
            q.pushOrOverflow(new Item(i), r -> fail("no overflow below the limit"));
        }
        assertEquals(512, q.capacity());
        List<Integer> drained = drain(q); // ends with the pop that finds the ring empty
        assertEquals(300, drained.size());
        assertEquals(299, drained.get(299));
        assertEquals(4, q.capacity());
        q.push(new Item(7));
        RunQueue thief = new RunQueue(4);
        assertEquals(1, q.stealInto(thief));
        assertEquals(List.of(7), drain(thief));
    }

    @Test
    void aRenewedRingKeepsItsItemsInOrderAndItsSize() {
        RunQueue q = new RunQueue(4);
        List<Integer> taken = new ArrayList<>();
        int pushes = 4 * RunQueue.RENEWAL_PUSHES_PER_SLOT * 3; // three renewals
        for (int i = 0; i < pushes; i++) {
            q.pushOrOverflow(new Item(i), r -> fail("a ring kept at most 3 full must not overflow"));
            if (q.size() == 3) {
                taken.add(((Item) q.pop()).value());
            }
        }
        taken.addAll(drain(q));
        assertEquals(4, q.capacity());
        assertEquals(pushes, taken.size());
        for (int i = 0; i < pushes; i++) {
            assertEquals(i, taken.get(i), "FIFO order across renewals");
        }
    }

    @Test
    void anOverflowPassesNoForgottenEntry() {
        RunQueue q = new RunQueue(4);
        Item first = new Item(5);
        int firstAt = q.tailCounter();
        q.push(first);
        q.push(new Item(6));
        q.push(new Item(7));
        q.push(new Item(8));
        assertTrue(q.forget(first, firstAt, 32));
        List<Integer> overflow = new ArrayList<>();
        q.pushOrOverflow(new Item(10), r -> overflow.add(((Item) r).value()));
        assertEquals(List.of(6, 10), overflow);
        assertEquals(List.of(7, 8), drain(q));
    }

    @Test
    void popOnEmptyReturnsNull() {
        RunQueue q = new RunQueue(4);
        assertNull(q.pop());
        q.push(new Item(1));
        q.pop();
        assertNull(q.pop());
    }

    @Test
    void pushFailsWhenFullAndLeavesTheQueueUnchanged() {
        RunQueue q = filled(new RunQueue(4), 0, 4);
        assertFalse(q.push(new Item(99)));
        assertEquals(4, q.size());
        assertEquals(List.of(0, 1, 2, 3), drain(q));
    }

    @Test
    void pushSucceedsAgainAfterAPopMakesRoom() {
        RunQueue q = filled(new RunQueue(4), 0, 4);
        assertEquals(new Item(0), q.pop());
        assertTrue(q.push(new Item(4)));
        assertEquals(List.of(1, 2, 3, 4), drain(q));
    }

    @Test
    void pushOrOverflowQueuesLocallyWhileThereIsRoom() {
        RunQueue q = filled(new RunQueue(8), 0, 7);
        List<Runnable> overflow = new ArrayList<>();
        assertEquals(0, q.pushOrOverflow(new Item(7), overflow::add));
        assertTrue(overflow.isEmpty());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), drain(q));
    }

    @Test
    void overflowMovesTheOldestHalfThenTheNewTaskInOrder() {
        RunQueue q = filled(new RunQueue(8), 0, 8);
        List<Runnable> overflow = new ArrayList<>();
        assertEquals(5, q.pushOrOverflow(new Item(8), overflow::add));
        assertEquals(List.of(new Item(0), new Item(1), new Item(2), new Item(3), new Item(8)), overflow);
        assertEquals(4, q.size());
        assertEquals(List.of(4, 5, 6, 7), drain(q));
    }

    @Test
    void afterAnOverflowTheFreedHalfTakesNewTasks() {
        RunQueue q = filled(new RunQueue(4), 0, 4);
        List<Runnable> overflow = new ArrayList<>();
        q.pushOrOverflow(new Item(4), overflow::add); // 0, 1, 4 out; 2, 3 stay
        assertEquals(0, q.pushOrOverflow(new Item(5), overflow::add));
        assertEquals(0, q.pushOrOverflow(new Item(6), overflow::add));
        assertEquals(List.of(new Item(0), new Item(1), new Item(4)), overflow);
        assertEquals(List.of(2, 3, 5, 6), drain(q));
    }

    @Test
    void stealTakesTheOldestHalfRoundedUpInOrderAndLeavesTheRest() {
        RunQueue victim = filled(new RunQueue(8), 0, 5);
        RunQueue thief = new RunQueue(8);
        assertEquals(3, victim.stealInto(thief));
        assertEquals(List.of(0, 1, 2), drain(thief));
        assertEquals(List.of(3, 4), drain(victim));
    }

    @Test
    void stealOfASingleTaskTakesIt() {
        RunQueue victim = filled(new RunQueue(4), 7, 1);
        RunQueue thief = new RunQueue(4);
        assertEquals(1, victim.stealInto(thief));
        assertTrue(victim.isEmpty());
        assertEquals(List.of(7), drain(thief));
    }

    @Test
    void stealFromAnEmptyQueueTakesNothing() {
        RunQueue victim = new RunQueue(4);
        RunQueue thief = new RunQueue(4);
        assertEquals(0, victim.stealInto(thief));
        assertTrue(thief.isEmpty());
    }

    @Test
    void stolenTasksQueueBehindTheThiefsOwn() {
        RunQueue victim = filled(new RunQueue(8), 10, 4);
        RunQueue thief = filled(new RunQueue(8), 0, 2);
        assertEquals(2, victim.stealInto(thief));
        assertEquals(List.of(0, 1, 10, 11), drain(thief));
        assertEquals(List.of(12, 13), drain(victim));
    }

    @Test
    void stealTakesNoMoreThanTheThiefsFreeSpace() {
        RunQueue victim = filled(new RunQueue(8), 10, 8);
        RunQueue thief = filled(new RunQueue(4), 0, 3);
        assertEquals(1, victim.stealInto(thief));
        assertEquals(List.of(0, 1, 2, 10), drain(thief));
        assertEquals(7, victim.size());
    }

    @Test
    void stealIntoAFullThiefTakesNothing() {
        RunQueue victim = filled(new RunQueue(4), 10, 4);
        RunQueue thief = filled(new RunQueue(4), 0, 4);
        assertEquals(0, victim.stealInto(thief));
        assertEquals(4, victim.size());
        assertEquals(List.of(0, 1, 2, 3), drain(thief));
    }

    @Test
    void stealFromItselfIsRejected() {
        RunQueue q = filled(new RunQueue(4), 0, 2);
        assertThrows(IllegalArgumentException.class, () -> q.stealInto(q));
        assertEquals(List.of(0, 1), drain(q));
    }

    @Test
    void sizeAndIsEmptyFollowPushesAndTakes() {
        RunQueue q = new RunQueue(8);
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        filled(q, 0, 6);
        assertFalse(q.isEmpty());
        assertEquals(6, q.size());
        q.pop();
        q.stealInto(new RunQueue(8)); // takes 3 of 5
        assertEquals(2, q.size());
    }

    @Test
    void everyOperationWorksAcrossTheCounterWrap() {
        // Counters start 3 below 2^31 (Integer.MAX_VALUE + 1 overflows to MIN_VALUE) and cross
        // both the signed wrap there and, started at -3, the unsigned wrap at 2^32.
        for (int start : new int[] {Integer.MAX_VALUE - 2, -3}) {
            RunQueue q = new RunQueue(4, start);
            RunQueue thief = new RunQueue(4, start);
            List<Runnable> overflow = new ArrayList<>();
            int next = 0;
            List<Integer> expected = new ArrayList<>();
            for (int round = 0; round < 8; round++) { // each round moves the counters past 8 tasks
                for (int i = 0; i < 4; i++) {
                    assertTrue(q.push(new Item(next)), "start " + start + " round " + round);
                    expected.add(next++);
                }
                assertFalse(q.push(new Item(-1)));
                assertEquals(4, q.size());
                assertEquals(3, q.pushOrOverflow(new Item(next++), overflow::add));
                assertEquals(List.of(new Item(expected.get(0)), new Item(expected.get(1)), new Item(next - 1)),
                        overflow);
                overflow.clear();
                expected.subList(0, 2).clear();
                assertEquals(1, q.stealInto(thief));
                assertEquals(List.of(expected.remove(0)), drain(thief));
                assertEquals(1, q.size());
                assertEquals(expected, drain(q));
                expected.clear();
            }
        }
    }

    @Test
    void capacityMustBeAPowerOfTwoWithinRange() {
        for (int bad : new int[] {0, 1, -4, 12, 257, RunQueue.MAX_CAPACITY + 1, Integer.MIN_VALUE}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new RunQueue(bad));
            assertTrue(e.getMessage().contains("was " + bad), e.getMessage());
        }
        assertEquals(RunQueue.MIN_CAPACITY, new RunQueue(RunQueue.MIN_CAPACITY).capacity());
        assertEquals(256, new RunQueue(RunQueue.DEFAULT_CAPACITY).capacity());
    }

    private static RunQueue filled(RunQueue q, int first, int count) {
        for (int i = first; i < first + count; i++) {
            assertTrue(q.push(new Item(i)));
        }
        return q;
    }

    /** Pops until empty; the owner's view of the queue's contents, oldest first. */
    static List<Integer> drain(RunQueue q) {
        List<Integer> got = new ArrayList<>();
        for (Runnable r; (r = q.pop()) != null; ) {
            got.add(((Item) r).value());
        }
        return got;
    }
}
