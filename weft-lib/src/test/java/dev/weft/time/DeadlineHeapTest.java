package dev.weft.time;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Single-threaded specification of the timer thread's heap. */
class DeadlineHeapTest {

    private static final Runnable NOTHING = () -> { };

    /** Entries need a timer to count their cancels; this one never sees them scheduled. */
    private final Timer timer = new Timer("deadline-heap-test");

    @AfterEach
    void closeTimer() {
        timer.close();
    }

    private Timer.Entry entry(long deadline) {
        return new Timer.Entry(timer, deadline, NOTHING);
    }

    private static List<Long> pollAll(DeadlineHeap heap) {
        List<Long> out = new ArrayList<>();
        Timer.Entry e;
        while ((e = heap.poll()) != null) {
            out.add(e.deadlineNanos());
        }
        return out;
    }

    @Test
    void pollOnEmptyReturnsNull() {
        DeadlineHeap heap = new DeadlineHeap();
        assertTrue(heap.isEmpty());
        assertNull(heap.peek());
        assertNull(heap.poll());
    }

    @Test
    void pollsInDeadlineOrder() {
        DeadlineHeap heap = new DeadlineHeap();
        Random random = new Random(42);
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            long d = random.nextLong(1_000_000);
            expected.add(d);
            heap.add(entry(d));
            assertEquals(i + 1, heap.size());
        }
        expected.sort(null);
        assertEquals(expected.getFirst(), heap.peekDeadline());
        assertEquals(expected, pollAll(heap));
        assertTrue(heap.isEmpty());
    }

    @Test
    void interleavedAddsAndPollsKeepTheOrder() {
        DeadlineHeap heap = new DeadlineHeap();
        Random random = new Random(7);
        long last = Long.MIN_VALUE;
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 50; i++) {
                heap.add(entry(last + 1 + random.nextInt(1_000)));
            }
            for (int i = 0; i < 40; i++) {
                long d = heap.poll().deadlineNanos();
                assertTrue(d >= last, "polled " + d + " after " + last);
                last = d;
            }
        }
    }

    @Test
    void deadlinesCompareByDifferenceAcrossTheWrapOfLong() {
        DeadlineHeap heap = new DeadlineHeap();
        long[] inOrder = {Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE + 1, Long.MIN_VALUE + 2};
        for (int i = inOrder.length - 1; i >= 0; i--) {
            heap.add(entry(inOrder[i]));
        }
        for (long d : inOrder) {
            assertEquals(d, heap.poll().deadlineNanos());
        }
    }

    @Test
    void removeCancelledKeepsTheRestInOrder() {
        DeadlineHeap heap = new DeadlineHeap();
        List<Long> kept = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 1_000; i++) {
            long d = random.nextLong(1_000_000);
            Timer.Entry e = entry(d);
            heap.add(e);
            if (i % 3 == 0) {
                assertTrue(e.cancel());
            } else {
                kept.add(d);
            }
        }
        assertEquals(334, heap.removeCancelled());
        assertEquals(kept.size(), heap.size());
        kept.sort(null);
        assertEquals(kept, pollAll(heap));
    }

    @Test
    void arraysShrinkWhenTheEntriesAreGone() {
        DeadlineHeap heap = new DeadlineHeap();
        for (int i = 0; i < 10_000; i++) {
            heap.add(entry(i));
        }
        assertTrue(heap.capacity() >= 10_000);
        pollAll(heap);
        assertEquals(DeadlineHeap.INITIAL_CAPACITY, heap.capacity());

        List<Timer.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Timer.Entry e = entry(i);
            entries.add(e);
            heap.add(e);
        }
        entries.forEach(Timer.Entry::cancel);
        assertEquals(10_000, heap.removeCancelled());
        assertTrue(heap.isEmpty());
        assertEquals(DeadlineHeap.INITIAL_CAPACITY, heap.capacity());
        assertFalse(entries.getFirst().isFired());
    }
}
