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
import static org.junit.jupiter.api.Assertions.assertSame;
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
}
