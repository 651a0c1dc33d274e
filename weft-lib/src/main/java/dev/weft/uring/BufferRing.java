package dev.weft.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}, Linux 5.19): buffers the kernel picks
 * from when a receive is submitted with {@code IOSQE_BUFFER_SELECT}, so a receive that waits on
 * an idle connection holds no memory. The completion names the buffer it used
 * ({@code cqe.flags >> 16}); the owner copies the bytes out and {@link #recycle recycles} it.
 *
 * <p>Owner thread only. The ring's tail (a u16 overlaying entry 0's reserved field) is published
 * with a release store after the entry is written, so the kernel never picks a half-written
 * entry.
 */
public final class BufferRing implements AutoCloseable {

    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    private final Ring ring;
    private final int group;
    private final int entries;
    private final int bufferSize;
    private final Arena arena;
    private final MemorySegment entriesMemory;
    private final MemorySegment buffers;
    private int tail;
    private boolean closed;

    private BufferRing(Ring ring, int group, int entries, int bufferSize, Arena arena, MemorySegment entriesMemory,
                       MemorySegment buffers) {
        this.ring = ring;
        this.group = group;
        this.entries = entries;
        this.bufferSize = bufferSize;
        this.arena = arena;
        this.entriesMemory = entriesMemory;
        this.buffers = buffers;
    }

    /**
     * Registers a ring of {@code entries} buffers of {@code bufferSize} bytes as buffer group
     * {@code group}, all of them available.
     *
     * @throws ErrnoException if the kernel refuses (EINVAL before 5.19)
     */
    public static BufferRing register(Ring ring, int group, int entries, int bufferSize) throws ErrnoException {
        if (entries < 1 || entries > 32768 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("buffer ring entries must be a power of two in 1..32768, was " + entries);
        }
        if (!ring.kernel().providedBufferRings()) {
            throw new ErrnoException("io_uring_register(PBUF_RING, group " + group + ") refused: kernel "
                    + ring.kernel().release() + " has no provided-buffer rings (Linux 5.19)", Errno.EINVAL, null);
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment memory = arena.allocate((long) entries * Abi.BUF_SIZE, 4096);
            MemorySegment buffers = arena.allocate((long) entries * bufferSize, 4096);
            MemorySegment reg = arena.allocate(Abi.BUF_REG_SIZE, 8);
            reg.set(JAVA_LONG, 0, memory.address());
            reg.set(JAVA_INT, 8, entries);
            reg.set(JAVA_SHORT, 12, (short) group);
            int r = ring.register(Abi.REGISTER_PBUF_RING, reg.address(), 1);
            if (r < 0) {
                throw new ErrnoException("io_uring_register(PBUF_RING, group " + group + ")", r);
            }
            BufferRing b = new BufferRing(ring, group, entries, bufferSize, arena, memory, buffers);
            for (int i = 0; i < entries; i++) {
                b.put(i);
            }
            b.publish();
            return b;
        } catch (ErrnoException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public int group() {
        return group;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** Buffer {@code id}'s memory. */
    public MemorySegment buffer(int id) {
        return buffers.asSlice((long) id * bufferSize, bufferSize);
    }

    /** Makes buffer {@code id} available to the kernel again. */
    public void recycle(int id) {
        put(id);
        publish();
    }

    private void put(int id) {
        if (id < 0 || id >= entries) {
            throw new IllegalArgumentException("buffer id " + id + " is outside ring group " + group + " (0.."
                    + (entries - 1) + ")");
        }
        long e = (long) (tail & (entries - 1)) * Abi.BUF_SIZE;
        entriesMemory.set(JAVA_LONG, e + Abi.BUF_ADDR, buffers.address() + (long) id * bufferSize);
        entriesMemory.set(JAVA_INT, e + Abi.BUF_LEN, bufferSize);
        entriesMemory.set(JAVA_SHORT, e + Abi.BUF_BID, (short) id);
        tail++;
    }

    private void publish() {
        SHORT.setRelease(entriesMemory, (long) Abi.BUF_RING_TAIL, (short) tail);
    }

    /** Unregisters the group and frees its memory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(Abi.BUF_REG_SIZE, 8);
            reg.set(JAVA_SHORT, 12, (short) group);
            ring.register(Abi.UNREGISTER_PBUF_RING, reg.address(), 1);
        }
        arena.close();
    }
}
