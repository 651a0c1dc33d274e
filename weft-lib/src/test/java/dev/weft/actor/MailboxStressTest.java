package dev.weft.actor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The mailbox's park protocol under real races ({@link Mailbox}'s header). Each test runs up to
 * a count of races or a time cap, whichever comes first (the cap keeps a 2-core run short; the
 * count is the 10<sup>7</sup>), and fails if progress stops for {@link #STALL}: a lost
 * wake-up leaves a consumer parked with a message queued, for good.
 */
class MailboxStressTest {

    private static final long RACES = 10_000_000L;
    private static final Duration CAP = Duration.ofSeconds(12);
    private static final Duration STALL = Duration.ofSeconds(10);

    /**
     * Ping-pong between two parking threads: every hand-off is a send racing the receiver's park
     * (it has just sent its own message and turned to wait for the answer).
     */
    @Test
    void pingPongNeverLosesAWakeUp() throws Exception {
        TestBox a = new TestBox();
        TestBox b = new TestBox();
        AtomicLong exchanges = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread pinger = new Thread(() -> {
            a.owner = Thread.currentThread();
            try {
                for (long i = 0; i < RACES && !stop.get(); i++) {
                    b.post(i);
                    Object back = a.take();
                    if (!Long.valueOf(i).equals(back)) {
                        throw new AssertionError("sent " + i + ", got back " + back);
                    }
                    exchanges.incrementAndGet();
                }
            } catch (Throwable t) {
                error.set(t);
            } finally {
                b.post(-1L);
            }
        }, "pinger");
        Thread ponger = new Thread(() -> {
            b.owner = Thread.currentThread();
            for (;;) {
                Object m = b.take();
                if (m.equals(-1L)) {
                    return;
                }
                a.post(m);
            }
        }, "ponger");
        a.owner = pinger;
        b.owner = ponger;
        pinger.setDaemon(true); // a lost wake-up leaves them parked: the test fails, the JVM ends
        ponger.setDaemon(true);
        ponger.start();
        pinger.start();
        watch(exchanges, stop, pinger, ponger);
        if (error.get() != null) {
            throw new AssertionError("the ping-pong broke", error.get());
        }
        assertTrue(exchanges.get() > 0, "no exchange happened");
    }

    /**
     * Four producers send bursts with pauses to one consumer that parks whenever its mailbox is
     * empty: every message arrives exactly once, in each producer's order, and the consumer
     * never stays parked with a message queued.
     */
    @Test
    void burstsFromManyProducersAllArriveInOrder() throws Exception {
        int producers = 4;
        TestBox box = new TestBox();
        AtomicLong received = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> error = new AtomicReference<>();
        long perProducer = RACES / producers;
        Thread consumer = new Thread(() -> {
            long[] next = new long[producers];
            int done = 0;
            try {
                while (done < producers) {
                    long m = (Long) box.take();
                    int p = (int) (m >>> 48);
                    long seq = m & 0xFFFF_FFFF_FFFFL;
                    if (seq == 0xFFFF_FFFF_FFFFL) {
                        done++;
                        continue;
                    }
                    if (seq != next[p]) {
                        throw new AssertionError("producer " + p + ": got " + seq + ", expected " + next[p]);
                    }
                    next[p]++;
                    received.incrementAndGet();
                }
            } catch (Throwable t) {
                error.set(t);
                stop.set(true);
            }
        }, "consumer");
        box.owner = consumer;
        consumer.setDaemon(true);
        consumer.start();
        long[] sent = new long[producers];
        Thread[] ps = new Thread[producers];
        for (int k = 0; k < producers; k++) {
            int p = k;
            ps[k] = new Thread(() -> {
                long i = 0;
                while (i < perProducer && !stop.get()) {
                    int burst = 1 + (int) (i % 7);
                    for (int j = 0; j < burst && i < perProducer; j++, i++) {
                        box.post(((long) p << 48) | i);
                    }
                    Thread.onSpinWait(); // a gap, so the consumer empties its mailbox and parks
                }
                sent[p] = i;
                box.post(((long) p << 48) | 0xFFFF_FFFF_FFFFL);
            }, "producer-" + k);
            ps[k].setDaemon(true);
            ps[k].start();
        }
        Thread[] all = {consumer, ps[0], ps[1], ps[2], ps[3]};
        watch(received, stop, all);
        if (error.get() != null) {
            throw new AssertionError("the consumer saw a wrong message", error.get());
        }
        long total = 0;
        for (long s : sent) {
            total += s;
        }
        assertEquals(total, received.get(), "every message sent arrived once");
    }

    /**
     * Waits for the threads, stopping them at the cap; fails if {@code progress} stands still for
     * {@link #STALL} while they run.
     */
    static void watch(AtomicLong progress, AtomicBoolean stop, Thread... threads) throws InterruptedException {
        long capAt = System.nanoTime() + CAP.toNanos();
        long last = -1;
        long lastMoved = System.nanoTime();
        while (anyAlive(threads)) {
            Thread.sleep(100);
            long now = System.nanoTime();
            long p = progress.get();
            if (p != last) {
                last = p;
                lastMoved = now;
            } else if (now - lastMoved > STALL.toNanos()) {
                stop.set(true);
                fail("no progress for " + STALL + " after " + p + " messages: a wake-up was lost");
            }
            if (now - capAt > 0) {
                stop.set(true);
            }
        }
    }

    private static boolean anyAlive(Thread... threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
