package dev.weft.actor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bounded mailboxes: the three overflow policies, the exact depth, and what is never refused. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BoundedMailboxTest extends ActorTesting {

    /**
     * A process actor that takes nothing until {@code gate} opens, then takes every message
     * queued and returns them.
     */
    static java.util.concurrent.Callable<List<Object>> gated(CountDownLatch gate) {
        return () -> {
            gate.await();
            List<Object> got = new ArrayList<>();
            for (Optional<Object> m; (m = Actor.receive(Duration.ZERO)).isPresent(); ) {
                got.add(m.get());
            }
            return got;
        };
    }

    @Test
    void anUnboundedMailboxTakesEverything() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.spawnMonitor(gated(gate));
            for (int i = 0; i < 10_000; i++) {
                assertTrue(Actor.send(r.pid(), i));
            }
            int depth = Actor.mailboxDepth(r.pid());
            gate.countDown();
            return List.of(depth, ((List<?>) value(awaitDown(r))).size());
        });
        assertEquals(List.of(10_000, 10_000), value(o));
    }

    @Test
    void failThrowsWhenTheMailboxIsFullAndQueuesNothing() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.builder().boundedMailbox(3, Overflow.FAIL).spawnMonitor(gated(gate));
            for (int i = 0; i < 3; i++) {
                assertTrue(Actor.send(r.pid(), i));
            }
            MailboxFullException e = assertThrows(MailboxFullException.class, () -> Actor.send(r.pid(), 3));
            int depth = Actor.mailboxDepth(r.pid());
            gate.countDown();
            return List.of(e.pid().equals(r.pid()), e.getMessage().contains("full (3 messages)"), depth,
                    value(awaitDown(r)));
        });
        assertEquals(List.of(true, true, 3, List.of(0, 1, 2)), value(o));
    }

    @Test
    void dropNewestRefusesTheNewMessageAndKeepsTheOlderOnes() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.builder().boundedMailbox(2, Overflow.DROP_NEWEST).spawnMonitor(gated(gate));
            List<Boolean> sent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sent.add(Actor.send(r.pid(), i));
            }
            gate.countDown();
            return List.of(sent, value(awaitDown(r)));
        });
        assertEquals(List.of(List.of(true, true, false, false), List.of(0, 1)), value(o));
    }

    @Test
    void waitLetsTheSenderWaitForRoomAndEveryMessageArrivesInOrder() throws Exception {
        int n = 5_000;
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.builder().boundedMailbox(4, Overflow.WAIT).sendTimeout(LONG).spawnMonitor(() -> {
                int deepest = 0;
                for (int i = 0; i < n; i++) {
                    deepest = Math.max(deepest, Actor.mailboxDepth(Actor.self()));
                    Object m = Actor.receive();
                    if (!Integer.valueOf(i).equals(m)) {
                        return "message " + i + " was " + m;
                    }
                }
                return deepest;
            });
            for (int i = 0; i < n; i++) {
                assertTrue(Actor.send(r.pid(), i));
            }
            return awaitDown(r);
        });
        Object deepest = value((Outcome) value(o));
        assertInstanceOf(Integer.class, deepest, () -> "" + deepest);
        assertTrue((Integer) deepest <= 4, "the depth never passed the capacity: " + deepest);
    }

    @Test
    void waitThrowsOnceTheSendTimeoutHasPassed() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.builder().boundedMailbox(1, Overflow.WAIT).sendTimeout(Duration.ofMillis(20))
                    .spawnMonitor(gated(gate));
            Actor.send(r.pid(), "first");
            MailboxFullException e = assertThrows(MailboxFullException.class, () -> Actor.send(r.pid(), "second"));
            gate.countDown();
            return List.of(e.getMessage().contains("stayed full"), value(awaitDown(r)));
        });
        assertEquals(List.of(true, List.of("first")), value(o));
    }

    @Test
    void aSenderWaitingForADeadActorGetsFalse() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger waiting = new AtomicInteger();
        Outcome o = start().run(() -> {
            Pid target = Actor.builder().boundedMailbox(1, Overflow.WAIT).sendTimeout(LONG).spawn(gated(gate));
            Actor.send(target, "fill");
            Pid me = Actor.self();
            Actor.spawn(() -> {
                waiting.incrementAndGet();
                Actor.send(me, Actor.send(target, "waits")); // waits for room until the target dies
            });
            Proc p = target.system().lookup(target);
            while (p.limitForTests().waiting() == 0) {
                Actor.sleep(Duration.ofMillis(1));
            }
            Actor.exit(target, "kill");
            return Actor.receive(LONG).orElseThrow();
        });
        assertEquals(false, value(o));
        assertEquals(1, waiting.get());
    }

    @Test
    void messagesOfTheRuntimeAreNeverRefused() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Outcome o = start().run(() -> {
            Pid root = Actor.self();
            MonitorRef r = Actor.builder().boundedMailbox(1, Overflow.FAIL).spawnMonitor(() -> {
                Pid w = Actor.spawn(() -> Actor.receive());
                MonitorRef watch = Actor.monitor(w);
                Actor.send(root, w);
                gate.await();
                Object first = Actor.receive();
                Down d = (Down) Actor.receive();
                return List.of(first, d.ref() == watch);
            });
            Pid w = (Pid) Actor.receive(LONG).orElseThrow();
            Actor.send(r.pid(), "fill");                    // full now
            Actor.send(w, "end");                           // its Down goes to the full mailbox
            while (Actor.mailboxDepth(r.pid()) < 2) {
                Actor.sleep(Duration.ofMillis(1));
            }
            gate.countDown();
            return value(awaitDown(r));
        });
        assertEquals(List.of("fill", true), value(o));
    }

    @Test
    void aTimerMessageIntoAFullMailboxIsDropped() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Outcome o = start().run(() -> {
            MonitorRef r = Actor.builder().boundedMailbox(1, Overflow.WAIT).spawnMonitor(gated(gate));
            Actor.send(r.pid(), "fill");
            TimerRef tick = Actor.sendAfter(r.pid(), "tick", Duration.ofMillis(1));
            while (!tick.ran()) {
                Actor.sleep(Duration.ofMillis(1));
            }
            gate.countDown();
            return value(awaitDown(r));
        });
        assertEquals(List.of("fill"), value(o));
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Actor.builder().boundedMailbox(0, Overflow.FAIL));
        assertTrue(e.getMessage().contains("capacity was 0"), e.getMessage());
    }
}
