package dev.weft.ioqueue;

import dev.weft.idle.Backoff;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Publishes requests into an {@link IoQueue} from any number of this process's threads, and
 * collects their results. Get it from {@link IoQueue#producer()}; one per queue.
 *
 * <pre>{@code
 * QueueProducer producer = queue.producer();
 * long read = producer.publish(QueueAbi.OP_READ, 1, 0, 0, 4096, 1);
 * long fence = producer.publish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 2);
 * producer.await(fence);                        // the read has completed too
 * Completion r = producer.await(read);
 * }</pre>
 *
 * <h2>Tickets and slots</h2>
 * Each request gets a ticket, its position in the queue: ticket {@code t} goes into slot
 * {@code t mod slots}, in ticket order, as the loop serves them. Every ticket must be collected
 * once ({@link #await}, or {@link #poll} returning non-null): its slot is reused only then, so a
 * producer that publishes and never collects fills the queue, and {@link #publish} then waits.
 *
 * <h2>The protocol among producer threads</h2>
 * Beside the queue's status words, the producer keeps {@code turn[slot]}: the ticket allowed to use
 * the slot next (initially the slot's index). A thread takes ticket {@code t} by a CAS of the
 * shared {@code next} counter from {@code t} to {@code t + 1}, and tries only when
 * {@code turn[t mod slots] == t} and the slot is EMPTY: so a ticket is never taken while its slot
 * is in use, and the thread that takes it fills and publishes the slot without waiting (no taken
 * ticket is left unpublished, which would stall the loop at that slot). Collecting ticket {@code t}
 * reads the result, then CASes {@code turn} from {@code t} to a collecting mark (one collector wins;
 * {@code turn} only grows, so a successful CAS proves the words read were still {@code t}'s), stores
 * EMPTY with release, and sets {@code turn} to {@code t + slots}, which lets the next lap's ticket
 * in. {@code QueueProducerStressTest} publishes and collects from several threads against a loop.
 *
 * <p>Waiting ({@link #publish} on a full queue, {@link #await}) backs off with
 * {@link IoLoopConfig#IDLE_BACKOFF}: the loop does not wake producers.
 */
public final class QueueProducer {

    /** {@code turn} while a thread collects the slot's ticket. */
    private static final long COLLECTING = -1;

    private final IoQueue queue;
    private final int slots;
    private final int mask;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLongArray turn;
    private final Backoff backoff = IoLoopConfig.IDLE_BACKOFF;

    QueueProducer(IoQueue queue) {
        this.queue = queue;
        this.slots = queue.slots();
        this.mask = queue.mask();
        this.turn = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            turn.set(i, i);
        }
    }

    /**
     * Publishes a request, waiting while its slot holds a result not yet collected. The words go
     * into the slot as given; the loop validates them (a bad request completes DONE_ERROR with its
     * {@link QueueError} code).
     *
     * @param op     {@link QueueAbi#OP_READ}, {@link QueueAbi#OP_WRITE} or {@link QueueAbi#OP_FENCE}
     * @param src    the file's handle
     * @param dst    the destination's handle
     * @param offset the file offset
     * @param bytes  the length (an unsigned 32-bit word)
     * @param tag    yours; the completion carries it back
     * @return the request's ticket
     * @throws InterruptedException  if interrupted while waiting (nothing was published)
     * @throws IllegalStateException when the slot is not EMPTY although this producer owns it:
     *                               something else writes the queue
     */
    public long publish(int op, int src, int dst, long offset, int bytes, int tag) throws InterruptedException {
        long step = 0;
        for (;;) {
            long t = tryPublish(op, src, dst, offset, bytes, tag);
            if (t >= 0) {
                return t;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a free slot; nothing was published");
            }
            step = backoff.idle(step);
        }
    }

    /**
     * {@link #publish} without waiting.
     *
     * @return the ticket, or -1 when the next slot holds a result not yet collected (the queue is full)
     */
    public long tryPublish(int op, int src, int dst, long offset, int bytes, int tag) {
        for (;;) {
            long t = next.get();
            int slot = (int) t & mask;
            long allowed = turn.get(slot);
            if (allowed != t) {
                if (allowed < t) {
                    return -1; // the previous lap's ticket is not collected yet (or being collected)
                }
                continue; // another thread took t meanwhile: read next again
            }
            int status = queue.statusAcquire(slot);
            if (status != QueueAbi.STATUS_EMPTY) {
                if (next.get() != t) {
                    continue; // another thread took t and filled the slot meanwhile
                }
                // No thread of ours took t, and the slot's previous ticket was collected: EMPTY or bust.
                throw new IllegalStateException("slot " + slot + " is " + QueueAbi.statusName(status)
                        + " where this producer expected EMPTY: another process or producer writes this queue, or it"
                        + " holds requests from before; give a queue one producer and start it from a new file");
            }
            if (next.compareAndSet(t, t + 1)) {
                queue.setWord(slot, QueueAbi.WORD_OP, op);
                queue.setWord(slot, QueueAbi.WORD_SRC, src);
                queue.setWord(slot, QueueAbi.WORD_DST, dst);
                queue.setWord(slot, QueueAbi.WORD_OFFSET_LO, (int) offset);
                queue.setWord(slot, QueueAbi.WORD_OFFSET_HI, (int) (offset >>> 32));
                queue.setWord(slot, QueueAbi.WORD_BYTES, bytes);
                queue.setWord(slot, QueueAbi.WORD_TAG, tag);
                queue.setStatusRelease(slot, QueueAbi.STATUS_PUBLISHED); // P3
                return t;
            }
        }
    }

    /**
     * The ticket's result if it is done (and then the ticket is collected and its slot free), or
     * null.
     *
     * @throws IllegalArgumentException when this producer never issued the ticket
     * @throws IllegalStateException    when the ticket was collected already
     */
    public Completion poll(long ticket) {
        int slot = (int) ticket & mask;
        check(ticket, slot);
        int status = queue.statusAcquire(slot); // P4
        if (status != QueueAbi.STATUS_DONE_OK && status != QueueAbi.STATUS_DONE_ERROR) {
            return null;
        }
        int result = queue.word(slot, QueueAbi.WORD_BYTES);
        int tag = queue.word(slot, QueueAbi.WORD_TAG);
        if (!turn.compareAndSet(slot, ticket, COLLECTING)) {
            throw collected(ticket);
        }
        queue.setStatusRelease(slot, QueueAbi.STATUS_EMPTY); // P5
        turn.set(slot, ticket + slots);
        return new Completion(ticket, status == QueueAbi.STATUS_DONE_OK, result, tag);
    }

    /**
     * Waits for the ticket's result and collects it.
     *
     * @throws InterruptedException     if interrupted first (the ticket stays uncollected)
     * @throws IllegalArgumentException when this producer never issued the ticket
     * @throws IllegalStateException    when the ticket was collected already
     */
    public Completion await(long ticket) throws InterruptedException {
        long step = 0;
        for (;;) {
            Completion c = poll(ticket);
            if (c != null) {
                return c;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for ticket " + ticket);
            }
            step = backoff.idle(step);
        }
    }

    /**
     * Waits at most {@code timeout} for the ticket's result and collects it.
     *
     * @throws TimeoutException     when it is not done in time (the ticket stays uncollected: a
     *                              loop that stopped or died leaves published requests unserved)
     * @throws InterruptedException if interrupted first
     */
    public Completion await(long ticket, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long step = 0;
        for (;;) {
            Completion c = poll(ticket);
            if (c != null) {
                return c;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for ticket " + ticket);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("ticket " + ticket + " (slot " + (ticket & mask) + ", "
                        + QueueAbi.statusName(queue.statusAcquire((int) ticket & mask)) + ") was not done within "
                        + timeout + "; is a loop serving the queue?");
            }
            step = backoff.idle(step);
        }
    }

    /** Tickets issued so far. */
    public long issued() {
        return next.get();
    }

    private void check(long ticket, int slot) {
        if (ticket < 0 || ticket >= next.get()) {
            throw new IllegalArgumentException("ticket " + ticket + " was not issued by this producer (it has issued "
                    + next.get() + ")");
        }
        if (turn.get(slot) != ticket) {
            throw collected(ticket);
        }
    }

    private static IllegalStateException collected(long ticket) {
        return new IllegalStateException("ticket " + ticket + " was collected already; collect each ticket once");
    }
}
