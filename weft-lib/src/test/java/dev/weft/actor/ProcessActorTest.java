package dev.weft.actor;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Process actors: identity, mailboxes, receive, failures and the root run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessActorTest extends ActorTesting {

    // -------------------------------------------------------------------------------------
    // Pids

    @Test
    void pidPrintsAsNodeSlotGeneration() {
        assertEquals("<0.42.3>", new Pid(null, 0, 42, 3).toString());
    }

    @Test
    void aStalePidNeverReachesTheActorThatReusesItsSlot() throws Exception {
        Outcome o = start(2).run(() -> {
            MonitorRef first = Actor.spawnMonitor(() -> { });
            Pid old = first.pid();
            Actor.receive(m -> m instanceof Down, LONG).orElseThrow();
            Pid reused = Actor.spawn(() -> Actor.receive(Duration.ofMillis(200)).orElse("nothing"));
            MonitorRef watch = Actor.monitor(reused);
            assertEquals(old.slot(), reused.slot(), "the freed slot is reused");
            assertNotEquals(old.generation(), reused.generation());
            assertFalse(Actor.send(old, "for the old actor"), "a send to a stale pid is refused");
            assertFalse(Actor.isAlive(old));
            assertTrue(Actor.isAlive(reused));
            Down d = (Down) Actor.receive(m -> m instanceof Down dn && dn.ref() == watch, LONG).orElseThrow();
            return d.outcome();
        });
        assertEquals(new Outcome.Exit("nothing"), value(o), "the new actor got nothing");
    }

    @Test
    void sendToAnEndedActorReturnsFalse() throws Exception {
        Outcome o = start(2).run(() -> {
            MonitorRef r = Actor.spawnMonitor(() -> 1);
            Actor.receive(m -> m instanceof Down, LONG).orElseThrow();
            return Actor.send(r.pid(), "late");
        });
        assertEquals(false, value(o));
    }

    // -------------------------------------------------------------------------------------
    // Receive

    @Test
    void messagesFromOneSenderArriveInOrder() throws Exception {
        Outcome o = start(2).run(() -> {
            Pid me = Actor.self();
            Actor.spawn(() -> {
                for (int i = 0; i < 10_000; i++) {
                    Actor.send(me, i);
                }
            });
            for (int i = 0; i < 10_000; i++) {
                Object m = Actor.receive();
                if (!Integer.valueOf(i).equals(m)) {
                    return "message " + i + " was " + m;
                }
            }
            return "in order";
        });
        assertEquals("in order", value(o));
    }

    @Test
    void receiveWithATimeoutIsEmptyWhenNothingComes() throws Exception {
        Outcome o = start(2).run(() -> Actor.receive(Duration.ofMillis(50)));
        assertEquals(Optional.empty(), value(o));
    }

    @Test
    void receiveWithZeroTimeoutOnlyLooks() throws Exception {
        Outcome o = start(2).run(() -> {
            Optional<Object> before = Actor.receive(Duration.ZERO);
            Actor.send(Actor.self(), "here");
            return List.of(before, Actor.receive(Duration.ZERO));
        });
        assertEquals(List.of(Optional.empty(), Optional.of("here")), value(o));
    }

    @Test
    void selectiveReceiveLeavesPassedOverMessagesInOrder() throws Exception {
        Outcome o = start(2).run(() -> {
            Pid me = Actor.self();
            for (Object m : List.of("a", 1, "b", 2, "c")) {
                Actor.send(me, m);
            }
            Object firstInt = Actor.receive(m -> m instanceof Integer, LONG).orElseThrow();
            List<Object> rest = new ArrayList<>();
            rest.add(firstInt);
            for (int i = 0; i < 4; i++) {
                rest.add(Actor.receive());
            }
            return rest;
        });
        assertEquals(List.of(1, "a", "b", 2, "c"), value(o));
    }

    /**
     * 10^5 messages that do not match arrive while the receiver waits for the one that does (the
     * sender lets it park again every 100 messages): each is tested once, where a rescan of the
     * passed-over messages at each wake-up would test them some 5 * 10^7 times; a second selective
     * receive tests each saved message once more.
     */
    @Test
    void selectiveReceiveTestsEachMessageOncePerCall() throws Exception {
        int n = 100_000;
        Outcome o = start(2).run(() -> {
            Pid me = Actor.self();
            Proc receiver = me.system().lookup(me);
            Actor.spawn(() -> {
                for (int i = 0; i < n; i++) {
                    if (i % 100 == 0) {
                        while (!receiver.isWaiting()) {
                            Thread.yield(); // every 100 messages, the receiver has waited again
                        }
                    }
                    Actor.send(me, i);
                }
                Actor.send(me, "match");
            });
            AtomicLong tests = new AtomicLong();
            Object m = Actor.receive(x -> {
                tests.incrementAndGet();
                return "match".equals(x);
            }, LONG).orElseThrow();
            long first = tests.get();
            tests.set(0);
            Optional<Object> none = Actor.receive(x -> {
                tests.incrementAndGet();
                return "other".equals(x);
            }, Duration.ZERO);
            return List.of(m, first, none.isPresent(), tests.get(), Actor.mailboxDepth(me));
        });
        assertEquals(List.of("match", (long) n + 1, false, (long) n, n), value(o));
    }

    // -------------------------------------------------------------------------------------
    // Failures

    @Test
    void anExceptionBecomesFailedAndTheWorkersGoOn() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        start(1);
        Outcome o = rt.run(() -> {
            throw boom;
        });
        assertSame(boom, assertInstanceOf(Outcome.Failed.class, o).cause());
        assertEquals(5, rt.spawn(() -> 5).join(), "the worker runs tasks after the failure");
    }

    @Test
    void failuresAreQuietOnStderr() throws Exception {
        start(2);
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            rt.run(() -> {
                for (int i = 0; i < 10; i++) {
                    Actor.spawn(() -> {
                        throw new IllegalStateException("quiet failure");
                    });
                }
            });
        } finally {
            System.setErr(old);
        }
        assertEquals("", err.toString(), "nothing on stderr");
    }

    /** A System.Logger that keeps what it is given, at every level. */
    static final class KeptLog implements System.Logger {
        record Entry(Level level, String message, Throwable thrown) {
        }

        final List<Entry> entries = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "dev.weft.actor";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            entries.add(new Entry(level, msg, thrown));
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            entries.add(new Entry(level, format, null));
        }
    }

    @Test
    void aFailureIsLoggedAtDebugWithItsPidAndThrowable() throws Exception {
        KeptLog kept = new KeptLog();
        System.Logger old = Proc.log;
        Proc.log = kept;
        IllegalStateException boom = new IllegalStateException("logged quietly");
        try {
            Outcome o = start(2).run(() -> {
                MonitorRef r = Actor.spawnMonitor(() -> {
                    throw boom;
                });
                awaitDown(r);
                return r.pid();
            });
            Pid pid = (Pid) value(o);
            KeptLog.Entry e = kept.entries.stream().filter(x -> x.thrown() == boom).findFirst()
                    .orElseThrow(() -> new AssertionError("no entry with the failure: " + kept.entries));
            assertEquals(System.Logger.Level.DEBUG, e.level());
            assertTrue(e.message().contains(pid.toString()), e.message());
        } finally {
            Proc.log = old;
        }
    }

    // -------------------------------------------------------------------------------------
    // Root runs

    @Test
    void runWaitsForEveryActorToEnd() throws Exception {
        AtomicLong ended = new AtomicLong();
        Outcome o = start(2).run(() -> {
            for (int i = 0; i < 100; i++) {
                Actor.spawn(() -> {
                    Actor.sleep(Duration.ofMillis(20));
                    ended.incrementAndGet();
                });
            }
            return "root done";
        });
        assertEquals("root done", value(o));
        assertEquals(100, ended.get(), "every actor ended before run returned");
    }

    @Test
    void runWaitsForThePlainTasksItsActorsSpawnedAndTheirs() throws Exception {
        AtomicLong ended = new AtomicLong();
        Outcome o = start(2).run(() -> {
            Actor.spawn(() -> {
                // A task that an actor spawns and never joins, which spawns one of its own.
                dev.weft.task.Task.spawn(() -> {
                    dev.weft.task.Task.spawn(() -> {
                        dev.weft.task.Task.sleep(Duration.ofMillis(50));
                        ended.incrementAndGet();
                    });
                    dev.weft.task.Task.blocking(() -> {
                        Thread.sleep(50);
                        return null;
                    });
                    ended.incrementAndGet();
                });
            });
            return "root done";
        });
        assertEquals("root done", value(o));
        assertEquals(2, ended.get(), "both plain tasks ended before run returned");
    }

    @Test
    void runDoesNotWaitForTasksThatOutsideCallersSpawned() throws Exception {
        start(2);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        dev.weft.task.JoinHandle<Void> outside = rt.spawn(() -> {
            release.await();
            return null;
        });
        assertEquals("done", value(rt.run(() -> "done")));
        assertFalse(outside.isDone(), "the outside task still waits: run did not wait for it");
        release.countDown();
        outside.join(Duration.ofSeconds(10));
    }

    @Test
    void runCanBeCalledRunAfterRun() throws Exception {
        start(2);
        for (int i = 0; i < 3; i++) {
            int k = i;
            assertEquals(k, value(rt.run(() -> k)));
        }
    }

    @Test
    void aSecondConcurrentRunFailsWithAClearMessage() throws Exception {
        start(2);
        AtomicReference<Throwable> second = new AtomicReference<>();
        Outcome o = rt.run(() -> {
            Thread t = new Thread(() -> {
                try {
                    rt.run(() -> "second");
                } catch (Throwable e) {
                    second.set(e);
                }
            });
            t.start();
            t.join();
            return "first";
        });
        assertEquals("first", value(o));
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, second.get());
        assertTrue(e.getMessage().contains("already running a root actor"), e.getMessage());
    }

    @Test
    void runFromAnActorFails() throws Exception {
        Outcome o = start(2).run(() -> {
            try {
                rt.run(() -> 1);
                return "ran";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        assertTrue(((String) value(o)).contains("would wait for its own end"), o.toString());
    }

    @Test
    void shutdownNowKillsActorsWaitingInReceive() throws Exception {
        start(2);
        java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(10);
        java.util.concurrent.atomic.AtomicInteger unwound = new java.util.concurrent.atomic.AtomicInteger();
        rt.spawn(() -> {
            for (int i = 0; i < 10; i++) {
                Actor.spawn(() -> {
                    waiting.countDown();
                    try {
                        Actor.receive();
                    } finally {
                        unwound.incrementAndGet();
                    }
                });
            }
        }).join();
        assertTrue(waiting.await(20, TimeUnit.SECONDS));
        rt.shutdownNow();
        assertTrue(rt.awaitTermination(LONG), "the runtime terminated: no actor kept it");
        assertEquals(10, unwound.get(), "every waiting actor was unwound");
    }

    @Test
    void actorCallsOutsideAnActorFailWithTheirName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Actor::receive);
        assertTrue(e.getMessage().contains("Actor.receive"), e.getMessage());
    }

    // -------------------------------------------------------------------------------------
    // Names and timers

    @Test
    void aRegisteredNameFindsTheActorUntilItEnds() throws Exception {
        Outcome o = start(2).run(() -> {
            MonitorRef r = Actor.spawnMonitor(() -> Actor.receive());
            Actor.register("worker", r.pid());
            Optional<Pid> found = Actor.whereis("worker");
            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                    () -> Actor.register("worker", Actor.self()));
            Actor.send(r.pid(), "end");
            Actor.receive(m -> m instanceof Down, LONG).orElseThrow();
            return List.of(found.equals(Optional.of(r.pid())), taken.getMessage().contains("taken by"),
                    Actor.whereis("worker").isEmpty());
        });
        assertEquals(List.of(true, true, true), value(o));
    }

    @Test
    void sendAfterDeliversTheMessageLater() throws Exception {
        Outcome o = start(2).run(() -> {
            Actor.sendAfter(Actor.self(), "tick", Duration.ofMillis(30));
            return Actor.receive(LONG);
        });
        assertEquals(Optional.of("tick"), value(o));
    }

    @Test
    void aCancelledTimerNeverDelivers() throws Exception {
        Outcome o = start(2).run(() -> {
            TimerRef t = Actor.sendAfter(Actor.self(), "cancelled", Duration.ofMillis(50));
            boolean cancelled = t.cancel();
            Actor.sendAfter(Actor.self(), "later", Duration.ofMillis(150));
            return List.of(cancelled, Actor.receive(LONG).orElseThrow(), Actor.receive(Duration.ofMillis(200)));
        });
        assertEquals(List.of(true, "later", Optional.empty()), value(o));
    }

    @Test
    void sleepKeepsMessagesQueued() throws Exception {
        Outcome o = start(2).run(() -> {
            Actor.send(Actor.self(), "kept");
            Actor.sleep(Duration.ofMillis(20));
            return Actor.receive(Duration.ZERO);
        });
        assertEquals(Optional.of("kept"), value(o));
    }
}
