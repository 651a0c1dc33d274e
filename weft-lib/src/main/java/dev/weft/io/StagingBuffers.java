package dev.weft.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * A worker's staging buffers: native memory that io_uring operations use in place of a heap
 * buffer (sends from heap buffers, gathers, receives into heap buffers without provided buffers,
 * connect addresses). One per {@link UringDriver}.
 *
 * <h2>What it owns, which thread touches what</h2>
 * The buffers, in an arena of its own freed by {@link #close()}. Owner thread only (the worker's
 * loop, or a task mounted on it): a task acquires one as it prepares its SQE, and the worker
 * releases it when the operation's CQE arrives ({@link UringOp#complete}).
 *
 * <h2>Interface</h2>
 * {@link #acquire(int)} a buffer for a length, {@link #release} it once the kernel is done with
 * it. A buffer may be shorter than asked ({@link #MAX_LENGTH} at most): the caller transfers at
 * most its {@code byteSize()}.
 *
 * <p>Now: up to {@value #KEPT} released buffers are kept for reuse; beyond that a released one
 * stays allocated in the arena until the driver closes.
 */
final class StagingBuffers implements AutoCloseable {

    /** The longest buffer {@link #acquire} returns. */
    static final int MAX_LENGTH = 64 * 1024;
    private static final int KEPT = 16;

    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<MemorySegment> kept = new ArrayDeque<>();

    /** A buffer of at least {@code min(length, MAX_LENGTH)} bytes, at most {@link #MAX_LENGTH}. */
    MemorySegment acquire(int length) {
        MemorySegment s = kept.poll();
        return s != null ? s : arena.allocate(MAX_LENGTH, 64);
    }

    /** Gives back a buffer from {@link #acquire} that the kernel no longer reads or writes. */
    void release(MemorySegment buffer) {
        if (kept.size() < KEPT) {
            kept.push(buffer);
        }
        // else: the arena keeps it until the driver closes; the pool stays bounded in the common case
    }

    /** Frees every buffer; after the ring closed. */
    @Override
    public void close() {
        arena.close();
    }
}
