package dev.weft.actor;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import dev.weft.task.CheckedRunnable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each supervisor semantic, one test each (see {@link Supervisor}'s header). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SupervisorTest extends ActorTesting {

    /** What the children did, in order: "start a", "stop a". */
    private final Queue<String> log = new ConcurrentLinkedQueue<>();

    /**
     * A child that logs its start, and its stop when its supervisor asks (it traps exits, as a
     * child with cleanup to do does); "fail" makes it throw, "end" makes it return.
     */
    private CheckedRunnable child(String name) {
        return () -> {
            Actor.trapExits(true);
            log.add("start " + name);
            for (;;) {
                Object m = Actor.receive();
                if (m instanceof ExitSignal) {
                    log.add("stop " + name);
                    return;
                }
                if ("fail".equals(m)) {
                    throw new IllegalStateException(name + " failed");
                }
                if ("end".equals(m)) {
                    return;
                }
            }
        };
    }

    private static Supervisor.Builder abc(Supervisor.Strategy strategy, SupervisorTest t) {
        return Supervisor.builder(strategy)
                .child(ChildSpec.worker("a", t.child("a")))
                .child(ChildSpec.worker("b", t.child("b")))
                .child(ChildSpec.worker("c", t.child("c")));
    }

    static List<Pid> pids(Pid sup) {
        List<Pid> l = new ArrayList<>();
        for (Supervisor.Child c : Supervisor.children(sup, LONG)) {
            l.add(c.pid());
        }
        return l;
    }

    /** Asks the supervisor for its children until {@code until} holds. */
    static List<Pid> await(Pid sup, Predicate<List<Pid>> until) {
        for (int i = 0; i < 20_000; i++) {
            List<Pid> p = pids(sup);
            if (until.test(p)) {
                return p;
            }
            Actor.sleep(Duration.ofMillis(1));
        }
        throw new AssertionError("the supervisor's children never got there: " + pids(sup));
    }

    /**
     * Waits until the log has {@code n} entries and returns the first {@code n}. A child logs its
     * start in its own body, which runs concurrently with the next child's spawn, so the order of
     * starts spawned together is not fixed; stops are (the supervisor waits for each).
     */
    private List<String> logOf(int n) {
        for (int i = 0; i < 20_000 && log.size() < n; i++) {
            Actor.sleep(Duration.ofMillis(1));
        }
        List<String> l = List.copyOf(log);
        if (l.size() < n) {
            throw new AssertionError("the log never reached " + n + " entries: " + l);
        }
        return l.subList(0, n);
    }

    /** Entries {@code from..to} of the log, sorted (starts that ran concurrently). */
    private List<String> sorted(int from, int to) {
        return logOf(to).subList(from, to).stream().sorted().toList();
    }

    static boolean running(List<Pid> pids) {
        return pids.stream().allMatch(p -> p != null && Actor.isAlive(p));
    }

    // -------------------------------------------------------------------------------------
    // Strategies

    @Test
    void oneForOneRestartsOnlyTheChildThatEnded() throws Exception {
        Outcome o = start().run(() -> {
            Pid sup = abc(Supervisor.Strategy.ONE_FOR_ONE, this).build().spawn();
            List<Pid> before = await(sup, SupervisorTest::running);
            logOf(3);
            Actor.send(before.get(1), "fail");
            List<Pid> after = await(sup, p -> running(p) && !p.get(1).equals(before.get(1)));
            List<String> restarted = logOf(4).subList(3, 4);
            Actor.exit(sup, "kill");
            return List.of(after.get(0).equals(before.get(0)), after.get(2).equals(before.get(2)), restarted);
        });
        assertEquals(List.of(true, true, List.of("start b")), value(o));
    }

    @Test
    void oneForAllStopsTheOthersInReverseAndRestartsEveryChild() throws Exception {
        Outcome o = start().run(() -> {
            Pid sup = abc(Supervisor.Strategy.ONE_FOR_ALL, this).build().spawn();
            List<Pid> before = await(sup, SupervisorTest::running);
            logOf(3);
            Actor.send(before.get(1), "fail");
            List<Pid> after = await(sup, p -> running(p) && !p.get(0).equals(before.get(0)));
            List<Object> seen = List.of(logOf(5).subList(3, 5), sorted(5, 8));
            Actor.exit(sup, "kill");
            return List.of(!after.get(2).equals(before.get(2)), seen);
        });
        assertEquals(List.of(true, List.of(List.of("stop c", "stop a"), List.of("start a", "start b", "start c"))),
                value(o));
    }

    @Test
    void restForOneRestartsTheChildAndThoseStartedAfterIt() throws Exception {
        Outcome o = start().run(() -> {
            Pid sup = abc(Supervisor.Strategy.REST_FOR_ONE, this).build().spawn();
            List<Pid> before = await(sup, SupervisorTest::running);
            logOf(3);
            Actor.send(before.get(1), "fail");
            List<Pid> after = await(sup, p -> running(p) && !p.get(2).equals(before.get(2)));
            List<Object> seen = List.of(logOf(4).subList(3, 4), sorted(4, 6));
            Actor.exit(sup, "kill");
            return List.of(after.get(0).equals(before.get(0)), seen);
        });
        assertEquals(List.of(true, List.of(List.of("stop c"), List.of("start b", "start c"))), value(o));
    }

    @Test
    void simpleOneForOneStartsChildrenOfOneSpecOnDemand() throws Exception {
        Outcome o = start().run(() -> {
            Pid sup = Supervisor.builder(Supervisor.Strategy.SIMPLE_ONE_FOR_ONE)
                    .child(ChildSpec.worker("conn", child("conn")))
                    .build().spawn();
            List<Pid> none = pids(sup);
            Pid one = Supervisor.startChild(sup, LONG);
            Pid two = Supervisor.startChild(sup, LONG);
            Actor.send(one, "fail");
            List<Pid> after = await(sup, p -> running(p) && !p.contains(one));
            Actor.exit(sup, "kill");
            return List.of(none.size(), !one.equals(two), after.size(), after.contains(two));
        });
        assertEquals(List.of(0, true, 2, true), value(o));
    }

    @Test
    void aTemplateChildGetsItsOwnArgumentAtStartAndAgainAtRestart() throws Exception {
        Outcome o = start().run(() -> {
            Pid me = Actor.self();
            Pid sup = Supervisor.builder(Supervisor.Strategy.SIMPLE_ONE_FOR_ONE)
                    .child(ChildSpec.workerWith("conn", arg -> () -> {
                        Actor.send(me, "started " + arg);
                        if (Actor.receive().equals("fail")) {
                            throw new IllegalStateException("asked to fail");
                        }
                    }).withRestart(ChildSpec.Restart.TRANSIENT))
                    .intensity(5, Duration.ofSeconds(5))
                    .build().spawn();
            Pid a = Supervisor.startChild(sup, "a", LONG);
            Supervisor.startChild(sup, "b", LONG);
            List<Object> seen = new java.util.ArrayList<>(List.of(Actor.receive(), Actor.receive()));
            Actor.send(a, "fail");
            seen.add(Actor.receive());
            Actor.exit(sup, "kill");
            return List.of(seen.subList(0, 2).stream().map(String::valueOf).sorted().toList(), seen.get(2));
        });
        assertEquals(List.of(List.of("started a", "started b"), "started a"), value(o));
    }

    @Test
    void startChildNeedsASimpleOneForOneSupervisor() throws Exception {
        Outcome o = start().run(() -> {
            Pid sup = abc(Supervisor.Strategy.ONE_FOR_ONE, this).build().spawn();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Supervisor.startChild(sup, LONG));
            Actor.exit(sup, "kill");
            return e.getMessage().contains("SIMPLE_ONE_FOR_ONE");
        });
        assertEquals(true, value(o));
    }

    // -------------------------------------------------------------------------------------
    // Restart types

    @Test
    void aPermanentChildIsRestartedAfterANormalEnd() throws Exception {
        Outcome o = start().run(() -> {
            Pid sup = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                    .child(ChildSpec.worker("a", child("a"))).build().spawn();
            Pid first = await(sup, SupervisorTest::running).get(0);
            Actor.send(first, "end");
            Pid second = await(sup, p -> running(p) && !p.get(0).equals(first)).get(0);
            Actor.exit(sup, "kill");
            return second != null;
        });
        assertEquals(true, value(o));
    }

    @Test
    void aTransientChildIsRestartedOnlyAfterAnAbnormalEnd() throws Exception {
        Outcome o = start().run(() -> {
            Pid sup = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                    .child(ChildSpec.worker("t", child("t")).withRestart(ChildSpec.Restart.TRANSIENT))
                    .build().spawn();
            Pid first = await(sup, SupervisorTest::running).get(0);
            logOf(1);
            Actor.send(first, "fail");
            Pid second = await(sup, p -> running(p) && !p.get(0).equals(first)).get(0);
            logOf(2);
            Actor.send(second, "end");
            List<Pid> ended = await(sup, p -> p.get(0) == null);
            Actor.exit(sup, "kill");
            return List.of(ended.size(), logOf(2));
        });
        assertEquals(List.of(1, List.of("start t", "start t")), value(o));
    }

    @Test
    void aTemporaryChildIsNeverRestarted() throws Exception {
        Outcome o = start().run(() -> {
            Pid sup = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                    .child(ChildSpec.worker("tmp", child("tmp")).withRestart(ChildSpec.Restart.TEMPORARY))
                    .build().spawn();
            Pid first = await(sup, SupervisorTest::running).get(0);
            Actor.send(first, "fail");
            List<Pid> after = await(sup, List::isEmpty);
            Actor.exit(sup, "kill");
            return List.of(after.size(), List.copyOf(log));
        });
        assertEquals(List.of(0, List.of("start tmp")), value(o));
    }

    // -------------------------------------------------------------------------------------
    // Intensity, order, shutdown

    @Test
    void exceedingTheIntensityStopsTheChildrenInReverseAndEndsWithShutdown() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef sup = Actor.spawnMonitor(abc(Supervisor.Strategy.ONE_FOR_ONE, this).build()
                    .body(null)); // the default intensity: 1 restart in 5 s
            List<Pid> first = await(sup.pid(), SupervisorTest::running);
            logOf(3);
            Actor.send(first.get(0), "fail");
            List<Pid> second = await(sup.pid(), p -> running(p) && !p.get(0).equals(first.get(0)));
            logOf(4);
            Actor.send(second.get(0), "fail"); // the second restart within 5 s: too many
            Outcome end = awaitDown(sup);
            return List.of(end, logOf(6).subList(4, 6));
        });
        assertEquals(List.of(new Outcome.Killed("shutdown"), List.of("stop c", "stop b")), value(o));
    }

    @Test
    void childrenStartInOrderAndStopInReverseWhenTheParentAsks() throws Exception {
        Outcome o = start().run(() -> {
            Actor.trapExits(true);
            Pid sup = abc(Supervisor.Strategy.ONE_FOR_ONE, this).build().spawnLink();
            MonitorRef r = Actor.monitor(sup);
            await(sup, SupervisorTest::running);
            List<String> ids = Supervisor.children(sup, LONG).stream().map(Supervisor.Child::id).toList();
            List<String> starts = sorted(0, 3);
            Actor.exit(sup, "shutdown");
            return List.of(ids, starts, awaitDown(r), logOf(6).subList(3, 6));
        });
        assertEquals(List.of(List.of("a", "b", "c"), List.of("start a", "start b", "start c"),
                new Outcome.Killed("shutdown"), List.of("stop c", "stop b", "stop a")), value(o));
    }

    @Test
    void aChildThatIgnoresShutdownIsKilledAfterItsTimeout() throws Exception {
        Outcome o = start().run(() -> {
            Actor.trapExits(true);
            Pid sup = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                    .child(ChildSpec.worker("stubborn", () -> {
                        Actor.trapExits(true);
                        for (;;) {
                            Actor.receive(); // ignores the shutdown request
                        }
                    }).withShutdown(Duration.ofMillis(100)))
                    .build().spawnLink();
            Pid child = await(sup, SupervisorTest::running).get(0);
            MonitorRef r = Actor.monitor(child);
            Actor.exit(sup, "shutdown");
            return awaitDown(r);
        });
        assertEquals(new Outcome.Killed("killed"), value(o));
    }

    @Test
    void aBackoffKeepsTheChildStoppedBeforeItsRestart() throws Exception {
        Outcome o = start().run(() -> {
            Pid sup = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                    .child(ChildSpec.worker("a", child("a")))
                    .backoff(Duration.ofSeconds(2), Duration.ofSeconds(2), 0.0)
                    .build().spawn();
            Pid first = await(sup, SupervisorTest::running).get(0);
            Actor.send(first, "fail");
            List<Pid> waiting = await(sup, p -> !first.equals(p.get(0)));
            List<Pid> restarted = await(sup, SupervisorTest::running);
            Actor.exit(sup, "kill");
            return List.of(waiting.get(0) == null, !restarted.get(0).equals(first));
        });
        assertEquals(List.of(true, true), value(o));
    }

    @Test
    void aNestedSupervisorThatGivesUpIsRestartedByItsParent() throws Exception {
        Outcome o = start().run(() -> {
            Supervisor inner = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                    .child(ChildSpec.worker("w", child("w")))
                    .intensity(0, Duration.ofSeconds(5))
                    .build();
            Pid outer = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                    .child(ChildSpec.supervisor("inner", inner))
                    .build().spawn();
            Pid innerPid = await(outer, SupervisorTest::running).get(0);
            Pid worker = await(innerPid, SupervisorTest::running).get(0);
            logOf(1);
            Actor.send(worker, "fail"); // the inner one may not restart: it gives up
            Pid innerAgain = await(outer, p -> running(p) && !p.get(0).equals(innerPid)).get(0);
            Pid workerAgain = await(innerAgain, SupervisorTest::running).get(0);
            Actor.exit(outer, "kill");
            return List.of(!workerAgain.equals(worker), logOf(2));
        });
        assertEquals(List.of(true, List.of("start w", "start w")), value(o));
    }

    @Test
    void aSimpleOneForOneSupervisorHasExactlyOneSpec() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Supervisor.builder(Supervisor.Strategy.SIMPLE_ONE_FOR_ONE).build());
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
    }
}
