package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.Libc;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/**
 * A worker's staging buffers: native memory that a send from a heap buffer is copied into (and a
 * receive into a heap buffer is copied out of) because the kernel cannot be handed memory the
 * garbage collector may move.
 *
 * <h2>Bounded: the surplus is freed</h2>
 * {@link #take()} reuses a kept buffer or maps a new one; {@link #give} keeps up to {@code kept}
 * buffers for reuse and unmaps the rest at once. So the memory held is at most {@code kept}
 * buffers plus one per operation in flight that stages, and it falls back to {@code kept} buffers
 * when a burst ends. The other choice, making callers wait when a cap is reached, was rejected:
 * a send waiting in the kernel for its peer holds its buffer, and a peer in the same runtime that
 * needs a buffer to receive would then wait for the send that waits for it.
 *
 * <p>Each buffer is its own anonymous mapping ({@code mmap}), not a slice of the driver's arena:
 * an arena frees only all at once, which is how buffers beyond the kept ones used to stay until
 * the driver closed. A mapping is returned to the kernel by {@code munmap}, and only the pages a
 * copy touched ever become resident.
 *
 * <h2>Threads</h2>
 * {@link #take()}, {@link #give} and {@link #close()} run on the owning worker's thread (a task
 * mounted on it, or its loop at a completion). {@link #bytesHeld()} may be read from any thread
 * (stats); it is written with opaque stores by the owner only.
 */
final class StagingPool {

    /** Where the buffers come from: a seam, so tests can count mappings. */
    interface Memory {
        /** A new zero-filled mapping of {@code bytes}; throws when the system has none. */
        MemorySegment map(long bytes);

        /** Returns a mapping from {@link #map}. */
        void unmap(MemorySegment mapping);
    }

    /** Anonymous private mappings. */
    static final Memory ANONYMOUS = new Memory() {
        @Override
        public MemorySegment map(long bytes) {
            MemorySegment errno = Libc.errnoState();
            long address = Libc.mmap(errno, 0, bytes, Libc.PROT_READ | Libc.PROT_WRITE,
                    Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
            if (address < 0) {
                throw new OutOfMemoryError("could not map a staging buffer of " + bytes + " bytes: "
                        + Errno.name((int) address));
            }
            return MemorySegment.ofAddress(address).reinterpret(bytes);
        }

        @Override
        public void unmap(MemorySegment mapping) {
            Libc.munmap(Libc.errnoState(), mapping.address(), mapping.byteSize());
        }
    };

    private final int bufferSize;
    private final int kept;
    private final Memory memory;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private boolean closed;
    /** Bytes mapped now: kept plus taken. Opaque: read by stats on other threads. */
    private long bytesHeld;

    StagingPool(int bufferSize, int kept, Memory memory) {
        if (bufferSize <= 0 || kept < 0) {
            throw new IllegalArgumentException("staging buffers of " + bufferSize + " bytes, " + kept
                    + " kept: the size must be positive and the count at least 0");
        }
        this.bufferSize = bufferSize;
        this.kept = kept;
        this.memory = memory;
    }

    /** The size of every buffer. */
    int bufferSize() {
        return bufferSize;
    }

    /** A buffer of {@link #bufferSize()} bytes, for the caller until it {@link #give}s it back. */
    MemorySegment take() {
        MemorySegment s = free.poll();
        if (s != null) {
            return s;
        }
        s = memory.map(bufferSize);
        BYTES_HELD.setOpaque(this, bytesHeld + bufferSize);
        return s;
    }

    /** Takes back a buffer from {@link #take()}, once the kernel is done with it: keeps it or unmaps it. */
    void give(MemorySegment s) {
        if (!closed && free.size() < kept) {
            free.push(s);
            return;
        }
        memory.unmap(s);
        BYTES_HELD.setOpaque(this, bytesHeld - bufferSize);
    }

    /** Unmaps the kept buffers; a buffer given back later is unmapped at once. */
    void close() {
        closed = true;
        MemorySegment s;
        while ((s = free.poll()) != null) {
            memory.unmap(s);
            BYTES_HELD.setOpaque(this, bytesHeld - bufferSize);
        }
    }

    /** Native memory this pool holds now (kept and taken buffers); from any thread. */
    long bytesHeld() {
        return (long) BYTES_HELD.getOpaque(this);
    }

    private static final VarHandle BYTES_HELD;

    static {
        try {
            BYTES_HELD = MethodHandles.lookup().findVarHandle(StagingPool.class, "bytesHeld", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
