package dev.weft.ioqueue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The slots of an I/O request queue: {@code slots} × {@link QueueAbi#SLOT_BYTES} bytes of native
 * memory, in this process only ({@link #allocate}) or in a file that other processes map too
 * ({@link #map}, e.g. under {@code /dev/shm}), or memory the caller has ({@link #of}). An
 * {@link IoLoop} serves it; producers fill it: this process's threads through {@link #producer()},
 * other processes through {@code ioqueue.h}.
 *
 * <h2>The protocol</h2>
 * Each slot's {@code status} word moves through
 * <pre>
 *   EMPTY --producer fills the words, release-stores--> PUBLISHED
 *   PUBLISHED --loop, CAS (acquire)--> CLAIMED --loop: result into bytes, release-stores--> DONE_OK | DONE_ERROR
 *   DONE_* --producer reads the result, release-stores (or CASes)--> EMPTY
 * </pre>
 * Who writes what: the producer writes {@code op, src, dst, offset_lo, offset_hi, bytes, tag}
 * while the slot is EMPTY, and the statuses EMPTY and PUBLISHED; the loop writes {@code bytes}
 * (the result) and the statuses CLAIMED and DONE_*, never {@code tag}.
 *
 * <h2>Ordering</h2>
 * The producer's plain stores to the request words come before its release store of PUBLISHED;
 * the loop's claiming CAS has acquire semantics, so the loop reads the request the producer
 * wrote. The loop's plain store of the result comes before its release store of DONE_*; the
 * producer's acquire load of DONE_* makes the result visible to it. The producer's release store
 * of EMPTY orders its reads of the result before any reuse of the slot. The loop reads each
 * request word exactly once after claiming (into locals), so a producer that scribbles over a
 * claimed slot changes nothing the loop validated.
 *
 * <h2>Why no slot is lost or claimed twice</h2>
 * One loop serves a queue ({@link IoLoop#start} refuses a second one on the same {@code IoQueue};
 * two processes serving one queue file is a misuse the memory cannot prevent). The loop serves
 * slots in order from the queue's position (slot 0 of a new queue, where the previous loop on
 * this {@code IoQueue} stopped, or as {@link IoLoop}'s "Where a loop starts" finds it): it waits
 * at {@code cursor mod slots} and advances only after claiming that slot. A claim is the
 * CAS PUBLISHED → CLAIMED by the loop's one thread,
 * and only a producer writes PUBLISHED, and only into an EMPTY slot: so each publication is
 * claimed once, and a completed slot (DONE_*, not yet collected) is never claimed again — the
 * loop waits at it as at an EMPTY one. Every published slot is claimed once every slot before it
 * was: none is skipped. A status that is none of the five (or CLAIMED that the loop did not
 * write) is claimed by a CAS from the value seen and completed DONE_ERROR
 * {@link QueueError#NOT_PUBLISHED}. The claim logic is {@code SlotDecoder}; the producers' side is
 * {@link QueueProducer}; {@code QueueProducerLincheckTest} model-checks both against each other,
 * {@code QueueProducerStressTest} and {@code IoLoopTest} run both.
 *
 * <h2>Why no wake-up is lost</h2>
 * Nobody sleeps waiting for a signal that someone else must send: producers in other processes
 * (or a GPU) have no way to wake a JVM thread. The loop and every waiting producer poll the
 * status word, and between polls wait with {@link dev.weft.idle.Backoff} for a bounded time
 * (the loop at most 100 µs, {@link IoLoopConfig#IDLE_BACKOFF}); a change to a status word is
 * seen at the next poll after it, at most one park period late. While the loop has requests in
 * the kernel, its parks are waits in its ring that a completion ends at once.
 *
 * <p>The queue does not own memory it was given ({@link #of}); one it allocated or mapped is freed
 * or unmapped by {@link #close()}, which must come after the loop serving it has stopped.
 */
public final class IoQueue implements AutoCloseable {

    /** Native-order int access; the ABI is little-endian, so the platform must be too. */
    private static final VarHandle INT = JAVA_INT.varHandle();

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("weft's I/O request queue is little-endian (see ioqueue.h); "
                    + "this platform is " + ByteOrder.nativeOrder());
        }
    }

    private final MemorySegment memory;
    private final int slots;
    private final int mask;
    private final Arena arena; // null when the caller owns the memory
    private QueueProducer producer;
    /** The name of the loop serving the queue, or null. */
    private final java.util.concurrent.atomic.AtomicReference<String> servedBy = new java.util.concurrent.atomic.AtomicReference<>();
    /**
     * The queue's position: the ticket of the next request to claim, where the next loop starts
     * and this process's producer starts issuing; {@link #UNKNOWN} until a loop finds it or the
     * producer fixes it (see "Where a loop starts" in {@link IoLoop}).
     */
    private final java.util.concurrent.atomic.AtomicLong position;

    /** {@link #position()} of a queue whose memory came from before and that no loop has positioned. */
    static final long UNKNOWN = -1;

    private IoQueue(MemorySegment memory, int slots, Arena arena, long position) {
        this.memory = memory;
        this.slots = slots;
        this.mask = slots - 1;
        this.arena = arena;
        this.position = new java.util.concurrent.atomic.AtomicLong(position);
    }

    /**
     * A queue of {@code slots} slots in native memory of this process, every slot EMPTY.
     *
     * @throws IllegalArgumentException naming {@code slots} unless it is a power of two from 1 to 65,536
     */
    public static IoQueue allocate(int slots) {
        QueueAbi.checkSlots(slots);
        Arena arena = Arena.ofShared();
        MemorySegment m = arena.allocate((long) slots * QueueAbi.SLOT_BYTES, 64); // zeroed: every slot EMPTY
        return new IoQueue(m, slots, arena, 0);
    }

    /**
     * The queue in {@code file}, mapped shared: created with every slot EMPTY if it does not exist
     * or is empty, else used as it is (a producer may have created and filled it, a loop that
     * died may have left slots CLAIMED), if its size is exactly {@code slots} slots. A new or
     * empty file starts at slot 0; on an existing one, the first loop finds where to start from
     * the slots (see "Where a loop starts" in {@link IoLoop}).
     *
     * @throws IllegalArgumentException naming {@code slots}, or the file's size and the slots it
     *                                  would hold, when they do not fit
     * @throws IOException              when the file cannot be created, opened or mapped
     */
    public static IoQueue map(Path file, int slots) throws IOException {
        QueueAbi.checkSlots(slots);
        long size = (long) slots * QueueAbi.SLOT_BYTES;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long existing = ch.size();
            if (existing != 0 && existing != size) {
                String fits = existing % QueueAbi.SLOT_BYTES == 0
                        ? " (" + existing / QueueAbi.SLOT_BYTES + " slots)" : "";
                throw new IllegalArgumentException("queue file " + file + " has " + existing + " bytes" + fits
                        + ", but a queue of " + slots + " slots has " + size
                        + "; give the slots it was made with, or a new file");
            }
            Arena arena = Arena.ofShared();
            try {
                MemorySegment m = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena); // extends an empty file
                return new IoQueue(m, slots, arena, existing == 0 ? 0 : UNKNOWN);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    /**
     * A queue over memory the caller owns and keeps alive while the queue is used: native,
     * 4-byte aligned, at least {@code slots} slots long. Its contents are used as they are, like
     * an existing file's in {@link #map}.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public static IoQueue of(MemorySegment memory, int slots) {
        Objects.requireNonNull(memory, "memory");
        QueueAbi.checkSlots(slots);
        if (!memory.isNative()) {
            throw new IllegalArgumentException("a queue's memory must be native (shared with the loop and other "
                    + "processes), was a heap segment; allocate it from an Arena or map a file");
        }
        if (memory.address() % Integer.BYTES != 0) {
            throw new IllegalArgumentException("a queue's memory must be 4-byte aligned, was at 0x"
                    + Long.toHexString(memory.address()) + "; allocate it with alignment 64");
        }
        long size = (long) slots * QueueAbi.SLOT_BYTES;
        if (memory.byteSize() < size) {
            throw new IllegalArgumentException("a queue of " + slots + " slots needs " + size + " bytes, the memory has "
                    + memory.byteSize() + "; give fewer slots or more memory");
        }
        return new IoQueue(memory.asSlice(0, size), slots, null, UNKNOWN);
    }

    /** The number of slots. */
    public int slots() {
        return slots;
    }

    /** The queue's memory: {@code slots() * SLOT_BYTES} bytes. */
    public MemorySegment memory() {
        return memory;
    }

    /**
     * This process's producer of the queue, shared by all its threads (created on first use). Its
     * first ticket is the queue's position: slot 0 of a new queue, where the last loop on this
     * queue stopped, or where the loop serving it started; on a queue that came with contents and
     * that no loop has positioned yet, slot 0, and a loop that starts later starts there too.
     * Other processes feeding the same queue would need to agree with it on the next slot: use one
     * producer process per queue.
     */
    public synchronized QueueProducer producer() {
        if (producer == null) {
            position.compareAndSet(UNKNOWN, 0);
            producer = new QueueProducer(this, position.get());
        }
        return producer;
    }

    /**
     * Frees or unmaps the memory the queue allocated or mapped; memory given to {@link #of} stays
     * the caller's. Idempotent.
     *
     * @throws IllegalStateException while a loop serves the queue (stop it first)
     */
    @Override
    public void close() {
        String loop = servedBy.get();
        if (loop != null) {
            throw new IllegalStateException("the queue is served by the loop " + loop + "; stop the loop before"
                    + " closing the queue");
        }
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    // ---- the loop serving the queue

    /** @throws IllegalStateException when a loop serves the queue already */
    void takeLoop(String name) {
        if (!servedBy.compareAndSet(null, name)) {
            throw new IllegalStateException("the queue is served by the loop " + servedBy.get()
                    + " already; stop that loop first (one loop serves a queue at a time)");
        }
    }

    /**
     * The loop stopped at {@code cursor}: the next one starts there ({@link #UNKNOWN}: it never
     * found its position, which stays as it is).
     */
    void releaseLoop(long cursor) {
        if (cursor != UNKNOWN) {
            position.set(cursor);
        }
        servedBy.set(null);
    }

    /** The queue's position, or {@link #UNKNOWN}. */
    long position() {
        return position.get();
    }

    /**
     * Fixes the unknown position at {@code at}, unless it is known already (the producer fixed
     * it first); the position, known from here on.
     */
    long fixPosition(long at) {
        position.compareAndSet(UNKNOWN, at);
        return position.get();
    }

    // ---- word access (the loop's and the producer's)

    int mask() {
        return mask;
    }

    private static long at(int slot, int word) {
        return (long) slot * QueueAbi.SLOT_BYTES + (long) word * Integer.BYTES;
    }

    /** A plain read of a word. */
    int word(int slot, int word) {
        return (int) INT.get(memory, at(slot, word));
    }

    /** A plain write of a word. */
    void setWord(int slot, int word, int value) {
        INT.set(memory, at(slot, word), value);
    }

    /**
     * P2, P3: writes a request's words into {@code slot} (plain stores), then PUBLISHED with
     * release. The caller owns the slot: it saw it EMPTY.
     */
    void publish(int slot, int op, int src, int dst, long offset, int bytes, int tag) {
        setWord(slot, QueueAbi.WORD_OP, op);
        setWord(slot, QueueAbi.WORD_SRC, src);
        setWord(slot, QueueAbi.WORD_DST, dst);
        setWord(slot, QueueAbi.WORD_OFFSET_LO, (int) offset);
        setWord(slot, QueueAbi.WORD_OFFSET_HI, (int) (offset >>> 32));
        setWord(slot, QueueAbi.WORD_BYTES, bytes);
        setWord(slot, QueueAbi.WORD_TAG, tag);
        setStatusRelease(slot, QueueAbi.STATUS_PUBLISHED);
        wakeDozer();
    }

    // ---- the dozing loop (see IoLoop, "Waiting")

    /**
     * The loop thread while it dozes, else null. Dekker-style with {@link #publish}: the loop
     * writes it (volatile), fences, then reads the slot it would claim next; a publisher writes
     * the slot's status, fences, then reads this. With a full fence on each side at least one
     * sees the other's write: either the loop sees the publication and does not doze, or the
     * publisher sees the dozer and unparks it. So a publication by this process never waits out
     * a doze. (Publishers in other processes cannot unpark; the doze period bounds their wait.)
     */
    private volatile Thread dozer;

    /** The loop, before it dozes: it re-checks its next slot after this returns. */
    void dozing(Thread loop) {
        dozer = loop;
        VarHandle.fullFence();
    }

    /** The loop, after its doze. */
    void awake() {
        dozer = null;
    }

    /** Unparks the loop if it dozes (after a publication; see {@link #dozer}). */
    private void wakeDozer() {
        VarHandle.fullFence();
        Thread t = dozer;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The status, read with acquire (L1, P1, P4). */
    int statusAcquire(int slot) {
        return (int) INT.getAcquire(memory, at(slot, QueueAbi.WORD_STATUS));
    }

    /** Writes the status with release (P3, P5, L4). */
    void setStatusRelease(int slot, int status) {
        INT.setRelease(memory, at(slot, QueueAbi.WORD_STATUS), status);
    }

    /** Compare-and-swaps the status, acquire on success (L2, P5 with many collectors). */
    boolean casStatus(int slot, int expected, int status) {
        return INT.compareAndSet(memory, at(slot, QueueAbi.WORD_STATUS), expected, status);
    }
}
