package dev.weft.actor;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import dev.weft.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Handler actors: one handle per message, batches, idleness, ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandlerActorTest extends ActorTesting {

    @Test
    void aHandlerHandlesEveryMessageOnceInOrder() throws Exception {
        Outcome o = start(2).run(() -> {
            List<Object> seen = new ArrayList<>();
            MonitorRef r = Actor.spawnMonitor((Object m) -> {
                if ("end".equals(m)) {
                    Actor.stop();
                }
                seen.add(m);
            });
            for (int i = 0; i < 1_000; i++) {
                Actor.send(r.pid(), i);
            }
            Actor.send(r.pid(), "end");
            Outcome end = awaitDown(r);
            return List.of(end, seen.size(), seen.get(0), seen.get(999));
        });
        assertEquals(List.of(new Outcome.Exit(null), 1_000, 0, 999), value(o));
    }

    @Test
    void manySendersNeverRunAHandlerTwiceAtOnce() throws Exception {
        int senders = 8;
        int each = 20_000;
        AtomicBoolean inside = new AtomicBoolean();
        AtomicInteger overlaps = new AtomicInteger();
        int[] handled = {0}; // the handler's alone
        Outcome o = start(2).run(() -> {
            MonitorRef r = Actor.spawnMonitor((Integer m) -> {
                if (!inside.compareAndSet(false, true)) {
                    overlaps.incrementAndGet();
                }
                if (m < 0) {
                    inside.set(false);
                    Actor.stop();
                }
                handled[0]++;
                inside.set(false);
            }, 16);
            Pid me = Actor.self();
            for (int s = 0; s < senders; s++) {
                Actor.spawn(() -> {
                    for (int i = 0; i < each; i++) {
                        Actor.send(r.pid(), i);
                    }
                    Actor.send(me, "sent");
                });
            }
            for (int s = 0; s < senders; s++) {
                Actor.receive(m -> "sent".equals(m), LONG).orElseThrow();
            }
            Actor.send(r.pid(), -1);
            awaitDown(r);
            return handled[0];
        });
        assertEquals(senders * each, value(o));
        assertEquals(0, overlaps.get(), "handle never ran twice at once");
    }

    @Test
    void aHandlerRunsInBatchesOfItsThroughput() throws Exception {
        Map<Long, Integer> perTask = new HashMap<>();
        Outcome o = start(1).run(() -> {
            MonitorRef r = Actor.spawnMonitor((Object m) -> {
                perTask.merge(Task.current().id(), 1, Integer::sum);
                if ("end".equals(m)) {
                    Actor.stop();
                }
            }, 4);
            // One worker: the handler's run is queued behind this actor, which sends them all first.
            for (int i = 0; i < 19; i++) {
                Actor.send(r.pid(), i);
            }
            Actor.send(r.pid(), "end");
            return awaitDown(r);
        });
        assertEquals(new Outcome.Exit(null), value(o));
        assertEquals(20, perTask.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(4, perTask.values().stream().mapToInt(Integer::intValue).max().orElseThrow(),
                "at most 4 messages per run: " + perTask);
        assertEquals(5, perTask.size(), "5 runs of 4: " + perTask);
    }

    @Test
    void anIdleHandlerHoldsNoTask() throws Exception {
        Outcome o = start(2).run(() -> {
            Pid me = Actor.self();
            Pid h = Actor.spawn((Object m) -> Actor.send(me, "handled"));
            Actor.send(h, "one");
            Actor.receive(m -> "handled".equals(m), LONG).orElseThrow();
            Proc p = h.system().lookup(h);
            for (int i = 0; i < 1_000 && !(p.isWaiting() && p.lastTask().isDone()); i++) {
                Actor.sleep(Duration.ofMillis(1)); // the run ends just after handle returns
            }
            boolean idle = p.isWaiting() && p.lastTask().isDone();
            Actor.exit(h, "kill");
            return idle;
        });
        assertEquals(true, value(o), "an idle handler's mailbox waits and its last run has ended");
    }

    @Test
    void aThrowingHandlerEndsFailed() throws Exception {
        IllegalArgumentException bad = new IllegalArgumentException("bad message");
        Outcome o = start(2).run(() -> {
            MonitorRef r = Actor.spawnMonitor((Object m) -> {
                throw bad;
            });
            Actor.send(r.pid(), "x");
            return awaitDown(r);
        });
        assertSame(bad, assertInstanceOf(Outcome.Failed.class, value(o)).cause());
    }

    @Test
    void anIdleHandlerIsKilledAtOnce() throws Exception {
        Outcome o = start(2).run(() -> {
            MonitorRef r = Actor.spawnMonitor((Object m) -> { });
            Actor.exit(r.pid(), "go away");
            return awaitDown(r);
        });
        assertEquals(new Outcome.Killed("go away"), value(o));
    }

    @Test
    void aKillEndsAHandlerBlockedInHandle() throws Exception {
        Outcome o = start(2).run(() -> {
            Pid me = Actor.self();
            MonitorRef r = Actor.spawnMonitor((Object m) -> {
                Actor.send(me, "blocking");
                Task.sleep(Duration.ofSeconds(30)); // interrupted by the kill
                Actor.send(me, "slept through");
            });
            Actor.send(r.pid(), "go");
            Actor.receive(m -> "blocking".equals(m), LONG).orElseThrow();
            Actor.exit(r.pid(), "stop blocking");
            return List.of(awaitDown(r), Actor.receive(Duration.ZERO));
        });
        assertEquals(List.of(new Outcome.Killed("stop blocking"), java.util.Optional.empty()), value(o));
    }

    @Test
    void aHandlerTrappingExitsGetsExitSignals() throws Exception {
        Outcome o = start(2).run(() -> {
            Pid me = Actor.self();
            MonitorRef r = Actor.spawnMonitor((Object m) -> {
                if (m instanceof ExitSignal s) {
                    Actor.send(me, s.reason());
                    Actor.stop();
                }
                Actor.trapExits(true);
                Actor.send(me, "trapping");
            });
            Actor.send(r.pid(), "trap now");
            Actor.receive(m -> "trapping".equals(m), LONG).orElseThrow();
            Actor.exit(r.pid(), "please stop");
            Object reason = Actor.receive(m -> !"trapping".equals(m), LONG).orElseThrow();
            return List.of(reason, awaitDown(r));
        });
        assertEquals(List.of("please stop", new Outcome.Exit(null)), value(o));
    }
}
