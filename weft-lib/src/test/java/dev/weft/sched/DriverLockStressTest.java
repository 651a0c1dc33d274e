package dev.weft.sched;

import dev.weft.runtime.RuntimeStats;
import dev.weft.runtime.WorkerStats;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Workers whose driver takes a JDK monitor in poll, park and wake, as NIO's selector does (its
 * selector lock in select, its interrupt lock in wakeup and after a wake-up). Since JDK 24 a
 * virtual thread that blocks on a contended monitor leaves its carrier (JEP 491). A runner that
 * did so while it searched for work on its worker's behalf resumed on another worker and left what
 * it found in the first worker's hand-off slot, which nobody read again; a task that did so inside
 * {@code wake()} could be chosen to take the monitor next while unmounted, and the worker that was
 * to run it waited for that monitor. Either way a task never ran and the runtime never
 * terminated. A lost task shows as a join that does not return: the waits are bounded far above
 * the expected time and fail naming what hung.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DriverLockStressTest {

    /** A driver like NIO's: poll, park and wake each take one monitor, which tasks' wake-ups contend for. */
    static final class LockingDriver implements Driver {
        private static final long HOLD_NANOS = Long.getLong("holdNanos", 5_000);
        private final Object lock = new Object();
        private volatile Thread owner;

        @Override
        public void attach() {
            owner = Thread.currentThread();
        }

        @Override
        public void poll() {
            CarrierPin.enter(); // runners poll in their search: it must not move (see Driver)
            try {
                synchronized (lock) {
                    hold(); // as long as a selectNow, so that wake-ups contend
                }
            } finally {
                CarrierPin.exit();
            }
        }

        @Override
        public boolean busy() {
            return true; // polled whenever a search runs dry, also by a runner between tasks
        }

        @Override
        public void park() {
            LockSupport.park(this);
            synchronized (lock) {
                hold(); // like the selector clearing its wake-up after the select returns
            }
        }

        @Override
        public void wake() {
            CarrierPin.enter(); // tasks call wake: the lock is the worker's too (see Driver)
            try {
                synchronized (lock) {
                    hold(); // like Selector.wakeup() writing its eventfd
                }
            } finally {
                CarrierPin.exit();
            }
            Thread t = owner;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void close() {
        }

        /** Holds the monitor about as long as a system call: longer than a contender spins before it blocks. */
        private static void hold() {
            long until = System.nanoTime() + HOLD_NANOS;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }

        @Override
        public String backend() {
            return "locking-test-driver";
        }

        @Override
        public long operations() {
            return 0;
        }
    }

    /** Stats, and what each worker holds and is doing: for a failure message. */
    private static String describe(Scheduler s) {
        StringBuilder sb = new StringBuilder(s.toString()).append(' ').append(s.stats(RuntimeStats::new, WorkerStats::new))
                .append("\nsearching ").append(s.searching.get()).append(", sleepers ").append(s.sleepers.get())
                .append(", injector empty ").append(s.injector.isEmpty());
        for (Worker w : s.workers) {
            sb.append("\n").append(w.getName()).append(": state ").append(w.state == Worker.SLEEPING ? "SLEEPING" : "RUNNING")
                    .append(", hand-off slot (pending) ").append(w.pending).append(", thread ").append(w.getState());
            for (StackTraceElement e : w.getStackTrace()) {
                sb.append("\n    at ").append(e);
            }
        }
        return sb.toString();
    }

    @Test
    void everyTaskRunsAndTheRuntimeTerminatesWhenTheDriverTakesAMonitor() throws Exception {
        for (int round = 0; round < 1000; round++) {
            Scheduler s = Scheduler.start(SchedulerConfig.of(2, "locking-" + round),
                    i -> new LockingDriver());
            List<JoinHandle<Void>> players = new ArrayList<>();
            List<SchedulerStressTest.PingPong> games = new ArrayList<>();
            for (int pair = 0; pair < 4; pair++) {
                SchedulerStressTest.PingPong game = new SchedulerStressTest.PingPong();
                games.add(game);
                for (int me = 0; me < 2; me++) {
                    int player = me;
                    players.add(s.spawn(() -> {
                        // each turn spawns a task: runners search (and poll) between tasks, and a
                        // spawn wakes a sleeping worker through its driver
                        game.play(player, 50, () -> Task.spawn(() -> {
                            for (int w = 0; w < s.workerCount(); w++) {
                                s.driver(w).wake(); // as closing a NIO socket wakes every selector that had its key
                            }
                        }));
                        return null;
                    }));
                }
            }
            for (int i = 0; i < players.size(); i++) {
                try {
                    players.get(i).join(Duration.ofSeconds(20));
                } catch (TimeoutException e) {
                    fail("round " + round + ": player " + i + " hung at turn " + games.get(i / 2).turn
                            + " (a resumed task was lost); " + describe(s));
                }
            }
            s.close();
            if (!s.awaitTermination(Duration.ofSeconds(20))) {
                fail("round " + round + ": the runtime did not terminate; " + describe(s));
            }
            for (SchedulerStressTest.PingPong game : games) {
                assertEquals(100, game.turn);
            }
        }
    }
}
