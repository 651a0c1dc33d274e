package dev.weft.task;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A join from inside a task, of a child that has not started: an untimed join may run the
 * child itself; a timed one keeps its time limit. One worker, so the child is queued behind the
 * joiner and runs only once the joiner parks, or inline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JoinTest {

    private Weft rt;

    @BeforeEach
    void start() {
        rt = Weft.start(Config.builder().workers(1).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        rt.close();
        assertTrue(rt.awaitTermination(Duration.ofSeconds(20)), "runtime did not terminate");
    }

    /**
     * The child cannot end before the joiner's join returns (it waits for a latch the joiner
     * opens afterwards), so the only right outcome is a timeout. Run inline, the child would hold
     * the joiner past its limit until its own wait gave up.
     */
    @Test
    void aTimedJoinOfAnUnstartedChildTimesOutInsteadOfRunningIt() throws Exception {
        String outcome = rt.spawn(() -> {
            CountDownLatch joinReturned = new CountDownLatch(1);
            JoinHandle<Boolean> child = Task.spawn(() -> joinReturned.await(5, TimeUnit.SECONDS));
            try {
                return "joined: " + child.join(Duration.ofMillis(50));
            } catch (TimeoutException e) {
                joinReturned.countDown();
                return "timed out, then " + child.join(); // it goes on, and ends
            }
        }).join();
        assertEquals("timed out, then true", outcome);
    }

    /**
     * A DEDICATED task has a thread of its own (its identity, its thread-locals), so a joiner
     * never runs it inline on the joiner's thread, even unstarted and with no time limit; a
     * POOLED one may.
     */
    @Test
    void anUnstartedDedicatedChildRunsOnAThreadOfItsOwnWhenJoined() throws Exception {
        ThreadLocal<String> owner = new ThreadLocal<>();
        String outcome = rt.spawn(() -> {
            owner.set("parent");
            Thread parent = Thread.currentThread();
            JoinHandle<String> dedicated = rt.task().kind(TaskKind.DEDICATED).spawn(() ->
                    (Thread.currentThread() == parent ? "the joiner's thread" : "a thread of its own")
                            + ", thread-local " + owner.get());
            return dedicated.join();
        }).join();
        assertEquals("a thread of its own, thread-local null", outcome);
    }

    /** Waiting (not running the child) still lets it run on the joiner's one worker. */
    @Test
    void aTimedJoinOfAnUnstartedChildGetsItsValueOnTheJoinersWorker() throws Exception {
        Thread[] threads = new Thread[2];
        int value = rt.spawn(() -> {
            threads[0] = Thread.currentThread();
            JoinHandle<Integer> child = Task.spawn(() -> {
                threads[1] = Thread.currentThread();
                return 7;
            });
            return child.join(Duration.ofSeconds(20));
        }).join();
        assertEquals(7, value);
        assertTrue(threads[0] != threads[1], "the child ran on a thread of its own, not inline");
    }

    /** An untimed join runs an unstarted child inline: on the joiner's thread. */
    @Test
    void anUntimedJoinRunsAnUnstartedChildOnTheJoinersThread() throws Exception {
        boolean sameThread = rt.spawn(() -> {
            Thread joiner = Thread.currentThread();
            return Task.spawn(() -> Thread.currentThread() == joiner).join();
        }).join();
        assertTrue(sameThread);
    }
}
