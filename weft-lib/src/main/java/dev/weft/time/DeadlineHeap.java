package dev.weft.time;

import java.util.Arrays;

/**
 * The timer thread's entries, earliest deadline first: a 4-ary min-heap held in two parallel
 * arrays, the entries and their deadlines. Owned by the timer thread alone: nothing here is
 * shared, so nothing is volatile.
 *
 * <h2>Layout</h2>
 * Node {@code i} has children {@code 4i + 1 .. 4i + 4} and parent {@code (i - 1) / 4}. The
 * deadlines sit beside the entries in a {@code long[]} so that ordering never dereferences an
 * entry: with 10<sup>6</sup> pending entries spread over the Java heap, each dereference would be a
 * cache miss, while a node's four children's deadlines are 32 consecutive bytes. Four children
 * make the heap half as deep as a binary one, so a sift-up (every add) does half the moves; a
 * sift-down (every poll) compares four keys per level, but on one or two cache lines.
 *
 * <h2>Order</h2>
 * Deadlines are {@link System#nanoTime()} values, which compare by difference: {@code a} is
 * earlier than {@code b} iff {@code a - b < 0}. That order is right across a wrap of {@code long},
 * provided all deadlines in the heap lie within 2<sup>63</sup> ns (292 years) of each other.
 * Entries with equal deadlines come out in no particular order.
 *
 * <h2>Cancelled entries</h2>
 * Cancelling an entry does not touch the heap (another thread cancels; this thread owns the
 * heap). A cancelled entry stays until it reaches the top, where the timer drops it, or until
 * {@link #removeCancelled()} compacts the arrays and rebuilds the heap in O(n).
 *
 * <h2>Capacity</h2>
 * The arrays double when full and halve when a quarter full (never below
 * {@link #INITIAL_CAPACITY}), so a heap that once held 10<sup>6</sup> entries does not keep 12 MB
 * of arrays once they are gone.
 */
final class DeadlineHeap {

    /** Slots of a new heap, and the fewest it shrinks to. */
    static final int INITIAL_CAPACITY = 64;

    private Timer.Entry[] entries = new Timer.Entry[INITIAL_CAPACITY];
    private long[] deadlines = new long[INITIAL_CAPACITY];
    private int size;

    /** Entries in the heap, cancelled ones included. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Slots in the arrays. */
    int capacity() {
        return entries.length;
    }

    /** The entry with the earliest deadline, or null if the heap is empty. */
    Timer.Entry peek() {
        return entries[0];
    }

    /** The earliest deadline. The heap must not be empty. */
    long peekDeadline() {
        return deadlines[0];
    }

    void add(Timer.Entry entry) {
        int i = size;
        if (i == entries.length) {
            resize(grownCapacity(i));
        }
        size = i + 1;
        siftUp(i, entry, entry.deadlineNanos());
    }

    /** Removes and returns the entry with the earliest deadline, or null if the heap is empty. */
    Timer.Entry poll() {
        if (size == 0) {
            return null;
        }
        Timer.Entry top = entries[0];
        int n = --size;
        Timer.Entry last = entries[n];
        long lastDeadline = deadlines[n];
        entries[n] = null;
        if (n > 0) {
            siftDown(0, last, lastDeadline);
        }
        if (n < entries.length >>> 2 && entries.length > INITIAL_CAPACITY) {
            resize(entries.length >>> 1);
        }
        return top;
    }

    /**
     * Removes every cancelled entry and rebuilds the heap from the rest: O(n).
     *
     * @return the number of entries removed
     */
    int removeCancelled() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Timer.Entry e = entries[i];
            if (!e.isCancelled()) {
                entries[kept] = e;
                deadlines[kept] = deadlines[i];
                kept++;
            }
        }
        Arrays.fill(entries, kept, size, null);
        int removed = size - kept;
        size = kept;
        for (int i = lastParent(); i >= 0; i--) { // Floyd's bottom-up heap construction
            siftDown(i, entries[i], deadlines[i]);
        }
        int capacity = entries.length;
        while (capacity > INITIAL_CAPACITY && kept < capacity >>> 2) {
            capacity >>>= 1;
        }
        if (capacity != entries.length) {
            resize(capacity);
        }
        return removed;
    }

    /** Removes every entry and returns to the initial capacity. */
    void clear() {
        entries = new Timer.Entry[INITIAL_CAPACITY];
        deadlines = new long[INITIAL_CAPACITY];
        size = 0;
    }

    /** The last node with a child, or -1 if there is none (4i + 1 < size for i <= this). */
    private int lastParent() {
        return (size - 2) >> 2;
    }

    private void siftUp(int i, Timer.Entry entry, long deadline) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pd = deadlines[parent];
            if (deadline - pd >= 0) {
                break;
            }
            entries[i] = entries[parent];
            deadlines[i] = pd;
            i = parent;
        }
        entries[i] = entry;
        deadlines[i] = deadline;
    }

    private void siftDown(int i, Timer.Entry entry, long deadline) {
        int lastParent = lastParent();
        while (i <= lastParent) {
            int child = (i << 2) + 1;
            int end = Math.min(child + 4, size);
            int least = child;
            long leastDeadline = deadlines[child];
            for (int c = child + 1; c < end; c++) {
                long d = deadlines[c];
                if (d - leastDeadline < 0) {
                    least = c;
                    leastDeadline = d;
                }
            }
            if (leastDeadline - deadline >= 0) {
                break;
            }
            entries[i] = entries[least];
            deadlines[i] = leastDeadline;
            i = least;
        }
        entries[i] = entry;
        deadlines[i] = deadline;
    }

    private static int grownCapacity(int capacity) {
        int max = Integer.MAX_VALUE - 8; // the largest array HotSpot allocates
        if (capacity >= max) {
            throw new OutOfMemoryError("timer heap holds " + capacity + " entries, the most an"
                    + " array can; cancel entries that are no longer needed");
        }
        return capacity > max >>> 1 ? max : capacity << 1;
    }

    private void resize(int capacity) {
        entries = Arrays.copyOf(entries, capacity);
        deadlines = Arrays.copyOf(deadlines, capacity);
    }
}
