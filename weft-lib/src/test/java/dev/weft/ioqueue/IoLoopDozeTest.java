package dev.weft.ioqueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import static dev.weft.ioqueue.QueueTesting.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dozing loop ({@link IoLoop}, "Waiting"): a publication of this process ends a doze at once,
 * even one that races the doze's start, and a loop configured never to doze does not.
 */
@Timeout(120)
class IoLoopDozeTest {

    private static final int DATA = 1;
    private static final int DST = 0;
    /** So long that only a wake-up can end a doze within the test. */
    private static final Duration FOREVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    private IoQueue queue;
    private IoLoop loop;

    private QueueProducer start(IoLoopConfig config) throws Exception {
        Path data = QueueTesting.dataFile(dir, "data", 1 << 16);
        MemorySegment region = arena.allocate(4096, 4096);
        queue = IoQueue.allocate(64);
        loop = IoLoop.start(queue, new SourceFiles().add(DATA, data, SourceFiles.Access.READ),
                new Destinations().add(DST, region), config);
        return queue.producer();
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop();
        }
        if (queue != null) {
            queue.close();
        }
        arena.close();
    }

    private void awaitDozes(long atLeast) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (loop.stats().dozes() < atLeast) {
            if (System.nanoTime() - deadline > 0) {
                fail("the idle loop did not doze: " + loop.stats());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void aPublicationWakesALoopThatDozesForAnHour() throws Exception {
        QueueProducer p = start(IoLoopConfig.DEFAULT.withDoze(Duration.ofMillis(1), FOREVER));
        awaitDozes(1);
        Completion c = p.await(p.publish(QueueAbi.OP_READ, DATA, DST, 0, 512, 1), AWAIT);
        assertTrue(c.ok(), c.toString());
        assertEquals(512, c.bytes());
    }

    /**
     * Publications at random moments around the start of a doze (the loop dozes after 200 µs
     * idle; the pauses between requests are 0 to 400 µs): each is served although a doze lasts an
     * hour, so no publication was missed by a doze that began as it was made.
     */
    @Test
    void publicationsRacingTheStartOfADozeAreNeverLeftWaiting() throws Exception {
        QueueProducer p = start(IoLoopConfig.DEFAULT.withDoze(Duration.ofNanos(200_000), FOREVER));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int requests = 3_000;
        for (int i = 0; i < requests; i++) {
            long pause = random.nextLong(400_000);
            for (long until = System.nanoTime() + pause; System.nanoTime() - until < 0; ) {
                Thread.onSpinWait();
            }
            long ticket = p.publish(QueueAbi.OP_READ, DATA, DST, 0, 64, i);
            try {
                Completion c = p.await(ticket, AWAIT);
                assertTrue(c.ok(), c.toString());
            } catch (TimeoutException e) {
                fail("request " + i + " was not served: a doze missed its publication (" + loop.stats() + ")");
            }
        }
        assertTrue(loop.stats().dozes() > 0, "the loop never dozed, so nothing raced: " + loop.stats());
    }

    @Test
    void aLoopConfiguredNeverToDozeOnlyParks() throws Exception {
        start(IoLoopConfig.DEFAULT.withDoze(Duration.ZERO, Duration.ZERO));
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (loop.stats().idleParks() < 500 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertTrue(loop.stats().idleParks() >= 500, loop.stats().toString());
        assertEquals(0, loop.stats().dozes(), loop.stats().toString());
    }

    @Test
    void aNegativeDozeIsRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IoLoopConfig.DEFAULT.withDoze(Duration.ofMillis(10), Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("dozePeriod") && e.getMessage().contains("-0.001"), e.getMessage());
    }
}
