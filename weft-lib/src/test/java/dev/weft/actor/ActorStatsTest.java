package dev.weft.actor;

import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ActorStats}: each figure seen moving with what the actors do. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActorStatsTest extends ActorTesting {

    /** Takes stats until {@code until} holds (the actors get there concurrently). */
    static ActorStats await(Predicate<ActorStats> until) {
        for (int i = 0; i < 20_000; i++) {
            ActorStats s = Actor.stats();
            if (until.test(s)) {
                return s;
            }
            Actor.sleep(Duration.ofMillis(1));
        }
        throw new AssertionError("the stats never got there: " + Actor.stats());
    }

    @Test
    void liveCountsActorsUntilTheyEnd() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef a = Actor.spawnMonitor(() -> Actor.receive());
            MonitorRef b = Actor.spawnMonitor((Object m) -> Actor.stop());
            long during = Actor.stats().live();
            Actor.send(a.pid(), "end");
            Actor.send(b.pid(), "end");
            awaitDown(a);
            awaitDown(b);
            return List.of(during, Actor.stats().live());
        });
        assertEquals(List.of(3L, 1L), value(o)); // the root counts
        assertEquals(0L, rt.actorStats().live(), "after the run");
    }

    @Test
    void anActorInSleepCountsAsSleeping() throws Exception {
        Outcome o = start().run(() -> {
            Pid sleeper = Actor.spawn(() -> Actor.sleep(LONG));
            ActorStats s = await(x -> x.sleeping() == 1);
            Actor.exit(sleeper, "kill");
            return s.sleeping();
        });
        assertEquals(1L, value(o));
    }

    @Test
    void anActorInTaskBlockingCountsAsParkedOnIo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.spawnMonitor(() -> Task.blocking(() -> {
                release.await();
                return "done";
            }));
            long parked = await(x -> x.parkedOnIo() == 1).parkedOnIo();
            release.countDown();
            Outcome end = awaitDown(r);
            return List.of(parked, end, Actor.stats().parkedOnIo());
        });
        assertEquals(List.of(1L, new Outcome.Exit("done"), 0L), value(o));
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void anActorWaitingInASocketReadCountsAsParkedOnIo(IoMode mode) throws Exception {
        rt = Weft.start(Config.builder().workers(2).io(mode).build());
        Outcome o = rt.run(() -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 1);
                 TcpStream client = TcpStream.connect(l.localAddress(), Duration.ofSeconds(5));
                 TcpStream server = l.accept()) {
                MonitorRef r = Actor.spawnMonitor(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(8);
                    return server.read(b);
                });
                long parked = await(x -> x.parkedOnIo() == 1).parkedOnIo();
                client.write(ByteBuffer.wrap(new byte[] {42}));
                Outcome end = awaitDown(r);
                return List.of(parked, end, Actor.stats().parkedOnIo());
            }
        });
        assertEquals(List.of(1L, new Outcome.Exit(1), 0L), value(o));
    }

    @Test
    void anActorThatSleepsOrWaitsForAMessageIsNotParkedOnIo() throws Exception {
        Outcome o = start().run(() -> {
            MonitorRef sleeper = Actor.spawnMonitor(() -> Actor.sleep(LONG));
            MonitorRef receiver = Actor.spawnMonitor(() -> Actor.receive());
            ActorStats s = await(x -> x.sleeping() == 1);
            Actor.exit(sleeper.pid(), "kill");
            Actor.exit(receiver.pid(), "kill");
            awaitDown(sleeper);
            awaitDown(receiver);
            return s.parkedOnIo();
        });
        assertEquals(0L, value(o));
    }

    @Test
    void theLargestMailboxIsFoundWithItsActor() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.spawnMonitor(BoundedMailboxTest.gated(gate));
            for (int i = 0; i < 500; i++) {
                Actor.send(r.pid(), i);
            }
            ActorStats s = Actor.stats();
            gate.countDown();
            awaitDown(r);
            return List.of(s.largestMailbox(), s.largestMailboxPid().equals(r.pid()));
        });
        assertEquals(List.of(500, true), value(o));
    }

    @Test
    void supervisorRestartsAreCounted() throws Exception {
        Outcome o = start().run(() -> {
            long before = Actor.stats().restarts();
            Pid sup = Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                    .child(ChildSpec.worker("w", () -> {
                        if ("fail".equals(Actor.receive())) {
                            throw new IllegalStateException("asked to");
                        }
                    }))
                    .build().spawn();
            Pid first = SupervisorTest.await(sup, SupervisorTest::running).get(0);
            Actor.send(first, "fail");
            long after = await(x -> x.restarts() > before).restarts();
            Actor.exit(sup, "kill");
            return after - before;
        });
        assertEquals(1L, value(o));
    }

    @Test
    void eachWorkerShowsTheActorOnItsCpuAndItsRunQueue() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Outcome o = start(2).run(() -> {
            MonitorRef spinner = Actor.spawnMonitor(() -> {
                while (!stop.get()) {
                    Thread.onSpinWait(); // on its worker's CPU until told (no Task.check: it stays)
                }
            });
            ActorStats s = await(x -> x.workers().stream().anyMatch(w -> spinner.pid().equals(w.onCpu())));
            stop.set(true);
            awaitDown(spinner);
            return List.of(s.workers().size(), s.workers().stream().allMatch(w -> w.runQueueLength() >= 0));
        });
        assertEquals(List.of(2, true), value(o));
    }
}
