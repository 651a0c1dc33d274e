package dev.weft.io;

import dev.weft.uring.Errno;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The registered-region table: memory registered as the same fixed-buffer slot on every worker's
 * ring, so an operation on any worker can name it by slot.
 *
 * <h2>The control plane</h2>
 * Registering picks a free slot (under this object's lock: registration is rare), then sends
 * every worker a control message that updates the slot on its own ring (only a ring's issuer
 * thread may), wakes the worker, and waits for every acknowledgement. If any worker failed, the
 * slot is emptied again on the workers that succeeded, goes back to the free list, and the first
 * error is thrown: only after every acknowledgement is in, so no worker is left working on a
 * request nobody waits for. Unregistering empties the slot everywhere the same way and bumps
 * the slot's generation, so an old {@code (slot, generation)} no longer resolves.
 *
 * <p>Operations read {@link #segment} without the lock: the arrays are written under the lock
 * before the slot is handed out (and the handing-out is the registering thread's return, which
 * the caller passes on to the task that uses the id), and a stale read can only see a generation
 * that does not match, which is rejected.
 */
public final class RegionRegistry {

    /** How long a registration waits for every worker's acknowledgement before it gives up. */
    private static final long ACK_TIMEOUT_SECONDS = 30;

    /** Kernel limit on one fixed buffer: 1 GiB. */
    public static final long MAX_REGION_BYTES = 1L << 30;

    /** The workers whose rings hold the table. */
    public interface Workers {
        int count();

        /** Sends {@code update} (slot, address, length; length 0 empties) to worker {@code index}; calls {@code done} with -errno or >= 0. */
        void update(int index, int slot, long address, long length, java.util.function.IntConsumer done);
    }

    private final int slots;
    private final Workers workers;
    private final MemorySegment[] segments;
    private final int[] generations;
    private final boolean[] used;

    public RegionRegistry(int slots, Workers workers) {
        this.slots = slots;
        this.workers = workers;
        this.segments = new MemorySegment[slots];
        this.generations = new int[slots];
        this.used = new boolean[slots];
        java.util.Arrays.fill(generations, 1);
    }

    public int slots() {
        return slots;
    }

    /**
     * Registers {@code memory} on every worker.
     *
     * @return {@code {slot, generation}}
     * @throws IllegalArgumentException for heap memory, an empty or too large segment
     * @throws IllegalStateException    when the table is full, or a worker's ring refused (the
     *                                  first error, after all workers answered)
     */
    public synchronized int[] register(MemorySegment memory) throws InterruptedException {
        if (!memory.isNative()) {
            throw new IllegalArgumentException("a registered region must be native memory (Arena.allocate or a "
                    + "mapped file), not a heap segment");
        }
        if (memory.byteSize() == 0 || memory.byteSize() > MAX_REGION_BYTES) {
            throw new IllegalArgumentException("a registered region must hold 1 byte to 1 GiB, was "
                    + memory.byteSize() + " bytes; split a larger buffer into several regions");
        }
        int slot = -1;
        for (int i = 0; i < slots; i++) {
            if (!used[i]) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            throw new IllegalStateException("registered-region table is full (" + slots + " slots); unregister a "
                    + "region or raise Config.maxRegions");
        }
        int[] results = broadcast(slot, memory.address(), memory.byteSize());
        String error = firstError(results, "register region of " + memory.byteSize() + " bytes in slot " + slot);
        if (error != null) {
            List<Integer> undo = new ArrayList<>();
            for (int i = 0; i < results.length; i++) {
                if (results[i] >= 0) {
                    undo.add(i);
                }
            }
            if (!undo.isEmpty()) {
                broadcastTo(undo, slot, 0, 0); // empty it again where it took; errors here change nothing
            }
            throw new IllegalStateException(error);
        }
        used[slot] = true;
        segments[slot] = memory;
        return new int[] {slot, generations[slot]};
    }

    /**
     * Unregisters the region {@code (slot, generation)} on every worker.
     *
     * @throws IllegalArgumentException for the sentinel or an id that names no registered region
     */
    public synchronized void unregister(int slot, int generation) throws InterruptedException {
        if (slot < 0 || slot >= slots || !used[slot] || generations[slot] != generation) {
            throw new IllegalArgumentException("region (slot " + slot + ", generation " + generation
                    + ") is not registered" + (slot == -1 ? ": that is RegionId.NONE, the sentinel" : "")
                    + "; pass an id that registerRegion returned and that was not unregistered yet");
        }
        int[] results = broadcast(slot, 0, 0);
        used[slot] = false;
        segments[slot] = null;
        generations[slot] = generations[slot] + 1 == 0 ? 1 : generations[slot] + 1;
        String error = firstError(results, "unregister region in slot " + slot);
        if (error != null) {
            throw new IllegalStateException(error);
        }
    }

    /** The memory of region {@code (slot, generation)}, or null if that id is not registered. */
    public MemorySegment segment(int slot, int generation) {
        if (slot < 0 || slot >= slots) {
            return null;
        }
        synchronized (this) {
            return used[slot] && generations[slot] == generation ? segments[slot] : null;
        }
    }

    private int[] broadcast(int slot, long address, long length) throws InterruptedException {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < workers.count(); i++) {
            all.add(i);
        }
        return broadcastTo(all, slot, address, length);
    }

    private int[] broadcastTo(List<Integer> indices, int slot, long address, long length) throws InterruptedException {
        int[] results = new int[workers.count()];
        java.util.Arrays.fill(results, Integer.MIN_VALUE);
        CountDownLatch acks = new CountDownLatch(indices.size());
        for (int i : indices) {
            workers.update(i, slot, address, length, r -> {
                results[i] = r;
                acks.countDown();
            });
        }
        if (!acks.await(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a worker did not acknowledge a region update within "
                    + ACK_TIMEOUT_SECONDS + " s (is the runtime shutting down?)");
        }
        return results; // the latch's count-downs publish the writes
    }

    private static String firstError(int[] results, String what) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] < 0 && results[i] != Integer.MIN_VALUE) {
                return what + " failed on worker " + i + ": " + Errno.name(results[i]);
            }
        }
        return null;
    }
}
