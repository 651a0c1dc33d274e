package dev.weft.io;

import dev.weft.uring.Abi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.LongConsumer;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A worker's io_uring operations in flight: slots, their generations, and the tokens that name
 * them in {@code user_data}. One per {@link UringDriver}.
 *
 * <h2>Tokens</h2>
 * A task takes a slot ({@link #track}) and writes an SQE whose {@code user_data} is the slot's
 * <i>token</i> ({@code generation << 32 | slot}). When the CQE arrives the worker looks the token
 * up ({@link #take}); if the slot still holds that generation, it frees the slot (unless
 * {@code IORING_CQE_F_MORE} says more CQEs follow) and moves its generation on. A CQE whose
 * generation does not match (an operation that ended already) is counted and ignored, so a late
 * completion never reaches whoever reuses the slot. Generations are never 0: token 0 is reserved
 * for CQEs nobody waits for ({@link #IGNORED_TOKEN}), and -1 is the wake-up's
 * ({@link UringWakeup#TOKEN}).
 *
 * <h2>What it owns, which thread touches what</h2>
 * The slot arrays, a {@code __kernel_timespec} per slot for linked timeouts (in an arena of its
 * own, freed by {@link #close()} after the ring closed), and the counters. Owner thread only (the
 * worker's loop, or a task mounted on it while it submits); {@link #operations()} is also read by
 * stats from any thread (opaque).
 */
final class OperationTable implements AutoCloseable {

    /** user_data of CQEs nobody waits for (link timeouts, cancel requests). */
    static final long IGNORED_TOKEN = 0L;
    private static final int INITIAL_SLOTS = 256;

    private final Arena arena = Arena.ofShared();
    private UringOp[] ops = new UringOp[INITIAL_SLOTS];
    private int[] generations = new int[INITIAL_SLOTS];
    private int[] free = new int[INITIAL_SLOTS];
    private int freeCount;
    private int inFlight;
    private MemorySegment timespecs = arena.allocate(16L * INITIAL_SLOTS, 8);
    /** Operations started: written by the owner only (opaque), read by stats. */
    @SuppressWarnings("unused") // through OPERATIONS
    private long operations;
    private long staleCompletions;

    OperationTable() {
        for (int i = ops.length - 1; i >= 0; i--) {
            free[freeCount++] = i;
            generations[i] = 1;
        }
    }

    /** Takes a slot for {@code op}: its token. */
    long track(UringOp op) {
        if (freeCount == 0) {
            grow();
        }
        int slot = free[--freeCount];
        ops[slot] = op;
        inFlight++;
        OPERATIONS.setOpaque(this, (long) OPERATIONS.getOpaque(this) + 1); // read by stats from any thread
        op.slot = slot;
        return token(slot);
    }

    private long token(int slot) {
        return ((long) generations[slot] << 32) | slot;
    }

    private void grow() {
        int n = ops.length;
        ops = Arrays.copyOf(ops, n * 2);
        generations = Arrays.copyOf(generations, n * 2);
        free = Arrays.copyOf(free, n * 2);
        MemorySegment ts = arena.allocate(16L * n * 2, 8);
        MemorySegment.copy(timespecs, 0, ts, 0, timespecs.byteSize());
        timespecs = ts;
        for (int i = n * 2 - 1; i >= n; i--) {
            generations[i] = 1;
            free[freeCount++] = i;
        }
    }

    /**
     * The operation a CQE with {@code userData} belongs to, or null for a stale one (counted).
     * Frees its slot unless {@code flags} has {@code IORING_CQE_F_MORE}.
     */
    UringOp take(long userData, int flags) {
        int slot = (int) userData;
        int generation = (int) (userData >>> 32);
        if (slot < 0 || slot >= ops.length || generations[slot] != generation || ops[slot] == null) {
            staleCompletions++;
            return null;
        }
        UringOp op = ops[slot];
        if ((flags & Abi.CQE_F_MORE) == 0) {
            ops[slot] = null;
            generations[slot] = nextGeneration(generation);
            free[freeCount++] = slot;
            inFlight--;
        }
        return op;
    }

    /** The generation after {@code generation}: cycles through 1..0x7fff_ffff, never 0 (token 0 is reserved). */
    static int nextGeneration(int generation) {
        int next = (generation + 1) & 0x7fff_ffff;
        return next == 0 ? 1 : next;
    }

    /** Whether the operation with {@code token} is still in flight. */
    boolean inFlight(long token) {
        int slot = (int) token;
        return slot < ops.length && ops[slot] != null && generations[slot] == (int) (token >>> 32);
    }

    /** Operations in flight. */
    int inFlight() {
        return inFlight;
    }

    /** Passes the token of every operation in flight to {@code action}. */
    void forEachInFlight(LongConsumer action) {
        for (int slot = 0; slot < ops.length; slot++) {
            if (ops[slot] != null) {
                action.accept(token(slot));
            }
        }
    }

    /**
     * The driver failed and cannot reap: empties every slot (nothing is in flight afterwards) and
     * passes each operation to {@code action}, which keeps it (its memory may still be written).
     */
    void takeAll(java.util.function.Consumer<UringOp> action) {
        for (int slot = 0; slot < ops.length; slot++) {
            UringOp op = ops[slot];
            if (op != null) {
                ops[slot] = null;
                generations[slot] = nextGeneration(generations[slot]);
                action.accept(op);
            }
        }
        inFlight = 0;
    }

    /** The driver closed: empties every slot, telling each operation still there ({@link UringOp#abandoned}). */
    void abandonAll() {
        for (int slot = 0; slot < ops.length; slot++) {
            UringOp op = ops[slot];
            if (op != null) {
                ops[slot] = null;
                op.abandoned(); // no CQE will come: a multishot accept gives its listener back
            }
        }
    }

    /** The address of the timespec of {@code op}'s slot, set to {@code nanos}. */
    long timespec(UringOp op, long nanos) {
        long ts = (long) op.slot * 16;
        timespecs.set(JAVA_LONG, ts, nanos / 1_000_000_000L);
        timespecs.set(JAVA_LONG, ts + 8, nanos % 1_000_000_000L);
        return timespecs.address() + ts;
    }

    /** Operations started; from any thread. */
    long operations() {
        return (long) OPERATIONS.getOpaque(this);
    }

    /** CQEs that arrived for an operation that had already ended (their generation did not match). */
    long staleCompletions() {
        return staleCompletions;
    }

    /** Frees the timespecs; after the ring closed. */
    @Override
    public void close() {
        arena.close();
    }

    private static final VarHandle OPERATIONS;

    static {
        try {
            OPERATIONS = MethodHandles.lookup().findVarHandle(OperationTable.class, "operations", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
