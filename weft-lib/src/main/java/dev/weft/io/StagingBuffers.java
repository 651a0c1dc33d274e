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
 * <h2>Two sizes</h2>
 * A length of at most {@link #SMALL_LENGTH} gets a small buffer, a longer one a buffer of
 * {@link #MAX_LENGTH}. Most staged operations are small (an HTTP response with a small file, a
 * request, an address) and many are in flight at once (a worker answering a hundred connections
 * sends a hundred responses in one submission), so small buffers are kept in greater number: a
 * pool of large buffers only would map and unmap dozens of 64 KiB buffers every round, and each
 * unmap flushes the TLB of every processor running the process. Only the pages a copy touched
 * are resident, so a kept small buffer that only ever staged a short send holds one page.
 *
 * <h2>Bounded: the surplus is freed</h2>
 * {@link #acquire} reuses a kept buffer of its size or maps a new one; {@link #release} keeps up
 * to {@value #SMALL_KEPT} small and {@value #KEPT} large buffers for reuse and unmaps the rest at
 * once. So the memory held is at most {@link #KEPT_BYTES} plus one buffer per operation in flight
 * that stages, and it falls back to the kept ones when a burst ends ({@link #bytesHeld()}, in
 * {@code WorkerStats.stagingBytes}). The
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
    /** Released large buffers kept for reuse. */
    static final int KEPT = 16;
    /** The size of a small buffer: lengths up to this get one. */
    static final int SMALL_LENGTH = 16 * 1024;
    /** Released small buffers kept for reuse. */
    static final int SMALL_KEPT = 256;
    /** The most bytes the kept buffers of one pool hold. */
    static final long KEPT_BYTES = (long) KEPT * MAX_LENGTH + (long) SMALL_KEPT * SMALL_LENGTH;

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

    private final Memory memory;
    private final Size small;
    private final Size large;
    private boolean closed;
    /** Bytes mapped now: kept plus taken. Opaque: read by stats on other threads. */
    private long bytesHeld;

    /** One size of buffer: its length, how many released ones are kept, and those. */
    private static final class Size {
        final int length;
        final int kept;
        final ArrayDeque<MemorySegment> free = new ArrayDeque<>();

        Size(int length, int kept) {
            this.length = length;
            this.kept = kept;
        }
    }

    /**
     * {@value #SMALL_KEPT} kept buffers of {@link #SMALL_LENGTH} bytes and {@value #KEPT} of
     * {@link #MAX_LENGTH}, anonymous mappings of its own.
     */
    StagingBuffers() {
        this(SMALL_LENGTH, SMALL_KEPT, MAX_LENGTH, KEPT, anonymous());
    }

    /** One size only: {@code bufferSize} bytes, {@code kept} kept. */
    StagingBuffers(int bufferSize, int kept, Memory memory) {
        this(bufferSize, kept, bufferSize, kept, memory);
    }

    /**
     * Buffers of {@code smallSize} bytes for lengths up to it ({@code smallKept} kept) and of
     * {@code bufferSize} for longer ones ({@code kept} kept).
     */
    StagingBuffers(int smallSize, int smallKept, int bufferSize, int kept, Memory memory) {
        if (bufferSize <= 0 || kept < 0 || smallSize <= 0 || smallSize > bufferSize || smallKept < 0) {
            throw new IllegalArgumentException("staging buffers of " + smallSize + " and " + bufferSize + " bytes, "
                    + smallKept + " and " + kept + " kept: sizes must be positive, the small one at most the"
                    + " other, and the counts at least 0");
        }
        this.large = new Size(bufferSize, kept);
        this.small = smallSize == bufferSize ? large : new Size(smallSize, smallKept);
        this.memory = memory;
    }

    /** The size of a large buffer, the longest {@link #acquire} returns. */
    int bufferSize() {
        return large.length;
    }

    /**
     * A buffer of the small size for a {@code length} that fits it, else of {@link #bufferSize()}
     * bytes; the caller's until it {@link #release}s it.
     */
    MemorySegment acquire(int length) {
        Size size = length <= small.length ? small : large;
        MemorySegment s = size.free.poll();
        if (s != null) {
            return s;
        }
        s = memory.map(size.length);
        BYTES_HELD.setOpaque(this, bytesHeld + size.length);
        return s;
    }

    /** Takes back a buffer from {@link #acquire} that the kernel no longer reads or writes: keeps it or unmaps it. */
    void release(MemorySegment s) {
        Size size = s.byteSize() == small.length ? small : large;
        if (!closed && size.free.size() < size.kept) {
            size.free.push(s);
            return;
        }
        memory.unmap(s);
        BYTES_HELD.setOpaque(this, bytesHeld - size.length);
    }

    /** Unmaps the kept buffers, after the ring closed; a buffer released later is unmapped at once. */
    @Override
    public void close() {
        closed = true;
        for (Size size : new Size[]{small, large}) {
            MemorySegment s;
            while ((s = size.free.poll()) != null) {
                memory.unmap(s);
                BYTES_HELD.setOpaque(this, bytesHeld - size.length);
            }
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
