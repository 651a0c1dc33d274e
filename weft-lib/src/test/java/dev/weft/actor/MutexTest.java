package dev.weft.actor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Mutex}: a timeout on every lock, FIFO hand-off, kills and misuse. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MutexTest extends ActorTesting {

    /** Waits (sleeping) until {@code n} actors wait for {@code m}. */
    static void awaitWaiting(Mutex<?> m, int n) {
        while (m.waiting() < n) {
            Actor.sleep(Duration.ofMillis(1));
        }
    }

    @Test
    void waitersGetTheLockInTheOrderTheyCame() throws Exception {
        Mutex<List<Integer>> order = new Mutex<>(new ArrayList<>());
        Outcome o = start().run(() -> {
            List<MonitorRef> waiters = new ArrayList<>();
            try (Mutex.Guard<List<Integer>> held = order.lock(LONG)) {
                for (int i = 0; i < 8; i++) {
                    int k = i;
                    waiters.add(Actor.spawnMonitor(() -> {
                        try (Mutex.Guard<List<Integer>> g = order.lock(LONG)) {
                            g.get().add(k);
                        }
                    }));
                    awaitWaiting(order, i + 1); // waiter k queues before waiter k + 1 starts
                }
            } // handed to waiter 0, which hands to 1, ...
            for (MonitorRef r : waiters) {
                awaitDown(r);
            }
            try (Mutex.Guard<List<Integer>> g = order.lock(LONG)) {
                return List.copyOf(g.get());
            }
        });
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), value(o));
    }

    @Test
    void aLockNotFreeWithinItsTimeoutThrows() throws Exception {
        Mutex<String> m = new Mutex<>("v");
        Outcome o = start().run(() -> {
            try (Mutex.Guard<String> held = m.lock(LONG)) {
                MonitorRef r = Actor.spawnMonitor(() -> {
                    try (Mutex.Guard<String> g = m.lock(Duration.ofMillis(10))) {
                        return "locked";
                    }
                });
                return awaitDown(r);
            }
        });
        Outcome.Failed f = (Outcome.Failed) value(o);
        assertTrue(f.cause() instanceof LockTimeoutException, f.toString());
        assertTrue(f.cause().getMessage().contains("within PT0.01S"), f.cause().getMessage());
    }

    @Test
    void aKilledWaiterLeavesTheQueueAndTheNextGetsTheLock() throws Exception {
        Mutex<Integer> m = new Mutex<>(0);
        Outcome o = start().run(() -> {
            MonitorRef killed;
            MonitorRef next;
            Outcome killedEnd;
            try (Mutex.Guard<Integer> held = m.lock(LONG)) {
                killed = Actor.spawnMonitor(() -> {
                    try (Mutex.Guard<Integer> g = m.lock(LONG)) {
                        g.set(-100);
                    }
                });
                awaitWaiting(m, 1);
                next = Actor.spawnMonitor(() -> {
                    try (Mutex.Guard<Integer> g = m.lock(LONG)) {
                        g.set(g.get() + 1);
                        return g.get();
                    }
                });
                awaitWaiting(m, 2);
                Actor.exit(killed.pid(), "go away");
                killedEnd = awaitDown(killed);
            } // unlocked: the killed waiter has left the queue, the next one gets it
            return List.of(killedEnd, awaitDown(next));
        });
        assertEquals(List.of(new Outcome.Killed("go away"), new Outcome.Exit(1)), value(o));
    }

    @Test
    void theHolderUnwoundByAKillUnlocks() throws Exception {
        Mutex<String> m = new Mutex<>("v");
        Outcome o = start().run(() -> {
            MonitorRef holder = Actor.spawnMonitor(() -> {
                try (Mutex.Guard<String> g = m.lock(LONG)) {
                    Actor.receive(); // killed here, holding the lock
                }
            });
            while (!m.isLocked()) {
                Actor.sleep(Duration.ofMillis(1));
            }
            Actor.exit(holder.pid(), "kill");
            Outcome end = awaitDown(holder);
            try (Mutex.Guard<String> g = m.lock(LONG)) {
                return List.of(end, g.get());
            }
        });
        assertEquals(List.of(new Outcome.Killed("killed"), "v"), value(o));
    }

    @Test
    void aMutexIsNotReentrant() throws Exception {
        Mutex<String> m = new Mutex<>("v");
        Outcome o = start().run(() -> {
            try (Mutex.Guard<String> g = m.lock(LONG)) {
                return assertThrows(IllegalStateException.class, () -> m.lock(LONG)).getMessage();
            }
        });
        assertTrue(((String) value(o)).contains("not reentrant"), o.toString());
    }

    @Test
    void aClosedGuardGivesNoValue() {
        Mutex<String> m = new Mutex<>("v");
        Mutex.Guard<String> g = m.lock(Duration.ZERO);
        g.close();
        g.close(); // a second close does nothing
        assertThrows(IllegalStateException.class, g::get);
        assertEquals(false, m.isLocked());
    }
}
