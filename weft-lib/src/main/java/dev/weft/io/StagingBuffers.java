package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/**
 * A worker's staging buffers: native memory that io_uring operations use in place of a heap
 * buffer (sends from heap buffers, gathers, receives into heap buffers without a provided buffer,
 * connect addresses), because the kernel cannot be handed memory the garbage collector may move.
 * One per {@link UringDriver}.
 *
 * <h2>Interface</h2>
 * {@link #acquire(int)} a buffer for a length, {@link #release} it once the kernel is done with
 * it. A buffer may be shorter than asked ({@link #MAX_LENGTH} at most): the caller transfers at
 * most its {@code byteSize()}.
 *
 * <h2>Bounded: the surplus is freed</h2>
 * {@link #acquire} reuses a kept buffer or maps a new one; {@link #release} keeps up to
 * {@value #KEPT} buffers for reuse and unmaps the rest at once. So the memory held is at most
 * {@value #KEPT} buffers plus one per operation in flight that stages, and it falls back to the
 * kept ones when a burst ends ({@link #bytesHeld()}, in {@code WorkerStats.stagingBytes}). The
 * other choice, making callers wait when a cap is reached, was rejected: a send waiting in the
 * kernel for its peer holds its buffer, and a peer in the same runtime that needs a buffer to
 * receive would then wait for the send that waits for it. (Receives hold one only while data is
 * there: {@code UringDriver} waits for readability first.)
 *
 * <p>Each buffer is its own anonymous mapping ({@code mmap}), not a slice of an arena: an arena
 * frees only all at once, which is how buffers beyond the kept ones used to stay allocated until
 * the driver closed. {@code munmap} returns a buffer to the kernel, and only the pages a copy
 * touched ever become resident.
 *
 * <h2>Threads</h2>
 * {@link #acquire}, {@link #release} and {@link #close()} run on the owning worker's thread (a
 * task mounted on it as it prepares its SQE, or its loop when the CQE arrives,
 * {@link UringOp#complete}). {@link #bytesHeld()} may be read from any thread (stats); the owner
 * writes it with opaque stores. Mapping and unmapping take no lock and allocate nothing
 * ({@link #anonymous()}): a task or runner in them must not leave the worker whose driver it
 * works on. {@code StagingBuffersCarrierTest} checks that.
 */
final class StagingBuffers implements AutoCloseable {

    /** The longest buffer {@link #acquire} returns. */
    static final int MAX_LENGTH = 64 * 1024;
    /** Released buffers kept for reuse. */
    static final int KEPT = 16;

    /** Where the buffers come from: a seam, so tests can count mappings. */
    interface Memory {
        /** A new zero-filled mapping of {@code bytes}; throws when the system has none. */
        MemorySegment map(long bytes);

        /** Returns a mapping from {@link #map}. */
        void unmap(MemorySegment mapping);
    }

    /** Anonymous private mappings, for one thread at a time (tests). */
    static final Memory ANONYMOUS = anonymous();

    /**
     * Anonymous private mappings with an {@code errno} capture state of their own, allocated here
     * once: a call allocates nothing. For one thread at a time, the pool's owner. Allocating per
     * call ({@code Libc.errnoState()}, an automatic arena) registers with the JDK's cleaner under a
     * monitor; a task that meets it contended leaves its worker (a virtual thread may, at a
     * monitor, since JDK 24) and would go on with the first worker's ring and operation table
     * from another worker's thread, between reserving its SQE and parking.
     */
    static Memory anonymous() {
        MemorySegment errno = Libc.newCaptureState(Arena.ofAuto());
        return new Memory() {
            @Override
            public MemorySegment map(long bytes) {
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
                Libc.munmap(errno, mapping.address(), mapping.byteSize());
            }
        };
    }

    private final int bufferSize;
    private final int kept;
    private final Memory memory;
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private boolean closed;
    /** Bytes mapped now: kept plus taken. Opaque: read by stats on other threads. */
    private long bytesHeld;

    /** {@value #KEPT} kept buffers of {@link #MAX_LENGTH} bytes, anonymous mappings of its own. */
    StagingBuffers() {
        this(MAX_LENGTH, KEPT, anonymous());
    }

    StagingBuffers(int bufferSize, int kept, Memory memory) {
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

    /** A buffer of {@link #bufferSize()} bytes (for any {@code length}), the caller's until it {@link #release}s it. */
    MemorySegment acquire(int length) {
        MemorySegment s = free.poll();
        if (s != null) {
            return s;
        }
        s = memory.map(bufferSize);
        BYTES_HELD.setOpaque(this, bytesHeld + bufferSize);
        return s;
    }

    /** Takes back a buffer from {@link #acquire} that the kernel no longer reads or writes: keeps it or unmaps it. */
    void release(MemorySegment s) {
        if (!closed && free.size() < kept) {
            free.push(s);
            return;
        }
        memory.unmap(s);
        BYTES_HELD.setOpaque(this, bytesHeld - bufferSize);
    }

    /** Unmaps the kept buffers, after the ring closed; a buffer released later is unmapped at once. */
    @Override
    public void close() {
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
            BYTES_HELD = MethodHandles.lookup().findVarHandle(StagingBuffers.class, "bytesHeld", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
