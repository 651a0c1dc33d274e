package dev.weft.actor;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Links, exit signals, monitors, and call/reply. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinksMonitorsCallTest extends ActorTesting {

    // -------------------------------------------------------------------------------------
    // Links

    @Test
    void anAbnormalEndKillsTheLinkedActor() throws Exception {
        RuntimeException boom = new RuntimeException("boom");
        Outcome o = start().run(() -> {
            MonitorRef watcher = Actor.spawnMonitor(() -> {
                Actor.spawnLink(() -> {
                    throw boom;
                });
                Actor.receive(); // killed here
            });
            return awaitDown(watcher);
        });
        Outcome.Killed k = assertInstanceOf(Outcome.Killed.class, value(o));
        assertSame(boom, assertInstanceOf(Outcome.Failed.class, k.reason()).cause());
    }

    @Test
    void aLinkWorksBothWays() throws Exception {
        RuntimeException boom = new RuntimeException("boom");
        Outcome o = start().run(() -> {
            MonitorRef waiter = Actor.spawnMonitor(() -> Actor.receive());
            Actor.spawn(() -> {
                Actor.link(waiter.pid()); // made from this side, it kills the other one
                throw boom;
            });
            return awaitDown(waiter);
        });
        Outcome.Killed k = assertInstanceOf(Outcome.Killed.class, value(o));
        assertSame(boom, assertInstanceOf(Outcome.Failed.class, k.reason()).cause());
    }

    @Test
    void aTrappingActorGetsTheExitAsAMessage() throws Exception {
        RuntimeException boom = new RuntimeException("boom");
        Outcome o = start().run(() -> {
            Actor.trapExits(true);
            Pid child = Actor.spawnLink(() -> {
                throw boom;
            });
            ExitSignal s = (ExitSignal) Actor.receive(m -> m instanceof ExitSignal, LONG).orElseThrow();
            return List.of(s.from().equals(child), s.reason());
        });
        assertEquals(List.of(true, new Outcome.Failed(boom)), value(o));
    }

    @Test
    void killCannotBeTrapped() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.spawnMonitor(() -> {
                Actor.trapExits(true);
                for (;;) {
                    Actor.receive();
                }
            });
            Actor.exit(r.pid(), "kill");
            return awaitDown(r);
        });
        assertEquals(new Outcome.Killed("killed"), value(o));
    }

    @Test
    void aNormalEndDoesNotPropagate() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef watcher = Actor.spawnMonitor(() -> {
                Actor.spawnLink(() -> "done");
                return Actor.receive(Duration.ofMillis(200)).orElse("still alive");
            });
            return awaitDown(watcher);
        });
        assertEquals(new Outcome.Exit("still alive"), value(o));
    }

    @Test
    void aNormalExitSignalIsIgnoredUnlessTrapped() throws Exception {
        Outcome o = start().run(() -> {
            Pid me = Actor.self();
            MonitorRef r = Actor.spawnMonitor(() -> Actor.receive());
            Actor.exit(r.pid(), "normal");
            boolean aliveAfter = Actor.isAlive(r.pid());
            Actor.send(r.pid(), "end");
            awaitDown(r);
            Actor.trapExits(true);
            Actor.exit(me, "normal");
            return List.of(aliveAfter, withoutFrom(Actor.receive(LONG).orElseThrow()));
        });
        assertEquals(List.of(true, new ExitSignal(null, "normal")), value(o));
    }

    @Test
    void aKillEndsAnActorBlockedOutsideReceive() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.spawnMonitor(() -> {
                dev.weft.task.Task.sleep(Duration.ofSeconds(30));
                return "slept";
            });
            Actor.sleep(Duration.ofMillis(20));
            Actor.exit(r.pid(), "wake up");
            return awaitDown(r);
        });
        assertEquals(new Outcome.Killed("wake up"), value(o));
    }

    @Test
    void linkingToAnEndedActorSignalsNoproc() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.spawnMonitor(() -> 1);
            awaitDown(r);
            Actor.trapExits(true);
            Actor.link(r.pid());
            return Actor.receive(LONG).orElseThrow();
        });
        assertEquals(new ExitSignal(null, "noproc"), withoutFrom(value(o)));
    }

    private static Object withoutFrom(Object m) {
        return m instanceof ExitSignal s ? new ExitSignal(null, s.reason()) : m;
    }

    @Test
    void unlinkStopsPropagation() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef watcher = Actor.spawnMonitor(() -> {
                Pid child = Actor.spawnLink(() -> {
                    Actor.receive();
                    throw new IllegalStateException("after unlink");
                });
                Actor.unlink(child);
                Actor.send(child, "fail now");
                return Actor.receive(Duration.ofMillis(200)).orElse("survived");
            });
            return awaitDown(watcher);
        });
        assertEquals(new Outcome.Exit("survived"), value(o));
    }

    // -------------------------------------------------------------------------------------
    // Monitors

    @Test
    void aMonitorDeliversDownWithTheOutcome() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.spawnMonitor(() -> 7);
            Down d = (Down) Actor.receive(m -> m instanceof Down, LONG).orElseThrow();
            return List.of(d.ref() == r, d.pid().equals(r.pid()), d.outcome());
        });
        assertEquals(List.of(true, true, new Outcome.Exit(7)), value(o));
    }

    @Test
    void monitoringAnEndedActorDeliversDownAtOnce() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef first = Actor.spawnMonitor(() -> 7);
            awaitDown(first);
            MonitorRef again = Actor.monitor(first.pid());
            return Actor.receive(Duration.ZERO).map(m -> ((Down) m).ref() == again ? ((Down) m).outcome() : m);
        });
        assertEquals(Optional.of(new Outcome.Exit(7)), value(o));
    }

    @Test
    void monitoringAPidThatNeverExistedDeliversNoproc() throws Exception {
        Outcome o = start().run(() -> {
            Pid never = new Pid(Actor.self().system(), 0, 1_000_000, 0);
            MonitorRef r = Actor.monitor(never);
            return ((Down) Actor.receive(Duration.ZERO).orElseThrow()).outcome();
        });
        assertEquals(new Outcome.Killed("noproc"), value(o));
    }

    @Test
    void demonitorStopsTheDown() throws Exception {
        Outcome o = start().run(() -> {
            Pid p = Actor.spawn(() -> Actor.receive());
            MonitorRef r = Actor.monitor(p);
            boolean removed = Actor.demonitor(r);
            Actor.send(p, "end");
            return List.of(removed, Actor.receive(Duration.ofMillis(200)));
        });
        assertEquals(List.of(true, Optional.empty()), value(o));
    }

    // -------------------------------------------------------------------------------------
    // Call and reply

    static void echoServer() {
        for (;;) {
            Object m = Actor.receive();
            if (m instanceof Call c) {
                if ("die".equals(c.request())) {
                    throw new IllegalStateException("asked to die");
                }
                if (!"ignore".equals(c.request())) {
                    Actor.reply(c, "echo " + c.request());
                }
            }
        }
    }

    @Test
    void callReturnsTheReply() throws Exception {
        Outcome o = start().run(() -> {
            Pid server = Actor.spawn(LinksMonitorsCallTest::echoServer);
            Object r = Actor.call(server, "hi", LONG);
            Actor.exit(server, "kill");
            return r;
        });
        assertEquals("echo hi", value(o));
    }

    @Test
    void aCallToAnEndedActorFailsAtOnceWithItsOutcome() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.spawnMonitor(() -> 3);
            awaitDown(r);
            try {
                Actor.call(r.pid(), "hi", LONG);
                return "replied";
            } catch (CallException e) {
                return e.outcome().orElseThrow();
            }
        });
        assertEquals(new Outcome.Exit(3), value(o));
    }

    @Test
    void aCallToAPidThatNeverExistedFailsWithNoproc() throws Exception {
        Outcome o = start().run(() -> {
            Pid never = new Pid(Actor.self().system(), 0, 1_000_000, 0);
            try {
                Actor.call(never, "hi", LONG);
                return "replied";
            } catch (CallException e) {
                return List.of(e.outcome().orElseThrow(), e.getMessage().contains("noproc"));
            }
        });
        assertEquals(List.of(new Outcome.Killed("noproc"), true), value(o));
    }

    @Test
    void aCallFailsAtOnceWhenTheTargetDiesBeforeReplying() throws Exception {
        Outcome o = start().run(() -> {
            Pid server = Actor.spawn(LinksMonitorsCallTest::echoServer);
            try {
                Actor.call(server, "die", LONG);
                return "replied";
            } catch (CallException e) {
                return e.outcome().orElseThrow() instanceof Outcome.Failed f ? f.cause().getMessage() : e;
            }
        });
        assertEquals("asked to die", value(o));
    }

    @Test
    void aTimedOutCallThrowsAndItsLateReplyIsDropped() throws Exception {
        Outcome o = start().run(() -> {
            Pid slow = Actor.spawn(() -> {
                Call c = (Call) Actor.receive();
                Actor.sleep(Duration.ofMillis(150));
                Actor.reply(c, "late");
                Actor.receive();
            });
            String timedOut;
            try {
                Actor.call(slow, "hi", Duration.ofMillis(30));
                timedOut = "replied";
            } catch (CallTimeoutException e) {
                timedOut = e.getMessage();
            }
            Actor.sleep(Duration.ofMillis(300)); // the late reply arrives meanwhile
            Optional<Object> left = Actor.receive(Duration.ZERO);
            Actor.exit(slow, "kill");
            return List.of(timedOut.contains("no reply within"), left, Actor.mailboxDepth(Actor.self()));
        });
        assertEquals(List.of(true, Optional.empty(), 0), value(o));
    }
}
