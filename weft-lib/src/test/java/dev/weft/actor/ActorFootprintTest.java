package dev.weft.actor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Heap per pending {@code sendAfter}, per idle handler actor and per idle process actor: a
 * measurement run by hand, not part of the suite (it asserts only that everything it made was
 * there, and prints the figures):
 * {@code ./test -o -pl weft-lib -Dtest=ActorFootprintTest -Dweft.footprint=true -Dsurefire.failIfNoSpecifiedTests=false}
 * then {@code grep bytes weft-lib/target/surefire-reports/dev.weft.actor.ActorFootprintTest-output.txt}.
 */
@EnabledIfSystemProperty(named = "weft.footprint", matches = "true")
class ActorFootprintTest extends ActorTesting {

    /** Heap in use after full collections: the smallest of three readings. */
    static long liveBytes() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Runtime r = Runtime.getRuntime();
            used = Math.min(used, r.totalMemory() - r.freeMemory());
        }
        return used;
    }

    @Test
    void bytesPerPendingSendAfter() throws Exception {
        int n = 1_000_000;
        Outcome o = start(2).run(() -> {
            Pid target = Actor.spawn(() -> Actor.receive());
            TimerRef[] refs = new TimerRef[n];
            String msg = "tick";
            long before = liveBytes();
            for (int i = 0; i < n; i++) {
                refs[i] = Actor.sendAfter(target, msg, Duration.ofHours(1));
            }
            long after = liveBytes();
            long pending = rt.stats().timersPending();
            for (TimerRef r : refs) {
                r.cancel();
            }
            Actor.exit(target, "kill");
            System.out.printf("sendAfter: %d pending, %.1f bytes each (TimerRef, timer entry, heap slot)%n",
                    pending, (after - before) / (double) n);
            return pending >= n;
        });
        assertEquals(true, value(o), "every sendAfter was pending when measured");
    }

    @Test
    void bytesPerIdleHandlerActor() throws Exception {
        int n = 1_000_000;
        Outcome o = start(2).run(() -> {
            Pid[] pids = new Pid[n];
            long before = liveBytes();
            for (int i = 0; i < n; i++) {
                pids[i] = Actor.spawn((Object m) -> { });
            }
            long after = liveBytes();
            long live = Actor.stats().live() - 1;
            for (Pid p : pids) {
                Actor.exit(p, "kill");
            }
            System.out.printf("handler actor: %d idle, %.1f bytes each (with its pid)%n", live,
                    (after - before) / (double) n);
            return live;
        });
        assertEquals((long) n, value(o));
    }

    @Test
    void bytesPerIdleProcessActor() throws Exception {
        int n = 100_000;
        Outcome o = start(2).run(() -> {
            Pid[] pids = new Pid[n];
            long before = liveBytes();
            for (int i = 0; i < n; i++) {
                pids[i] = Actor.spawn(() -> Actor.receive());
            }
            for (Pid p : pids) {
                Proc proc = p.system().lookup(p);
                while (!proc.isWaiting()) {
                    Actor.sleep(Duration.ofMillis(1)); // until each has parked in receive
                }
            }
            long after = liveBytes();
            long live = Actor.stats().live() - 1;
            for (Pid p : pids) {
                Actor.exit(p, "kill");
            }
            System.out.printf("process actor: %d idle in receive, %.1f bytes each (with its pid, task and"
                    + " virtual thread)%n", live, (after - before) / (double) n);
            return live;
        });
        assertEquals((long) n, value(o));
    }

    /** For comparison: a plain pooled weft task parked on a latch (what a process actor is built on). */
    @Test
    void bytesPerParkedPlainTask() throws Exception {
        int n = 100_000;
        start(2);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch parked = new java.util.concurrent.CountDownLatch(n);
        dev.weft.task.JoinHandle<?>[] tasks = new dev.weft.task.JoinHandle<?>[n];
        long before = liveBytes();
        for (int i = 0; i < n; i++) {
            tasks[i] = rt.spawn(() -> {
                parked.countDown();
                release.await();
            });
        }
        parked.await();
        Thread.sleep(200); // the last ones reach their park
        long after = liveBytes();
        release.countDown();
        for (dev.weft.task.JoinHandle<?> t : tasks) {
            t.join();
        }
        System.out.printf("plain task: %d parked on a latch, %.1f bytes each (task and virtual thread)%n", n,
                (after - before) / (double) n);
        assertEquals(n, tasks.length);
    }
}
