package dev.weft.ioqueue;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Lincheck model-checks the producer protocol of {@link QueueProducer} (its header: tickets taken
 * by a CAS of {@code next}, {@code turn[slot]}, publishing with a release store, collecting a
 * done slot by a CAS of {@code turn}, results kept for their owners) on a queue of two slots, so
 * that every few publications wrap around it. Producer threads publish ({@link #publish}) and
 * poll the oldest uncollected ticket or any ticket ({@link #pollOldest}, {@link #poll}); a stand-in
 * loop ({@link #loopServe}, one thread at a time) claims the slots at its cursor with the real claim code ({@link SlotDecoder#claim}) and
 * completes each DONE_OK with a result made from the request. Each operation checks what it sees
 * and throws where the protocol is broken, which Lincheck reports with the interleaving:
 * <ul>
 *   <li>no ticket is issued twice ({@link #publish});</li>
 *   <li>the loop reads whole requests: every word of a claimed slot belongs to the same
 *       publication ({@link #loopServe});</li>
 *   <li>a result is collected at most once, and is its own ticket's: its tag and its result are
 *       those of the request published under that ticket ({@link #poll});</li>
 * </ul>
 * and after every run ({@link #everyTicketServedInOrderAndCollectedOnce}), with the loop and
 * the collections run to the end: every issued ticket was published (the loop was never left
 * waiting at a taken ticket), the loop served the tickets in ticket order, each ticket's result
 * can be collected exactly once, no result is left kept for an owner that has it, and every
 * slot is EMPTY again. {@code QueueProducerStressTest}
 * runs the same protocol on real threads for many laps.
 */
@Param(name = "ticket", gen = IntGen.class, conf = "0:5")
public class QueueProducerLincheckTest {

    static final int SLOTS = 2;
    /** More than any run publishes. */
    static final int MAX_TICKETS = 64;

    private final IoQueue queue = IoQueue.of(Arena.ofAuto().allocate((long) SLOTS * QueueAbi.SLOT_BYTES, 64), SLOTS);
    private final QueueProducer producer = queue.producer();
    private final SlotDecoder decoder = new SlotDecoder(new int[0], new int[0], new long[0], new long[0], new int[0]);
    private final AtomicInteger tags = new AtomicInteger();
    /** The tag published under each ticket, 0 before its publisher recorded it. */
    private final AtomicIntegerArray tagOf = new AtomicIntegerArray(MAX_TICKETS);
    /** How many times each ticket's result was collected. */
    private final AtomicIntegerArray collected = new AtomicIntegerArray(MAX_TICKETS);
    /** The tag of each ticket's collected result. */
    private final AtomicIntegerArray collectedTag = new AtomicIntegerArray(MAX_TICKETS);
    /** The tags the loop served, in the order it served them. */
    private final AtomicIntegerArray served = new AtomicIntegerArray(MAX_TICKETS);
    private int cursor; // the loop's, one thread at a time

    /** The words a request with this tag carries, each derived from the tag. */
    static int src(int tag) {
        return tag * 7;
    }

    static int dst(int tag) {
        return tag ^ 0x5a5a;
    }

    static int result(int tag) {
        return tag * 3;
    }

    /** A producer publishes a request of its own (a new tag) if its slot is free. */
    @Operation
    public void publish() {
        int tag = tags.incrementAndGet();
        long t = producer.tryPublish(QueueAbi.OP_FENCE, src(tag), dst(tag), tag, tag, tag);
        if (t < 0) {
            return; // the queue is full, or the slot's result is being collected
        }
        if (!tagOf.compareAndSet((int) t, 0, tag)) {
            throw new IllegalStateException("ticket " + t + " was issued twice (tags " + tagOf.get((int) t) + " and "
                    + tag + ")");
        }
    }

    /** A producer collects the oldest ticket's result not collected yet, if it is done. */
    @Operation
    public void pollOldest() {
        long issued = producer.issued();
        for (int t = 0; t < issued; t++) {
            if (collected.get(t) == 0) {
                poll(t);
                return;
            }
        }
    }

    /** A producer collects a ticket's result if it is done. */
    @Operation
    public void poll(@Param(name = "ticket") int ticket) {
        if (ticket >= producer.issued()) {
            return;
        }
        Completion c;
        try {
            c = producer.poll(ticket);
        } catch (IllegalStateException collectedAlready) {
            return;
        }
        if (c != null) {
            check(ticket, c);
        }
    }

    /** The stand-in loop claims and completes the published slots at its cursor, at most a lap. */
    @Operation(nonParallelGroup = "loop")
    public void loopServe() {
        for (int i = 0; i < SLOTS && loopStep(); i++) {
            // served one
        }
    }

    /** The stand-in loop claims and completes the slot at its cursor; whether it was published. */
    private boolean loopStep() {
        int slot = cursor % SLOTS;
        int r = decoder.claim(queue, slot);
        if (r == SlotDecoder.NOT_READY) {
            return false;
        }
        if (r != SlotDecoder.OK) {
            throw new IllegalStateException("slot " + slot + " decoded to " + QueueError.describe(r));
        }
        int tag = queue.word(slot, QueueAbi.WORD_TAG);
        if (queue.word(slot, QueueAbi.WORD_SRC) != src(tag) || queue.word(slot, QueueAbi.WORD_DST) != dst(tag)
                || queue.word(slot, QueueAbi.WORD_OFFSET_LO) != tag || queue.word(slot, QueueAbi.WORD_BYTES) != tag
                || queue.word(slot, QueueAbi.WORD_OFFSET_HI) != 0) {
            throw new IllegalStateException("the loop claimed a torn request in slot " + slot + " (tag " + tag + ")");
        }
        served.set(cursor, tag);
        cursor++;
        queue.setWord(slot, QueueAbi.WORD_BYTES, result(tag));
        queue.setStatusRelease(slot, QueueAbi.STATUS_DONE_OK);
        return true;
    }

    private void check(int ticket, Completion c) {
        if (collected.incrementAndGet(ticket) != 1) {
            throw new IllegalStateException("ticket " + ticket + " was collected twice: " + c);
        }
        collectedTag.set(ticket, c.tag());
        if (c.ticket() != ticket || !c.ok() || c.result() != result(c.tag())) {
            throw new IllegalStateException("ticket " + ticket + " got " + c);
        }
    }

    @Validate
    public void everyTicketServedInOrderAndCollectedOnce() {
        long issued = producer.issued();
        for (int step = 0; step <= issued; step++) { // serve and collect what is left
            for (int t = 0; t < issued; t++) {
                if (collected.get(t) == 0) {
                    poll(t);
                }
            }
            loopStep();
        }
        if (cursor != issued) {
            throw new IllegalStateException(issued + " tickets issued, " + cursor + " served: a taken ticket was "
                    + "never published, or one was published twice");
        }
        for (int t = 0; t < issued; t++) {
            if (served.get(t) != tagOf.get(t)) {
                throw new IllegalStateException("the loop's request " + t + " has tag " + served.get(t) + ", ticket "
                        + t + " was published with tag " + tagOf.get(t));
            }
            if (collected.get(t) != 1) {
                throw new IllegalStateException("ticket " + t + " was collected " + collected.get(t) + " times");
            }
            if (collectedTag.get(t) != tagOf.get(t)) {
                throw new IllegalStateException("ticket " + t + " was published with tag " + tagOf.get(t)
                        + " and its owner collected the result of tag " + collectedTag.get(t));
            }
        }
        if (producer.keptResults() != 0) {
            throw new IllegalStateException(producer.keptResults() + " results are kept for owners that collected"
                    + " them already: a result was collected twice");
        }
        for (int s = 0; s < SLOTS; s++) {
            if (queue.statusAcquire(s) != QueueAbi.STATUS_EMPTY) {
                throw new IllegalStateException("slot " + s + " is " + QueueAbi.statusName(queue.statusAcquire(s))
                        + " after every ticket was collected");
            }
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(15)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .check(getClass());
    }

    @Test
    void stress() {
        // kept small, as the other Lincheck tests: model checking is the main gate
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .check(getClass());
    }
}
