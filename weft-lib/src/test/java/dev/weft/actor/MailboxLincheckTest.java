package dev.weft.actor;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;

/**
 * Lincheck checks the mailbox ({@link Mailbox}) as a process actor uses it: producers post from
 * any thread, the consumer polls and announces waits (one thread, {@code nonParallelGroup}).
 * <ul>
 *   <li>Every concurrent run equals some sequential run of a FIFO queue in which
 *       {@code announceWait} says "park" exactly when the queue is empty: no message lost,
 *       duplicated or reordered, and no park announced past a queued message.</li>
 *   <li>No lost wake-up ({@link #noConsumerLeftWaitingWithMail}): after every run, a consumer
 *       whose last announce said "park" and that has mail queued has been woken since that
 *       announce (here the consumer does not really park; {@code wake} counts).</li>
 * </ul>
 */
@Param(name = "message", gen = IntGen.class, conf = "1:9")
public class MailboxLincheckTest {

    private final TestBox box = new TestBox();
    /** Wakes since the consumer's last announce (the consumer resets it, then announces). */
    private volatile int wakesAtAnnounce;
    private volatile boolean lastAnnounceParks;

    @Operation
    public void post(@Param(name = "message") int message) {
        box.post(message);
    }

    @Operation(nonParallelGroup = "consumer")
    public Integer poll() {
        return (Integer) box.poll();
    }

    @Operation(nonParallelGroup = "consumer")
    public boolean announceWait() {
        wakesAtAnnounce = box.wakes.get();
        boolean parks = box.announceWait(null);
        lastAnnounceParks = parks;
        return parks;
    }

    @Validate
    public void noConsumerLeftWaitingWithMail() {
        if (lastAnnounceParks && box.isWaiting() && !box.isEmpty()) {
            throw new IllegalStateException("the consumer waits with mail queued and nobody woke it");
        }
        if (lastAnnounceParks && !box.isEmpty() && box.wakes.get() == wakesAtAnnounce) {
            throw new IllegalStateException("mail came after the consumer announced its park, and no wake-up");
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(Spec.class)
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
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(Spec.class)
                .check(getClass());
    }

    /** A FIFO queue; a park is announced exactly when it is empty. */
    public static class Spec {
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();

        public void post(int message) {
            queue.add(message);
        }

        public Integer poll() {
            return queue.poll();
        }

        public boolean announceWait() {
            return queue.isEmpty();
        }
    }
}
