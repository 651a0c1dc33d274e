package dev.weft.device;

import dev.weft.idle.Backoff;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded, lock-free, double-buffered batching channel from many producers to one consumer.
 * Device runners use it to receive work; it is public so that later parts of weft reuse it.
 *
 * <h2>Implementation overview</h2>
 *
 * <b>Buffers.</b> Two buffers of {@code capacity} slots each, held in one array: buffer
 * {@code b} is {@code slots[b * capacity .. (b + 1) * capacity)}. At any time producers fill one
 * of them (the <i>open</i> buffer) while the consumer runs the other.
 *
 * <p><b>The tail word.</b> One 64-bit word holds all shared state that decides where an item
 * goes, so every decision is one atomic operation on it:
 * <pre>
 *   bit 63      CLOSED:  no send is accepted any more (the sign bit: closed iff tail &lt; 0)
 *   bit 62      FLUSHED: the open buffer was flushed: it is eligible though not full
 *   bits 61..32 epoch:   the open buffer is epoch &amp; 1; only the consumer changes it
 *   bits 31..0  count:   claims made on the open buffer (may exceed capacity, see below)
 * </pre>
 *
 * <h2>Operations and their transitions</h2>
 * <ul>
 *   <li><b>send</b> (any thread): {@code t = getAndAdd(tail, 1)}, one atomic add.
 *     <ul>
 *       <li>{@code t} has CLOSED: rejected ({@code send} returns false).</li>
 *       <li>{@code count(t) < capacity}: slot {@code count(t)} of buffer {@code epoch(t) & 1} is
 *           the producer's alone; it stores the item with release semantics. The producer that
 *           claims the last slot wakes the consumer if it is parked: the buffer is now full.</li>
 *       <li>{@code count(t) >= capacity}: the open buffer is full and the consumer has not yet
 *           swapped it out (it is still running the other one): both buffers are full. The failed
 *           claim only raised the count, which the consumer clamps to capacity; a producer makes
 *           at most one failed claim per epoch, so the count never carries into the epoch. The
 *           producer backs off until the epoch changes (or CLOSED appears) and claims again.</li>
 *     </ul></li>
 *   <li><b>flush</b> (any thread): CAS {@code t → t | FLUSHED}, only while the open buffer has
 *       claims and is not flushed or closed; otherwise nothing (all sent before is in a buffer
 *       already swapped out, or already eligible). Wakes a parked consumer.
 *       <b>sendAndFlush</b> claims and flushes in one CAS, {@code t → (t + 1) | FLUSHED}, when
 *       {@code count(t) < capacity}; it is a claim exactly like the add of send.</li>
 *   <li><b>close</b> (any thread): CAS {@code t → t | CLOSED}. The closer then publishes the tail it
 *       closed in {@code closedTail} (rejected sends keep raising the count, so the consumer needs
 *       the count at the instant of closing), releases parked producers and wakes the consumer.</li>
 *   <li><b>receive</b> (the consumer): if the tail is eligible (full or FLUSHED), CAS
 *       {@code t → (epoch + 1) << 32}: producers now claim slots in the other buffer, which the
 *       consumer drained completely in the receive that swapped it out. A CAS that fails because a
 *       producer claimed is retried; it fails at most {@code capacity} times plus once per
 *       producer, since a full buffer takes no more successful claims and a producer makes one
 *       failed claim per epoch. The consumer then runs slots {@code 0 .. min(count(t), capacity)}
 *       of the swapped-out buffer in order, waiting (short back-off, {@code STORE_WAIT}, no
 *       registration) for a slot whose producer has claimed but not yet stored, and clears each
 *       slot. If the tail is CLOSED, the consumer reads {@code closedTail} (waiting briefly if the
 *       closer has not published it yet), runs the claimed slots of the open buffer and is done
 *       ({@link #isDrained()}).</li>
 * </ul>
 *
 * <h2>Why nothing is lost, duplicated or reordered</h2>
 * <ul>
 *   <li>Claims are atomic adds and swaps are CASes on the one tail word, so each accepted claim lies
 *       in exactly one epoch, and each epoch's claimed slots are run exactly once, by the one
 *       consumer, in claim order. Claims of one producer follow its program order, so
 *       per-producer order holds; epochs run in order.</li>
 *   <li>The swap is a CAS, not an exchange, so it never erases a CLOSED or FLUSHED set by another
 *       thread after the consumer read the tail. A send is accepted exactly when its add comes
 *       before the CAS that set CLOSED, and then lies in the final epoch's count, which
 *       {@code closedTail} records: everything accepted is delivered, nothing after.</li>
 *   <li>FLUSHED lives and dies with its epoch: the flusher's sends were claimed before its CAS on
 *       the same word, so they are in the epoch it marks or in an earlier one. A flush never makes a
 *       later epoch eligible and is never erased before its epoch is swapped out. (A flush counter
 *       read before the swap was tried first: safe, but it could make the next epoch eligible
 *       early, which the Lincheck model rejected; so did a close flag read outside the tail word.)</li>
 *   <li>A slot is cleared with a plain write before the consumer's next CAS of the tail, and a
 *       producer reaches that slot again only through an epoch published by such a CAS, so the
 *       clear happens-before the producer's store.</li>
 * </ul>
 *
 * <h2>Why no wake-up is lost</h2>
 * Each sleeper publishes before it re-checks, each waker changes state before it looks, and all
 * four accesses are volatile (sequentially consistent), so at least one side sees the other:
 * <ul>
 *   <li>Consumer: {@code consumerParked = 1}; re-read the tail; park only if it is neither full,
 *       flushed nor closed. Producers: change the tail (the filling claim, the FLUSHED or CLOSED
 *       CAS), then read {@code consumerParked} and unpark the consumer if it is set.</li>
 *   <li>Producer facing two full buffers: push a {@link Waiter} onto the {@code waiters} stack
 *       (CAS), re-read the tail, park only if the epoch is unchanged and it is not closed.
 *       Consumer (after a swap) and closer (after closing): change the tail, then read
 *       {@code waiters}; if non-empty, take the whole stack and unpark each.</li>
 * </ul>
 * An unpark that arrives after the sleeper re-checked and left only leaves a permit: its next park
 * returns at once and re-checks. Parks are bounded by the back-off's longest period as a safety
 * net, not as the wake-up mechanism.
 *
 * <h2>Costs</h2>
 * A send is one atomic add and one release store; a send that fills a buffer also reads one
 * volatile flag. A flush is one CAS, or nothing when the open buffer is empty or already flushed.
 * No send allocates; a producer allocates a {@link Waiter} only when it is about to park on two
 * full buffers. The tail word lives on its own cache line.
 *
 * @param <T> the item type
 */
public final class BatchChannel<T> extends BatchChannelPadAfterTail {

    /** Slots per buffer unless configured otherwise. */
    public static final int DEFAULT_CAPACITY = 32;
    /** Largest slots per buffer. */
    public static final int MAX_CAPACITY = 1 << 20;

    private static final long CLOSED = 1L << 63;
    private static final long FLUSHED = 1L << 62;
    private static final int EPOCH_SHIFT = 32;
    private static final long EPOCH_MASK = (1L << 30) - 1;
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    /**
     * How the consumer waits for a slot that is claimed but not yet stored, or for a closer to
     * publish {@code closedTail}. The other thread is between two instructions, so the wait ends
     * at once unless it was descheduled; then spinning only steals the core it needs. Spin
     * briefly, then yield, then park at most 100 µs: no wake-up is involved, and a long park here
     * would stall the whole channel.
     */
    private static final Backoff STORE_WAIT = new Backoff(64, 256, 1_000, 100_000);

    /**
     * Spin steps between two reads of the tail while producers are filling a buffer that is not
     * eligible yet. Each read pulls the tail's cache line away from the producers, whose next claim
     * must then win it back; reading every 4th step raised single-producer throughput by about a
     * quarter on the device bench. While the open buffer is empty (the runner waits for a call),
     * it reads every step, so a call's round trip is not delayed.
     */
    private static final int STREAMING_SPINS_PER_READ = 4;

    private static final VarHandle CLOSED_TAIL;
    private static final VarHandle CONSUMER_PARKED;
    private static final VarHandle WAITERS;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLOSED_TAIL = l.findVarHandle(BatchChannel.class, "closedTail", long.class);
            CONSUMER_PARKED = l.findVarHandle(BatchChannel.class, "consumerParked", int.class);
            WAITERS = l.findVarHandle(BatchChannel.class, "waiters", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final Object[] slots;
    private final Backoff backoff;

    // Written by producers (rarely), read by the consumer.
    private volatile long closedTail; // the tail as it was closed, with CLOSED set; 0 until then
    private volatile Waiter waiters;
    // Written by the consumer, read by producers that fill, flush or close.
    private volatile int consumerParked;
    private Thread consumer;

    // The consumer's own state.
    private long epoch;
    private boolean drained;
    /** The last tail read showed claims in a buffer that was not eligible yet. */
    private boolean filling;

    /** A channel of {@link #DEFAULT_CAPACITY} slots per buffer that waits with {@link Backoff#DEFAULT}. */
    public BatchChannel() {
        this(DEFAULT_CAPACITY, Backoff.DEFAULT);
    }

    /**
     * @param capacity slots per buffer, 1 to {@link #MAX_CAPACITY}
     * @param backoff  how producers facing two full buffers and an idle consumer wait
     * @throws IllegalArgumentException naming the capacity when it is out of range
     */
    public BatchChannel(int capacity, Backoff backoff) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("channel capacity must be 1.." + MAX_CAPACITY
                    + " slots per buffer, was " + capacity);
        }
        this.capacity = capacity;
        this.slots = new Object[2 * capacity];
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /** Slots per buffer. */
    public int capacity() {
        return capacity;
    }

    // ---------------------------------------------------------------------------------------
    // Producer side: any thread.

    /**
     * Sends an item: it runs when its buffer is full, after a {@link #flush()}, or when the channel
     * is closed, whichever comes first. Waits (spin, yield, park) while both buffers are full; the
     * wait is not interruptible (an interrupt is kept for later).
     *
     * @return true if the item was accepted (it will be received exactly once); false if the
     *         channel is closed (it will never be received)
     */
    public boolean send(T item) {
        return send(item, false);
    }

    /**
     * Sends an item and makes it, and everything sent before it, eligible to run now: what a caller
     * that waits for its item's result wants. One CAS claims the slot and sets FLUSHED together,
     * instead of an add followed by a flush CAS. Waits like {@link #send} while both buffers are
     * full.
     *
     * @return true if the item was accepted; false if the channel is closed
     */
    public boolean sendAndFlush(T item) {
        return send(item, true);
    }

    private boolean send(T item, boolean flush) {
        Objects.requireNonNull(item, "item");
        for (;;) {
            long t = flush ? claimAndFlush(item) : claim(item);
            if (t < 0) {
                return false;
            }
            if ((t & COUNT_MASK) < capacity) {
                return true;
            }
            if (!awaitSwap(t)) {
                return false;
            }
        }
    }

    /**
     * {@link #send} or {@link #sendAndFlush} without waiting: false when the open buffer is full or
     * the channel closed. For the Lincheck model, which cannot express a wait.
     */
    boolean offer(T item, boolean flush) {
        Objects.requireNonNull(item, "item");
        long t = flush ? claimAndFlush(item) : claim(item);
        return t >= 0 && (t & COUNT_MASK) < capacity;
    }

    /**
     * One claim-and-flush: CAS {@code t → (t + 1) | FLUSHED} while the open buffer has room, then
     * store. Returns the tail the CAS replaced, or the closed or full tail that stopped it.
     */
    private long claimAndFlush(T item) {
        for (;;) {
            long t = (long) TAIL.getVolatile(this);
            long index = t & COUNT_MASK;
            if (t < 0 || index >= capacity) {
                return t;
            }
            if (TAIL.compareAndSet(this, t, (t + 1) | FLUSHED)) {
                store(t, item);
                wakeConsumer();
                return t;
            }
        }
    }

    /** One claim: stores the item if the claimed slot exists. Returns the tail before the add. */
    private long claim(T item) {
        long t = (long) TAIL.getAndAdd(this, 1L);
        if (t >= 0 && (t & COUNT_MASK) < capacity) {
            store(t, item);
            if ((t & COUNT_MASK) == capacity - 1) {
                wakeConsumer(); // this claim filled the buffer
            }
        }
        return t;
    }

    /** Stores an item in the slot that the claim which saw tail {@code t} won (release). */
    private void store(long t, T item) {
        int buffer = (int) ((t >>> EPOCH_SHIFT) & 1);
        SLOTS.setRelease(slots, buffer * capacity + (int) (t & COUNT_MASK), item);
    }

    /**
     * Makes everything the calling thread has sent so far eligible to run now, without waiting
     * for it to run. Costs nothing when the open buffer is empty or already flushed.
     */
    public void flush() {
        for (;;) {
            long t = (long) TAIL.getVolatile(this);
            if (t < 0 || (t & FLUSHED) != 0 || (t & COUNT_MASK) == 0) {
                return; // closed, already flushed, or empty (all sent before is swapped out)
            }
            if (TAIL.compareAndSet(this, t, t | FLUSHED)) {
                wakeConsumer();
                return;
            }
        }
    }

    /**
     * Closes the channel: sends from now on are rejected; everything accepted before is still
     * delivered, by the consumer's next {@link #receive}. Idempotent.
     */
    public void close() {
        for (;;) {
            long t = (long) TAIL.getVolatile(this);
            if (t < 0) {
                return;
            }
            if (TAIL.compareAndSet(this, t, t | CLOSED)) {
                CLOSED_TAIL.setVolatile(this, t | CLOSED);
                releaseWaiters();
                wakeConsumer();
                return;
            }
        }
    }

    /** Whether sends are rejected. */
    public boolean isClosed() {
        return (long) TAIL.getVolatile(this) < 0;
    }

    private void wakeConsumer() {
        if ((int) CONSUMER_PARKED.getVolatile(this) != 0) {
            LockSupport.unpark(consumer);
        }
    }

    /** Waits until the consumer swaps the buffer the claim {@code seen} found full. */
    private boolean awaitSwap(long seen) {
        long seenEpoch = (seen >>> EPOCH_SHIFT) & EPOCH_MASK;
        Waiter self = null;
        boolean interrupted = false;
        long step = 0;
        try {
            for (;;) {
                long t = (long) TAIL.getVolatile(this);
                if (t < 0) {
                    return false;
                }
                if (((t >>> EPOCH_SHIFT) & EPOCH_MASK) != seenEpoch) { // FLUSHED is not a swap
                    return true;
                }
                if (backoff.parks(step) && self == null) {
                    self = new Waiter(Thread.currentThread());
                    pushWaiter(self);
                    continue; // re-check the tail after publishing the waiter
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                }
                step = backoff.idle(step);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void pushWaiter(Waiter w) {
        Waiter head;
        do {
            head = waiters;
            w.next = head;
        } while (!WAITERS.compareAndSet(this, head, w));
    }

    private void releaseWaiters() {
        if (WAITERS.getVolatile(this) == null) {
            return;
        }
        Waiter w = (Waiter) WAITERS.getAndSet(this, (Waiter) null);
        while (w != null) {
            Waiter next = w.next;
            LockSupport.unpark(w.thread);
            w = next;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Consumer side: one thread only.

    /**
     * Receives one eligible batch, if there is one: swaps the open buffer out and passes its items
     * to {@code sink} in claim order; on a closed channel, passes the final batch and marks the
     * channel {@linkplain #isDrained() drained}. Consumer thread only.
     *
     * <p>If {@code sink} throws, the rest of the batch is still delivered and the first throwable
     * is rethrown after, with the later ones suppressed: the channel never drops an item.
     *
     * @return the number of items delivered; 0 if no batch was eligible
     */
    public int receive(Consumer<? super T> sink) {
        if (drained) {
            return 0;
        }
        long t = (long) TAIL.getVolatile(this);
        int base = (int) (epoch & 1) * capacity;
        for (;;) {
            if (t < 0) {
                drained = true;
                releaseWaiters();
                return deliver(base, claimed(awaitClosedTail()), sink);
            }
            if (!eligible(t)) {
                filling = (t & COUNT_MASK) != 0;
                return 0;
            }
            long next = ((epoch + 1) & EPOCH_MASK) << EPOCH_SHIFT;
            long witness = (long) TAIL.compareAndExchange(this, t, next);
            if (witness == t) {
                break;
            }
            t = witness; // a producer claimed, flushed or closed meanwhile: decide again
        }
        epoch = (epoch + 1) & EPOCH_MASK;
        releaseWaiters();
        return deliver(base, claimed(t), sink);
    }

    /**
     * Whether the channel is closed and its final batch was delivered: the consumer is done.
     * Consumer thread only.
     */
    public boolean isDrained() {
        return drained;
    }

    /** Whether a batch is eligible now (full, flushed, or the final one). Consumer thread only. */
    public boolean hasEligible() {
        if (drained) {
            return false;
        }
        long t = (long) TAIL.getVolatile(this);
        return t < 0 || eligible(t);
    }

    /**
     * Waits one back-off step for an eligible batch. Parking steps first publish that the consumer
     * is parked and re-check, so a producer that fills, flushes or closes wakes it. Consumer thread
     * only; the caller clears its interrupt flag if it wants parking to work while interrupted.
     *
     * @param step the back-off step, 0 after the last batch was received
     * @return the next step
     */
    public long awaitEligible(long step) {
        if (!backoff.parks(step)) {
            long next = backoff.idle(step);
            for (int i = 1; filling && i < STREAMING_SPINS_PER_READ && !backoff.parks(next); i++) {
                next = backoff.idle(next);
            }
            return next;
        }
        consumer = Thread.currentThread(); // published by the volatile write below
        CONSUMER_PARKED.setVolatile(this, 1);
        try {
            if (hasEligible()) {
                return step + 1;
            }
            return backoff.idle(step);
        } finally {
            CONSUMER_PARKED.setOpaque(this, 0);
        }
    }

    /** Whether the open buffer described by tail word {@code t} is full or flushed. */
    private boolean eligible(long t) {
        return (t & COUNT_MASK) >= capacity || (t & FLUSHED) != 0;
    }

    private int claimed(long t) {
        return (int) Math.min(t & COUNT_MASK, capacity);
    }

    /** The closer sets CLOSED, then publishes the tail it closed: wait for that second step. */
    private long awaitClosedTail() {
        long step = 0;
        long closed;
        while ((closed = (long) CLOSED_TAIL.getVolatile(this)) == 0) {
            step = STORE_WAIT.idle(step);
        }
        return closed;
    }

    @SuppressWarnings("unchecked")
    private int deliver(int base, int n, Consumer<? super T> sink) {
        Throwable first = null;
        for (int i = 0; i < n; i++) {
            int s = base + i;
            Object item = SLOTS.getAcquire(slots, s);
            if (item == null) {
                item = awaitStore(s);
            }
            slots[s] = null; // plain: published by the next CAS of the tail
            try {
                sink.accept((T) item);
            } catch (Throwable e) {
                if (first == null) {
                    first = e;
                } else if (first != e) {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw BatchChannel.<RuntimeException>sneaky(first);
        }
        return n;
    }

    /** A producer claimed slot {@code s} and is about to store: no wake-up needed, just wait. */
    private Object awaitStore(int s) {
        long step = 0;
        Object item;
        while ((item = SLOTS.getAcquire(slots, s)) == null) {
            step = STORE_WAIT.idle(step);
        }
        return item;
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable t) throws X {
        throw (X) t;
    }

    /** A producer parked on two full buffers. */
    private static final class Waiter {
        final Thread thread;
        Waiter next;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }
}

/** Padding before the tail word. */
abstract class BatchChannelPadBeforeTail {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

/** The tail word, alone on its cache lines: producers add to it, the consumer swaps it. */
abstract class BatchChannelTail extends BatchChannelPadBeforeTail {
    static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(BatchChannelTail.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile long tail;
}

/** Padding after the tail word. */
abstract class BatchChannelPadAfterTail extends BatchChannelTail {
    long p10, p11, p12, p13, p14, p15, p16, p17;
    long p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
}
