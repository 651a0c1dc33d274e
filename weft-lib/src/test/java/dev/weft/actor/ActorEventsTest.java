package dev.weft.actor;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The actors' JFR events, recorded with a {@link RecordingStream}. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ActorEventsTest extends ActorTesting {

    private static final List<String> NAMES = List.of("dev.weft.ActorSpawn", "dev.weft.ActorExit",
            "dev.weft.ActorFailure", "dev.weft.ActorRestart", "dev.weft.SupervisorGiveUp", "dev.weft.MailboxDepth");

    private final Queue<RecordedEvent> events = new ConcurrentLinkedQueue<>();

    /** Waits until an event named {@code name} that {@code match} accepts has been streamed. */
    private RecordedEvent await(String name, Predicate<RecordedEvent> match) throws InterruptedException {
        for (int i = 0; i < 30_000; i++) {
            for (RecordedEvent e : events) {
                if (e.getEventType().getName().equals(name) && match.test(e)) {
                    return e;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no " + name + " event came; got " + events.stream()
                .map(e -> e.getEventType().getName()).toList());
    }

    private RecordingStream record() {
        RecordingStream rs = new RecordingStream();
        for (String n : NAMES) {
            rs.enable(n);
        }
        rs.setMaxAge(Duration.ofMinutes(1));
        rs.onEvent(events::add);
        rs.startAsync();
        return rs;
    }

    @Test
    void spawnExitAndFailureAreRecorded() throws Exception {
        try (RecordingStream rs = record()) {
            Outcome o = start().run(() -> {
                MonitorRef r = Actor.spawnMonitor(() -> {
                    throw new IllegalStateException("recorded failure");
                });
                awaitDown(r);
                return r.pid().toString();
            });
            String pid = (String) value(o);
            assertEquals("process", await("dev.weft.ActorSpawn", e -> pid.equals(e.getString("pid"))).getString("kind"));
            RecordedEvent exit = await("dev.weft.ActorExit", e -> pid.equals(e.getString("pid")));
            assertFalse(exit.getBoolean("normal"));
            assertTrue(exit.getString("outcome").contains("recorded failure"), exit.getString("outcome"));
            RecordedEvent failure = await("dev.weft.ActorFailure", e -> pid.equals(e.getString("pid")));
            assertEquals(IllegalStateException.class.getName(), failure.getString("exceptionClass"));
            assertEquals("recorded failure", failure.getString("message"));
        }
    }

    @Test
    void restartsAndASupervisorGivingUpAreRecorded() throws Exception {
        try (RecordingStream rs = record()) {
            Outcome o = start().run(() -> {
                MonitorRef sup = Actor.spawnMonitor(Supervisor.builder(Supervisor.Strategy.ONE_FOR_ONE)
                        .child(ChildSpec.worker("crashy", () -> {
                            Actor.receive();
                            throw new IllegalStateException("crash");
                        }))
                        .build().body(null)); // 1 restart in 5 s
                Pid first = SupervisorTest.await(sup.pid(), SupervisorTest::running).get(0);
                Actor.send(first, "crash"); // restarted: 1 restart in 5 s is allowed
                Pid second = SupervisorTest.await(sup.pid(),
                        p -> SupervisorTest.running(p) && !p.get(0).equals(first)).get(0);
                Actor.send(second, "crash"); // the second restart within 5 s: it gives up
                awaitDown(sup);
                return sup.pid().toString();
            });
            String sup = (String) value(o);
            RecordedEvent restart = await("dev.weft.ActorRestart", e -> sup.equals(e.getString("supervisor")));
            assertEquals("crashy", restart.getString("childId"));
            RecordedEvent gaveUp = await("dev.weft.SupervisorGiveUp", e -> sup.equals(e.getString("supervisor")));
            assertEquals(1, gaveUp.getInt("maxRestarts"));
        }
    }

    @Test
    void aMailboxPassingTheDepthIsRecordedOnce() throws Exception {
        int depth = ActorEvents.MAILBOX_DEPTH;
        CountDownLatch gate = new CountDownLatch(1);
        try (RecordingStream rs = record()) {
            Outcome o = start().run(() -> {
                MonitorRef r = Actor.spawnMonitor(BoundedMailboxTest.gated(gate));
                for (int i = 0; i < depth + 10; i++) {
                    Actor.send(r.pid(), i);
                }
                gate.countDown();
                awaitDown(r);
                return r.pid().toString();
            });
            String pid = (String) value(o);
            RecordedEvent e = await("dev.weft.MailboxDepth", x -> pid.equals(x.getString("pid")));
            assertTrue(e.getInt("depth") >= depth, "depth " + e.getInt("depth"));
            assertEquals(depth, e.getInt("threshold"));
            assertEquals(1, events.stream().filter(x -> x.getEventType().getName().equals("dev.weft.MailboxDepth")
                    && pid.equals(x.getString("pid"))).count(), "recorded once while it stayed above");
        }
    }

    @Test
    void noEventIsMadeWithoutARecording() {
        assertFalse(ActorEvents.depthEnabled(), "no recording wants the depth event: its walk is skipped");
    }
}
