package dev.weft.io;

import dev.weft.idle.Backoff;
import dev.weft.uring.Errno;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The registered-region table: memory registered as the same fixed-buffer slot on every worker's
 * ring, so an operation on any worker can name it by slot, and a count of the operations that use
 * each slot, so that the memory is never released while one of them may still read or write it.
 *
 * <h2>The table is created on first use</h2>
 * No ring holds a fixed-buffer table until the first {@link #register}: a runtime that never
 * registers a region starts on any kernel. The first registration asks every worker to create a
 * table of {@link #slots()} empty slots: a sparse table ({@code IORING_RSRC_REGISTER_SPARSE},
 * Linux 5.19), else one of empty iovecs ({@code IORING_REGISTER_BUFFERS2}, Linux 5.13). A kernel
 * with neither (5.11, 5.12) fails that registration, and every later one, with an error that says
 * so; the rest of the runtime is unaffected. With 0 slots ({@code Config.maxRegions(0)}) regions
 * are off.
 *
 * <h2>One word per slot</h2>
 * {@code state[slot]} holds the slot's generation (high 32 bits), two flags and the count of uses
 * in flight (low 30 bits). Its states:
 * <pre>
 *   EMPTY     gen | 0                     free; register may take it
 *   RESERVED  gen | RESERVED | uses       a register or unregister is updating the rings; no new use
 *   LIVE      gen | LIVE | uses           registered; acquire may add a use
 *
 *   EMPTY    --register: CAS-->             RESERVED --rings updated-->       LIVE
 *   RESERVED --a ring refused-->            EMPTY (same generation: the id was never handed out)
 *   LIVE     --unregister: CAS-->           RESERVED (uses stay) --uses reach 0, rings emptied--> EMPTY (gen + 1)
 * </pre>
 * {@link #acquire} reads the word and adds one use by a CAS that requires {@code LIVE} and the
 * caller's generation; {@link #release} subtracts one. Register and unregister are the only
 * writers of the flags and the generation, and a slot has at most one of them at a time (the CAS
 * out of EMPTY or LIVE decides which). No lock is taken on the lookup path: a register or
 * unregister waiting for a worker's acknowledgement (up to {@link #ACK_TIMEOUT_SECONDS}) delays
 * no I/O on other slots, and none on its own slot but new uses of a region being unregistered.
 *
 * <h2>Why no use slips past an unregister</h2>
 * Every change of a slot's word is a CAS or an atomic add on that one word, so they fall in one
 * order. A use's CAS either comes before unregister's CAS that clears {@code LIVE} — then the use
 * count unregister then waits on includes it — or after, and then it sees {@code LIVE} clear (or
 * another generation) and fails: the caller gets "not registered" and does no I/O. Unregister
 * returns only after the count reached 0 and every ring emptied the slot; a use is released only
 * after its operation's completion was reaped (the kernel no longer reads or writes the memory),
 * so when unregister returns, the caller may free the memory. The wait polls the count with
 * {@link Backoff}; a use ends when its I/O ends, so an unregister waits as long as the slowest
 * operation on the region (bound those with timeouts).
 *
 * <p>Memory ordering: register writes {@code segments[slot]} before the volatile write that makes
 * the slot LIVE, and {@link #acquire} reads it after its successful CAS on the same word, so it
 * sees the segment of the generation it acquired; unregister clears the reference only after the
 * count drained, when no use can read it. {@code RegionRegistryTest} races acquires, releases and
 * unregisters and checks that no use is live when unregister returns.
 *
 * <h2>What memory may be registered</h2>
 * Native memory of 1 byte to 1 GiB whose owner keeps it allocated until {@link #unregister}
 * returns. The table cannot hold the memory's arena open (the FFM API has no public way to), so a
 * region whose arena closes while it is registered is a use-after-free that the kernel would
 * not notice: {@link #acquire} checks that the segment's scope is alive and fails the operation
 * if not, which catches the mistake when no operation is in flight.
 */
public final class RegionRegistry {

    /** How long a registration waits for every worker's acknowledgement before it gives up. */
    static final long ACK_TIMEOUT_SECONDS = 30;

    /** Kernel limit on one fixed buffer: 1 GiB. */
    public static final long MAX_REGION_BYTES = 1L << 30;

    /** Set while the slot is registered and accepts uses. */
    private static final long LIVE = 1L << 31;
    /** Set while a register or unregister updates the rings: no use may start. */
    private static final long RESERVED = 1L << 30;
    private static final long USES = RESERVED - 1;

    /** The workers whose rings hold the table. */
    public interface Workers {
        int count();

        /**
         * Creates worker {@code index}'s table of {@code slots} empty slots; calls {@code done}
         * with -errno or >= 0 (sparse first, then empty iovecs: see the class header).
         */
        void createTable(int index, int slots, IntConsumer done);

        /** Sends {@code update} (slot, address, length; length 0 empties) to worker {@code index}; calls {@code done} with -errno or >= 0. */
        void update(int index, int slot, long address, long length, IntConsumer done);
    }

    private final int slots;
    private final Workers workers;
    private final MemorySegment[] segments;
    private final long[] state;
    /** Null until the table is created; then "" if it was, or why it could not be. Guarded by {@code this}. */
    private String table;

    public RegionRegistry(int slots, Workers workers) {
        if (slots < 0) {
            throw new IllegalArgumentException("region slots " + slots + " is negative");
        }
        this.slots = slots;
        this.workers = workers;
        this.segments = new MemorySegment[slots];
        this.state = new long[slots];
        for (int i = 0; i < slots; i++) {
            state[i] = 1L << 32; // EMPTY, generation 1: a real region's generation is never 0
        }
    }

    public int slots() {
        return slots;
    }

    /**
     * Registers {@code memory} on every worker; creates the table first if this is the first
     * registration.
     *
     * @return {@code {slot, generation}}
     * @throws IllegalArgumentException for heap memory, freed memory, an empty or too large segment
     * @throws IllegalStateException    when regions are off or the table is full, the kernel
     *                                  cannot hold a table, or a worker's ring refused (the first
     *                                  error, after all workers answered)
     */
    public int[] register(MemorySegment memory) throws InterruptedException {
        if (!memory.isNative()) {
            throw new IllegalArgumentException("a registered region must be native memory (Arena.allocate or a "
                    + "mapped file), not a heap segment");
        }
        if (!memory.scope().isAlive()) {
            throw new IllegalArgumentException("a registered region's memory must be alive; its arena is closed");
        }
        if (memory.byteSize() == 0 || memory.byteSize() > MAX_REGION_BYTES) {
            throw new IllegalArgumentException("a registered region must hold 1 byte to 1 GiB, was "
                    + memory.byteSize() + " bytes; split a larger buffer into several regions");
        }
        if (slots == 0) {
            throw new IllegalStateException("registered regions are off: Config.maxRegions is 0; set it to the "
                    + "number of regions the program registers at once");
        }
        ensureTable();
        int slot = -1;
        int generation = 0;
        for (int i = 0; i < slots && slot < 0; i++) {
            long w = (long) STATE.getVolatile(state, i);
            if ((w & (LIVE | RESERVED | USES)) == 0 && STATE.compareAndSet(state, i, w, w | RESERVED)) {
                slot = i;
                generation = (int) (w >>> 32);
            }
        }
        if (slot < 0) {
            throw new IllegalStateException("registered-region table is full (" + slots + " slots); unregister a "
                    + "region or raise Config.maxRegions");
        }
        // If this throws (interrupted, a worker that did not answer), rings may or may not hold
        // the memory: the slot stays RESERVED and is never reused, which is safe.
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
            STATE.setVolatile(state, slot, (long) generation << 32); // EMPTY again; the id was never handed out
            throw new IllegalStateException(error);
        }
        segments[slot] = memory;
        STATE.setVolatile(state, slot, ((long) generation << 32) | LIVE); // publishes segments[slot]
        return new int[] {slot, generation};
    }

    /**
     * Unregisters the region {@code (slot, generation)} on every worker: stops new uses, waits
     * until every operation that uses it has completed, then empties the slot on every ring. When
     * it returns, the caller may free the memory.
     *
     * @throws IllegalArgumentException for the sentinel or an id that names no registered region
     */
    public void unregister(int slot, int generation) throws InterruptedException {
        long w = slot < 0 || slot >= slots ? 0 : (long) STATE.getVolatile(state, slot);
        while (true) {
            if (slot < 0 || slot >= slots || (w & LIVE) == 0 || (int) (w >>> 32) != generation) {
                throw new IllegalArgumentException("region (slot " + slot + ", generation " + generation
                        + ") is not registered" + (slot == -1 ? ": that is RegionId.NONE, the sentinel" : "")
                        + "; pass an id that registerRegion returned and that was not unregistered yet");
            }
            long reserved = (w & ~LIVE) | RESERVED;
            long seen = (long) STATE.compareAndExchange(state, slot, w, reserved);
            if (seen == w) {
                break;
            }
            w = seen; // a use came or went: try again
        }
        // No new use can start now. Wait for those in flight: their I/O may still read the memory.
        long step = 0;
        boolean interrupted = false;
        while (((long) STATE.getVolatile(state, slot) & USES) != 0) {
            step = Backoff.DEFAULT.idle(step);
            interrupted |= Thread.interrupted(); // the memory must not be freed before the count drains
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        int[] results = broadcast(slot, 0, 0);
        segments[slot] = null;
        int next = generation + 1 == 0 ? 1 : generation + 1;
        STATE.setVolatile(state, slot, (long) next << 32); // EMPTY
        String error = firstError(results, "unregister region in slot " + slot);
        if (error != null) {
            throw new IllegalStateException(error);
        }
    }

    /**
     * Starts a use of {@code [offset, offset + length)} of region {@code (slot, generation)}: the
     * region's memory, which stays registered until the matching {@link #release}. Lock-free.
     *
     * @throws IllegalArgumentException when the id is not registered (or is being unregistered),
     *                                  or the range lies outside the region; no use is taken
     * @throws IllegalStateException    when the region's memory was freed while registered
     */
    public MemorySegment acquire(int slot, int generation, long offset, long length) {
        if (slot < 0 || slot >= slots) {
            throw notRegistered(slot, generation);
        }
        long w = (long) STATE.getVolatile(state, slot);
        while (true) {
            if ((w & LIVE) == 0 || (int) (w >>> 32) != generation) {
                throw notRegistered(slot, generation);
            }
            if ((w & USES) == USES) {
                throw new IllegalStateException("region (slot " + slot + ") has " + USES + " operations in flight,"
                        + " the most it counts");
            }
            long seen = (long) STATE.compareAndExchange(state, slot, w, w + 1);
            if (seen == w) {
                break;
            }
            w = seen;
        }
        MemorySegment region = segments[slot];
        if (!region.scope().isAlive()) {
            release(slot);
            throw new IllegalStateException("region (slot " + slot + ", generation " + generation + ")'s memory "
                    + "was freed while registered (its arena closed); unregister a region before freeing it");
        }
        if (offset < 0 || length < 0 || offset > region.byteSize() - length) {
            release(slot);
            throw new IllegalArgumentException("range [" + offset + ", " + offset + "+" + length
                    + ") is outside region (slot " + slot + ") of " + region.byteSize() + " bytes");
        }
        return region;
    }

    /** Ends a use that {@link #acquire} started, once its operation has completed. */
    public void release(int slot) {
        long after = (long) STATE.getAndAdd(state, slot, -1L) - 1;
        assert (after & USES) != USES : "release without acquire on slot " + slot;
    }

    /** An operation on a region's memory, run while a use of the region is held ({@link #using}). */
    @FunctionalInterface
    interface RegionUse {
        int run(MemorySegment region) throws java.io.IOException;
    }

    /**
     * Runs {@code use} on region {@code (slot, generation)}, whose {@code [offset, offset + length)}
     * it touches, holding a use of the region from before it starts until it returns, so that the
     * region's unregister waits for the operation. When a failed driver gave the operation up with
     * its memory still in the kernel ({@link DriverFailedException#bufferStillInKernel()}) the use
     * is kept: the region then stays registered rather than be freed under the kernel.
     *
     * @throws IllegalArgumentException as {@link #acquire}
     */
    int using(int slot, int generation, long offset, long length, RegionUse use) throws java.io.IOException {
        MemorySegment region = acquire(slot, generation, offset, length);
        boolean keepUse = false;
        try {
            return use.run(region);
        } catch (DriverFailedException e) {
            keepUse = e.bufferStillInKernel();
            throw e;
        } finally {
            if (!keepUse) {
                release(slot);
            }
        }
    }

    /** Uses in flight on {@code slot} (for tests and stats). */
    int uses(int slot) {
        return (int) ((long) STATE.getVolatile(state, slot) & USES);
    }

    private static IllegalArgumentException notRegistered(int slot, int generation) {
        return new IllegalArgumentException("region (slot " + slot + ", generation " + generation
                + ") is not registered; use an id from Weft.registerRegion that was not unregistered");
    }

    /** Creates every worker's table once; remembers a failure, so that later registrations say the same. */
    private synchronized void ensureTable() throws InterruptedException {
        if (table == null) {
            int[] results = new int[workers.count()];
            Arrays.fill(results, Integer.MIN_VALUE);
            CountDownLatch acks = new CountDownLatch(results.length);
            for (int i = 0; i < results.length; i++) {
                int index = i;
                workers.createTable(i, slots, r -> {
                    results[index] = r;
                    acks.countDown();
                });
            }
            awaitAcks(acks);
            String error = firstError(results, "create the registered-region table of " + slots + " slots");
            table = error == null ? "" : error + "; registered regions need a fixed-buffer table with empty slots, "
                    + "which io_uring has since Linux 5.13 (IORING_REGISTER_BUFFERS2; sparse since 5.19)";
        }
        if (!table.isEmpty()) {
            throw new IllegalStateException(table);
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
        Arrays.fill(results, Integer.MIN_VALUE);
        CountDownLatch acks = new CountDownLatch(indices.size());
        for (int i : indices) {
            workers.update(i, slot, address, length, r -> {
                results[i] = r;
                acks.countDown();
            });
        }
        awaitAcks(acks);
        return results; // the latch's count-downs publish the writes
    }

    /** Waits for every worker's answer to a table update (also {@link FileTable}'s). */
    static void awaitAcks(CountDownLatch acks) throws InterruptedException {
        if (!acks.await(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a worker did not acknowledge an update of its ring's table within "
                    + ACK_TIMEOUT_SECONDS + " s (is the runtime shutting down?)");
        }
    }

    /** The first worker's refusal in {@code results} as a message, or null (also {@link FileTable}'s). */
    static String firstError(int[] results, String what) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] < 0 && results[i] != Integer.MIN_VALUE) {
                return what + " failed on worker " + i + ": " + Errno.name(results[i]);
            }
        }
        return null;
    }

    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(long[].class);
}
