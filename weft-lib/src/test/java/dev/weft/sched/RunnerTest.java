package dev.weft.sched;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a pooled runner carries from one task to the next on its thread: nothing of the first. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunnerTest {

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
     * A task that restores an interrupt before it ends (the usual idiom after catching
     * {@link InterruptedException}), then a task queued behind it on the same worker: the runner
     * takes the second one itself, on the same thread, and it must start uninterrupted, or its
     * first sleep fails at once.
     */
    @Test
    void anInterruptATaskLeavesSetDoesNotReachTheNextTaskOnItsThread() throws Exception {
        for (int round = 0; round < 50; round++) {
            Thread[] threads = new Thread[2];
            JoinHandle<String> sleeper = rt.spawn(() -> {
                // One worker: both run after this task ends, in order, on its runner.
                Task.spawn(() -> {
                    threads[0] = Thread.currentThread();
                    Thread.currentThread().interrupt();
                });
                return Task.spawn(() -> {
                    threads[1] = Thread.currentThread();
                    boolean interrupted = Thread.currentThread().isInterrupted();
                    Task.sleep(Duration.ofMillis(1));
                    return interrupted ? "started interrupted" : "slept";
                });
            }).join();
            int r = round;
            String outcome;
            try {
                outcome = sleeper.join(Duration.ofSeconds(20));
            } catch (JoinException e) {
                outcome = "failed: " + e.getCause();
            }
            assertEquals("slept", outcome, "round " + r);
            assertNotNull(threads[1]);
            assertSame(threads[0], threads[1], "round " + r + ": both tasks ran on one pooled thread");
        }
    }

    /**
     * A task that attaches a value ({@link Scheduler#attach}) and ends without restoring it, then
     * a task queued behind it on the same worker, which its runner takes on the same thread: the
     * second one starts with nothing attached.
     */
    @Test
    void anAttachmentATaskLeavesDoesNotReachTheNextTaskOnItsThread() throws Exception {
        Thread[] threads = new Thread[2];
        JoinHandle<Object> second = rt.spawn(() -> {
            // One worker: both run after this task ends, in order, on its runner.
            Task.spawn(() -> {
                threads[0] = Thread.currentThread();
                Scheduler.attach("left behind");
            });
            return Task.spawn(() -> {
                threads[1] = Thread.currentThread();
                return Scheduler.attachment();
            });
        }).join();
        assertNull(second.join(Duration.ofSeconds(20)), "what the second task found attached");
        assertNotNull(threads[1]);
        assertSame(threads[0], threads[1], "both tasks ran on one pooled thread");
    }

    /**
     * A task's attachment stays with it while it sleeps (its thread parked, its worker running
     * other tasks on another runner, which see nothing attached), and is there when it resumes.
     */
    @Test
    void anAttachmentStaysWithItsTaskAcrossAPark() throws Exception {
        JoinHandle<Object> other = rt.spawn(() -> {
            Scheduler.attach("mine");
            JoinHandle<Object> meanwhile = Task.spawn(Scheduler::attachment);
            Task.sleep(Duration.ofMillis(20)); // the worker runs 'meanwhile' while this thread is parked
            Object seen = meanwhile.join();
            return Scheduler.attachment() + ", other task saw " + seen;
        });
        assertEquals("mine, other task saw null", other.join(Duration.ofSeconds(20)));
    }

    /** attach returns the value it replaced, so that a caller can restore it. */
    @Test
    void attachReturnsTheValueItReplaces() throws Exception {
        JoinHandle<String> t = rt.spawn(() -> {
            Object first = Scheduler.attach("outer");
            Object replaced = Scheduler.attach("inner");
            Object restored = Scheduler.attach(replaced);
            return first + " " + replaced + " " + restored + " " + Scheduler.attachment();
        });
        assertEquals("null outer inner outer", t.join(Duration.ofSeconds(20)));
    }

    /** A child task that a join runs inline, on the joiner's thread, sees the joiner's attachment. */
    @Test
    void aChildRunInlineByItsJoinerSeesTheJoinersAttachment() throws Exception {
        JoinHandle<Object> t = rt.spawn(() -> {
            Scheduler.attach("joiner's");
            Thread joiner = Thread.currentThread();
            // One worker, busy with this task: the child is unstarted when joined, and runs inline.
            JoinHandle<Object> child = Task.spawn(() -> Thread.currentThread() == joiner
                    ? Scheduler.attachment() : "ran on another thread");
            return child.join();
        });
        assertEquals("joiner's", t.join(Duration.ofSeconds(20)));
    }

    /** Outside a weft task nothing is attached, and attaching fails with a message saying where to call it. */
    @Test
    void attachOutsideATaskFailsAndNothingIsAttachedThere() {
        assertNull(Scheduler.attachment());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Scheduler.attach("x"));
        assertTrue(e.getMessage().contains("not a weft task"), e.getMessage());
    }
}
