package dev.weft.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The control mailbox's promise on both backends: every message posted runs exactly once, on the
 * worker before the driver closes, or else at close or on the posting thread after it; none is
 * dropped, so nobody waits for a reply that never comes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ControlMailboxTest {

    @Test
    void aMessagePostedAfterCloseRunsOnNio() {
        NioDriver d = new NioDriver();
        d.close();
        AtomicInteger runs = new AtomicInteger();
        d.control(runs::incrementAndGet);
        assertEquals(1, runs.get(), "a message posted to a closed NIO driver must run once, not be dropped");
    }

    @Test
    void aMessagePendingAtCloseRunsOnNio() {
        NioDriver d = new NioDriver();
        AtomicInteger runs = new AtomicInteger();
        d.control(runs::incrementAndGet); // the worker never polls: it is pending at close
        d.close();
        assertEquals(1, runs.get(), "a message pending when the NIO driver closes must run at close");
    }

    @Test
    void aMessagePostedAfterCloseRunsOnUring() throws Exception {
        UringDriver d = UringDriver.open(UringKernel.REAL, UringKernel.REAL.probe());
        d.close();
        AtomicInteger runs = new AtomicInteger();
        d.control(runs::incrementAndGet);
        assertEquals(1, runs.get(), "a message posted to a closed io_uring driver must run once");
    }

    @Test
    void aMessagePendingAtCloseRunsOnUring() throws Exception {
        UringDriver d = UringDriver.open(UringKernel.REAL, UringKernel.REAL.probe());
        AtomicInteger runs = new AtomicInteger();
        d.control(runs::incrementAndGet);
        d.close();
        assertEquals(1, runs.get(), "a message pending when the io_uring driver closes must run at close");
    }

    /** Posters race the close: each message runs exactly once, wherever it lands. */
    @Test
    void everyMessageRacingCloseRunsExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicInteger wakes = new AtomicInteger();
            ControlMailbox box = new ControlMailbox(wakes::incrementAndGet);
            int posters = 2;
            int each = 50;
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[posters];
            for (int p = 0; p < posters; p++) {
                threads[p] = Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < each; i++) {
                        box.post(runs::incrementAndGet);
                    }
                });
            }
            start.countDown();
            if (box.pending()) {
                box.runPending(); // the owner runs some before it closes
            }
            box.close();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(posters * each, runs.get(), "round " + round + ": a message was lost or ran twice");
            assertEquals(false, box.pending() && !box.isClosed());
        }
    }
}
