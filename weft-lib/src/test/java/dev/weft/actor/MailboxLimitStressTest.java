package dev.weft.actor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link MailboxLimit}'s waiting senders (see its header): many senders that wait for room race
 * a consumer that frees it one message at a time. A lost wake-up leaves a sender waiting with
 * room free, which ends the run with a {@link MailboxFullException} after the send timeout; a
 * broken count lets the depth pass the capacity.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MailboxLimitStressTest extends ActorTesting {

    static final int SENDERS = 6;
    static final int EACH = 20_000;
    static final int CAPACITY = 2;
    /** No progress for this long is a lost wake-up (the senders wait as long for room). */
    static final java.time.Duration STALL = java.time.Duration.ofSeconds(10);

    /** Takes every message, checking each sender's order and the depth; returns the deepest seen. */
    static int consume(int[] next) {
        Proc me = Proc.current();
        int deepest = 0;
        for (int i = 0; i < SENDERS * EACH; i++) {
            deepest = Math.max(deepest, me.limitForTests().count());
            int[] m = (int[]) Actor.receive(STALL).orElseThrow(() -> new AssertionError("no message for "
                    + STALL + " with " + me.limitForTests().waiting() + " senders waiting: a lost wake-up"));
            if (next[m[0]]++ != m[1]) {
                throw new AssertionError("sender " + m[0] + "'s message " + m[1] + " came out of order");
            }
        }
        return deepest;
    }

    @Test
    void actorSendersWaitingForRoomLoseNoWakeUp() throws Exception {
        Outcome o = start(2).run(() -> {
            int[] next = new int[SENDERS];
            MonitorRef consumer = Actor.builder().boundedMailbox(CAPACITY, Overflow.WAIT).sendTimeout(STALL)
                    .spawnMonitor(() -> consume(next));
            for (int s = 0; s < SENDERS; s++) {
                int k = s;
                Actor.spawn(() -> {
                    for (int i = 0; i < EACH; i++) {
                        Actor.send(consumer.pid(), new int[] {k, i});
                    }
                });
            }
            return awaitDown(consumer);
        });
        int deepest = (Integer) value((Outcome) value(o));
        assertEquals(true, deepest <= CAPACITY, "the depth never passed the capacity: " + deepest);
    }

    @Test
    void platformThreadSendersWaitingForRoomLoseNoWakeUp() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        Outcome o = start(2).run(() -> {
            int[] next = new int[SENDERS];
            MonitorRef consumer = Actor.builder().boundedMailbox(CAPACITY, Overflow.WAIT).sendTimeout(STALL)
                    .spawnMonitor(() -> consume(next));
            List<Thread> threads = new java.util.ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int k = s;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < EACH; i++) {
                            Actor.send(consumer.pid(), new int[] {k, i});
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }));
            }
            Outcome end = awaitDown(consumer);
            for (Thread t : threads) {
                t.join(LONG.toMillis());
            }
            return end;
        });
        int deepest = (Integer) value((Outcome) value(o));
        assertEquals(0, failures.get(), "no send timed out");
        assertEquals(true, deepest <= CAPACITY, "the depth never passed the capacity: " + deepest);
    }
}
