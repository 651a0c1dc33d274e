package dev.weft.ioqueue;

import dev.weft.idle.Backoff;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
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
 * {@code t mod slots}, in ticket order, as the loop serves them. The first ticket is the queue's
 * position when the producer is made ({@link #firstTicket()}: 0 on a new queue, where the last
 * loop stopped on one it served), so that the producer publishes where the loop looks. Every ticket is collected once,
 * by any thread ({@link #await}, or {@link #poll} returning non-null). A publisher that needs a
 * slot whose previous ticket is done but not collected yet collects that result for its owner
 * (it is kept until the owner asks for it) and goes on: so threads that each hold a few tickets
 * while they publish more never wait for one another, only for the loop. {@link #publish} waits
 * only while the slot's previous request is not done yet (the queue is full). Results that are
 * never collected stay in memory: collect every ticket.
 *
 * <h2>The protocol among producer threads</h2>
 * Beside the queue's status words, the producer keeps {@code turn[slot]}: the ticket allowed to
 * use the slot next (initially the first ticket that falls in the slot), and {@code kept}, the results collected for
 * their owners. A thread takes ticket {@code t} by a CAS of the shared {@code next} counter from
 * {@code t} to {@code t + 1}, and tries only when {@code turn[t mod slots] == t} and the slot is
 * EMPTY: so a ticket is never taken while its slot is in use, and the thread that takes it fills
 * and publishes the slot without waiting (no taken ticket is left unpublished, which would stall
 * the loop at that slot). Collecting ticket {@code t} (its owner, or a publisher on the next lap)
 * reads {@code turn == t}, then the status (DONE_*, acquire), then CASes {@code turn} from
 * {@code t} to a collecting mark: one collector wins, and since {@code turn} only moves on from
 * {@code t} through this CAS, the DONE it read was {@code t}'s. The winner reads the result, puts
 * it in {@code kept} if it collects for the owner, stores EMPTY with release, and sets
 * {@code turn} to {@code t + slots}, which lets the next lap's ticket in. An owner that finds
 * {@code turn} past its ticket takes the result from {@code kept} (it was put there before
 * {@code turn} moved), or has collected it already.
 *
 * <p>Ordering: {@code next} and {@code turn} are read and written with volatile semantics. The
 * collector's release store of EMPTY comes before its volatile write of {@code turn = t + slots},
 * so a publisher that reads that {@code turn} and then the status (acquire) sees EMPTY, and its
 * plain stores of the request words cannot overtake the collector's reads of the result. A
 * publisher that finds the slot not EMPTY although {@code turn} and {@code next} both say
 * {@code t} knows that no thread of this producer took {@code t}: something else wrote the slot.
 * {@code QueueProducerLincheckTest} model-checks the protocol (every interleaving of a few
 * publishers, collectors and a stand-in loop on a two-slot queue: no ticket issued twice, no torn
 * request, every result collected once and by its own ticket, the tickets served in order);
 * {@code QueueProducerStressTest} publishes and collects from several threads, each holding
 * several tickets, against a stand-in loop and against the real one.
 *
 * <p>Waiting ({@link #publish} on a full queue, {@link #await}) backs off with
 * {@link IoLoopConfig#IDLE_BACKOFF}: the loop does not wake producers. No wake-up can be lost, as
 * nobody waits for a signal: a waiting thread reads {@code turn}, {@code next} and the status word
 * again after each bounded park, so it sees a change at most one park period late (see
 * {@link IoQueue}, "Why no wake-up is lost").
 */
public final class QueueProducer {

    /** {@code turn} while a thread collects the slot's ticket. */
    private static final long COLLECTING = -1;

    private final IoQueue queue;
    private final int slots;
    private final int mask;
    /** The first ticket: the queue's position when the producer was made. */
    private final long first;
    private final AtomicLong next;
    private final AtomicLongArray turn;
    /** Results a publisher collected for their owners, by ticket, until the owners take them. */
    private final ConcurrentHashMap<Long, Completion> kept = new ConcurrentHashMap<>();
    private final Backoff backoff = IoLoopConfig.IDLE_BACKOFF;

    /** A producer whose first ticket is {@code first} (in slot {@code first mod slots}). */
    QueueProducer(IoQueue queue, long first) {
        this.queue = queue;
        this.slots = queue.slots();
        this.mask = queue.mask();
        this.first = first;
        this.next = new AtomicLong(first);
        this.turn = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            turn.set(i, first + ((i - first) & mask)); // the first ticket at or after `first` in slot i
        }
    }

    /**
     * Publishes a request, waiting while its slot's previous request is not done (the queue is
     * full). The words go into the slot as given; the loop validates them (a bad request completes
     * DONE_ERROR with its {@link QueueError} code).
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
     * @return the ticket, or -1 when the next slot's previous request is not done yet (the queue is
     *         full), or another thread is collecting its result at this instant
     */
    public long tryPublish(int op, int src, int dst, long offset, int bytes, int tag) {
        for (;;) {
            long t = next.get();
            int slot = (int) t & mask;
            long allowed = turn.get(slot);
            if (allowed != t) {
                if (allowed > t || next.get() != t) {
                    continue; // another thread took t meanwhile: read next again
                }
                // The previous lap's ticket is not collected (or being collected): collect it for its owner.
                if (allowed != COLLECTING && collect(slot, allowed, true) != null) {
                    continue;
                }
                if (allowed != COLLECTING && turn.get(slot) != allowed) {
                    continue; // its owner collected it meanwhile
                }
                return -1;
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
                queue.publish(slot, op, src, dst, offset, bytes, tag); // P2, P3
                return t;
            }
        }
    }

    /**
     * The ticket's result if it is done (and then the ticket is collected), or null.
     *
     * @throws IllegalArgumentException when this producer never issued the ticket
     * @throws IllegalStateException    when the ticket was collected already
     */
    public Completion poll(long ticket) {
        if (ticket < first || ticket >= next.get()) {
            throw new IllegalArgumentException("ticket " + ticket + " was not issued by this producer (it has issued "
                    + (first == next.get() ? "none" : "tickets " + first + " to " + (next.get() - 1)) + ")");
        }
        int slot = (int) ticket & mask;
        long allowed = turn.get(slot);
        if (allowed == ticket) {
            return collect(slot, ticket, false);
        }
        if (allowed == COLLECTING) {
            return null; // a publisher collects it for us, or another poll of ours: look again
        }
        Completion c = kept.remove(ticket); // put there before turn moved past the ticket
        if (c == null) {
            throw new IllegalStateException("ticket " + ticket + " was collected already; collect each ticket once");
        }
        return c;
    }

    /**
     * Collects ticket {@code ticket} from {@code slot} (P4, P5) if {@code turn} still names it and
     * the loop has completed it; else null. {@code keep}: for its owner, into {@code kept}.
     */
    private Completion collect(int slot, long ticket, boolean keep) {
        if (turn.get(slot) != ticket) {
            return null;
        }
        int status = queue.statusAcquire(slot); // P4: ticket's own status, as turn still names it
        if (status != QueueAbi.STATUS_DONE_OK && status != QueueAbi.STATUS_DONE_ERROR) {
            return null;
        }
        if (!turn.compareAndSet(slot, ticket, COLLECTING)) {
            return null; // another thread collects it
        }
        Completion c = new Completion(ticket, status == QueueAbi.STATUS_DONE_OK,
                queue.word(slot, QueueAbi.WORD_BYTES), queue.word(slot, QueueAbi.WORD_TAG));
        if (keep) {
            kept.put(ticket, c);
        }
        queue.setStatusRelease(slot, QueueAbi.STATUS_EMPTY); // P5
        turn.set(slot, ticket + slots);
        return c;
    }

    /**
     * Waits for the ticket's result and collects it.
     *
     * @throws InterruptedException     if interrupted first (the ticket stays uncollected)
     * @throws IllegalArgumentException when this producer never issued the ticket
     * @throws IllegalStateException    when the ticket was collected already
     */
    public Completion await(long ticket) throws InterruptedException {
        return awaitUntil(ticket, false, 0);
    }

    /**
     * Waits at most {@code timeout} for the ticket's result and collects it.
     *
     * @throws TimeoutException     when it is not done in time (the ticket stays uncollected: a
     *                              loop that stopped or died leaves published requests unserved)
     * @throws InterruptedException if interrupted first
     */
    public Completion await(long ticket, Duration timeout) throws InterruptedException, TimeoutException {
        Completion c = awaitUntil(ticket, true, System.nanoTime() + timeout.toNanos());
        if (c == null) {
            throw new TimeoutException("ticket " + ticket + " (slot " + (ticket & mask) + ", "
                    + QueueAbi.statusName(queue.statusAcquire((int) ticket & mask)) + ") was not done within "
                    + timeout + "; is a loop serving the queue?");
        }
        return c;
    }

    /** Polls the ticket, backing off, until it is done, or (if {@code timed}) the deadline passes: null. */
    private Completion awaitUntil(long ticket, boolean timed, long deadline) throws InterruptedException {
        long step = 0;
        for (;;) {
            Completion c = poll(ticket);
            if (c != null) {
                return c;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for ticket " + ticket);
            }
            if (timed && System.nanoTime() - deadline > 0) {
                return null;
            }
            step = backoff.idle(step);
        }
    }

    /** Results collected for their owners that the owners have not taken yet (for tests). */
    int keptResults() {
        return kept.size();
    }

    /** How many tickets this producer has issued so far. */
    public long issued() {
        return next.get() - first;
    }

    /**
     * The producer's first ticket: the queue's position when it was made (0 on a new queue; see
     * {@link IoQueue#producer()}). Its tickets are {@code firstTicket()} and on, ticket
     * {@code t} in slot {@code t mod slots}.
     */
    public long firstTicket() {
        return first;
    }
}
