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
 * <p><b>The tail word.</b> One 64-bit word holds all shared producer state:
 * <pre>
 *   bit 63      CLOSED: no send is accepted any more
 *   bits 62..32 epoch:  the open buffer is epoch &amp; 1; only the consumer changes it
 *   bits 31..0  count:  slots claimed in the open buffer (may exceed capacity, see below)
 * </pre>
 *
 * <b>Send</b> (any thread): {@code t = getAndAdd(tail, 1)}. One atomic add claims a slot.
 * <ul>
 *   <li>{@code t} has CLOSED: the item is rejected ({@code send} returns false).</li>
 *   <li>{@code count(t) < capacity}: the slot {@code count(t)} of buffer {@code epoch(t) & 1} is
 *       the producer's alone; it stores the item there with release semantics. The producer that
 *       claims the last slot wakes the consumer if it is parked (the buffer is now full).</li>
 *   <li>{@code count(t) >= capacity}: the open buffer is full and the consumer still runs the other
 *       one: both buffers are full. The failed claim only raised the count (harmless: the consumer
 *       clamps it to capacity, and at most one failed claim per producer is outstanding, so the
 *       count never carries into the epoch). The producer backs off until the epoch changes and
 *       tries again.</li>
 * </ul>
 *
 * <b>Eligibility.</b> Items in the open buffer run when it is full, when a {@link #flush()}
 * asked for it, or when the channel is closing. {@code flush} increments {@code flushRequests}
 * (one atomic add, skipped when the open buffer is empty) after the caller's sends; the consumer
 * remembers the last value it has served ({@code flushSeen}).
 *
 * <p><b>Swap</b> (consumer only, in {@link #receive}): read {@code flushRequests} into {@code f},
 * then {@code old = getAndSet(tail, (epoch + 1) << 32 | closing)}. From that instant producers
 * claim slots in the other buffer, which the consumer drained before: it drains every buffer
 * completely in the same call that swapped it out. The consumer then runs slots
 * {@code 0 .. min(count(old), capacity)} of the swapped-out buffer in order, waiting (bounded
 * back-off, no registration needed) for a slot whose producer has claimed but not yet stored, and
 * clears each slot. It sets {@code flushSeen = f}.
 *
 * <h2>Why nothing is lost, duplicated or reordered</h2>
 * <ul>
 *   <li>Every claim is an atomic add on the one tail word, and every swap an atomic exchange on it,
 *       so each claim lies in exactly one epoch and each epoch's claimed slots are run exactly
 *       once, by the one consumer, in claim order. Claims of one producer are ordered by program
 *       order, so per-producer order holds; epochs run in order.</li>
 *   <li>Close sets CLOSED in the same exchange that takes the last buffer: a send is either
 *       claimed before it (and runs in that final drain) or sees CLOSED (and is rejected). Nothing
 *       accepted is dropped.</li>
 *   <li>Flush: a flusher's sends precede its increment of {@code flushRequests}; the consumer reads
 *       {@code flushRequests} before it reads or swaps the tail. So every flush the consumer has
 *       counted is covered by the swap it makes (or, if the open buffer is empty, by swaps already
 *       made), and a flush it has not counted leaves {@code flushRequests != flushSeen}: another
 *       swap follows. A counter, not a flag: clearing a flag could erase a concurrent flush.</li>
 *   <li>A slot is cleared with a plain write before the consumer's next exchange of the tail, and a
 *       producer reaches that slot again only through an epoch published by such an exchange, so
 *       the clear happens-before the producer's store.</li>
 * </ul>
 *
 * <h2>Why no wake-up is lost</h2>
 * Both sleepers publish before they re-check, both wakers change state before they look, and all
 * four accesses are volatile (sequentially consistent), so at least one side sees the other:
 * <ul>
 *   <li>Consumer: {@code consumerParked = 1}; re-check eligibility (reads {@code closeRequested},
 *       {@code tail}, {@code flushRequests}); park only if nothing is eligible. Producers: change
 *       the tail (filling claim) or {@code flushRequests} or {@code closeRequested}, then read
 *       {@code consumerParked} and unpark the consumer if it is set.</li>
 *   <li>Producer facing two full buffers: push a {@link Waiter} onto the {@code waiters} stack
 *       (CAS), re-check the epoch, park only if it is unchanged. Consumer: exchange the tail (new
 *       epoch), then read {@code waiters}; if non-empty, take the whole stack and unpark each.</li>
 * </ul>
 * An unpark that arrives after the sleeper re-checked and left only leaves a permit: its next park
 * returns at once and re-checks. Parks are bounded by the back-off's longest period as a safety
 * net, not as the wake-up mechanism.
 *
 * <h2>Costs</h2>
 * A send is one atomic add and one release store; a send that fills a buffer also reads one
 * volatile flag. No send allocates; a producer allocates a {@link Waiter} only when it is about to
 * park on two full buffers. The tail word lives on its own cache line.
 *
 * @param <T> the item type
 */
public final class BatchChannel<T> extends BatchChannelPadAfterTail {

    /** Slots per buffer unless configured otherwise. */
    public static final int DEFAULT_CAPACITY = 32;
    /** Largest slots per buffer. */
    public static final int MAX_CAPACITY = 1 << 20;

    private static final long CLOSED = 1L << 63;
    private static final int EPOCH_SHIFT = 32;
    private static final long EPOCH_MASK = 0x7FFF_FFFFL;
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private static final VarHandle FLUSH_REQUESTS;
    private static final VarHandle CLOSE_REQUESTED;
    private static final VarHandle CONSUMER_PARKED;
    private static final VarHandle WAITERS;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FLUSH_REQUESTS = l.findVarHandle(BatchChannel.class, "flushRequests", int.class);
            CLOSE_REQUESTED = l.findVarHandle(BatchChannel.class, "closeRequested", int.class);
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
    private volatile int flushRequests;
    private volatile int closeRequested;
    private volatile Waiter waiters;
    // Written by the consumer, read by producers that fill, flush or close.
    private volatile int consumerParked;
    private Thread consumer;

    // The consumer's own state.
    private long epoch;
    private int flushSeen;
    private boolean drained;

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
     * closes, whichever comes first. Waits (spin, yield, park) while both buffers are full.
     *
     * @return true if the item was accepted (it will be received exactly once); false if the
     *         channel is closed (it will never be received)
     */
    public boolean send(T item) {
        Objects.requireNonNull(item, "item");
        for (;;) {
            long t = (long) TAIL.getAndAdd(this, 1L);
            if (t < 0) {
                return false; // CLOSED is the sign bit
            }
            long index = t & COUNT_MASK;
            if (index < capacity) {
                int buffer = (int) ((t >>> EPOCH_SHIFT) & 1);
                SLOTS.setRelease(slots, buffer * capacity + (int) index, item);
                if (index == capacity - 1) {
                    wakeConsumer();
                }
                return true;
            }
            if (!awaitSwap(t)) {
                return false;
            }
        }
    }

    /**
     * Makes everything the calling thread has sent so far eligible to run now, without waiting
     * for it to run. Costs nothing when the open buffer is empty.
     */
    public void flush() {
        long t = (long) TAIL.getVolatile(this);
        if ((t & COUNT_MASK) == 0 || t < 0) {
            return; // the open buffer is empty (all sent before is swapped out) or closed
        }
        FLUSH_REQUESTS.getAndAdd(this, 1);
        wakeConsumer();
    }

    /**
     * Asks the consumer to close: its next {@link #receive} takes every item still claimed, marks
     * the channel closed and delivers them. Sends that come after are rejected. Idempotent.
     */
    public void close() {
        CLOSE_REQUESTED.setVolatile(this, 1);
        wakeConsumer();
    }

    /** Whether sends are rejected now (the consumer has taken the final batch). */
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
        long seenEpoch = seen >>> EPOCH_SHIFT;
        Waiter self = null;
        boolean interrupted = false;
        long step = 0;
        try {
            for (;;) {
                long t = (long) TAIL.getVolatile(this);
                if (t < 0) {
                    return false;
                }
                if ((t >>> EPOCH_SHIFT) != seenEpoch) {
                    return true;
                }
                if (backoff.parks(step) && self == null) {
                    self = new Waiter(Thread.currentThread());
                    pushWaiter(self);
                    continue; // re-check the epoch after publishing the waiter
                }
                if (Thread.interrupted()) {
                    interrupted = true; // a send is not interruptible; keep the flag for later
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

    // ---------------------------------------------------------------------------------------
    // Consumer side: one thread only.

    /**
     * Receives one eligible batch, if there is one: swaps the open buffer out and passes its items
     * to {@code sink} in claim order. Consumer thread only.
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
        boolean closing = (int) CLOSE_REQUESTED.getVolatile(this) != 0;
        int flushes = (int) FLUSH_REQUESTS.getVolatile(this); // before the tail: see the header
        long claimed = Math.min((long) TAIL.getVolatile(this) & COUNT_MASK, capacity);
        if (!closing) {
            if (claimed == 0) {
                flushSeen = flushes; // every counted flush is covered by earlier swaps
                return 0;
            }
            if (claimed < capacity && flushes == flushSeen) {
                return 0;
            }
        }
        flushSeen = flushes;
        long next = ((epoch + 1) & EPOCH_MASK) << EPOCH_SHIFT | (closing ? CLOSED : 0);
        long old = (long) TAIL.getAndSet(this, next);
        int n = (int) Math.min(old & COUNT_MASK, capacity);
        int base = (int) (epoch & 1) * capacity;
        epoch = (epoch + 1) & EPOCH_MASK;
        if (closing) {
            drained = true;
        }
        if (WAITERS.getVolatile(this) != null) {
            releaseWaiters();
        }
        deliver(base, n, sink);
        return n;
    }

    /**
     * Whether the channel is closed and its final batch was delivered: the consumer is done.
     * Consumer thread only.
     */
    public boolean isDrained() {
        return drained;
    }

    /**
     * Whether a batch is eligible now (full, flushed, or closing). Consumer thread only.
     */
    public boolean hasEligible() {
        if (drained) {
            return false;
        }
        if ((int) CLOSE_REQUESTED.getVolatile(this) != 0) {
            return true;
        }
        int flushes = (int) FLUSH_REQUESTS.getVolatile(this);
        long claimed = (long) TAIL.getVolatile(this) & COUNT_MASK;
        return claimed >= capacity || (claimed > 0 && flushes != flushSeen);
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
            return backoff.idle(step);
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

    private void releaseWaiters() {
        Waiter w = (Waiter) WAITERS.getAndSet(this, (Waiter) null);
        while (w != null) {
            Waiter next = w.next;
            LockSupport.unpark(w.thread);
            w = next;
        }
    }

    @SuppressWarnings("unchecked")
    private void deliver(int base, int n, Consumer<? super T> sink) {
        Throwable first = null;
        for (int i = 0; i < n; i++) {
            int s = base + i;
            Object item = SLOTS.getAcquire(slots, s);
            if (item == null) {
                item = awaitStore(s);
            }
            slots[s] = null; // plain: published by the next exchange of the tail
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
    }

    /** A producer claimed slot {@code s} and is about to store: no wake-up needed, just wait. */
    private Object awaitStore(int s) {
        long step = 0;
        Object item;
        while ((item = SLOTS.getAcquire(slots, s)) == null) {
            step = backoff.idle(step);
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

/** The tail word, alone on its cache line: producers add to it, the consumer exchanges it. */
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
