package dev.weft.actor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The mailbox's park protocol ({@link Mailbox}'s header) raced 10<sup>7</sup> times by real
 * actors: two process actors on two workers hand a counter back and forth, and each hand-off is
 * a send racing the receiver's turn to park in {@code receive} (it has just sent its own message
 * and waits for the answer). A lost wake-up leaves both parked with a message queued, for good:
 * the watch fails the test once the count stands still for {@link MailboxStressTest}'s stall
 * time. ({@link MailboxStressTest} races the same protocol between platform threads, whose
 * parks cost far more, so it stops at a time cap.)
 */
class ProcessActorRaceStressTest extends ActorTesting {

    private static final long HAND_OFFS = 10_000_000L;

    @Test
    void tenMillionHandOffsBetweenTwoProcessActorsLoseNoWakeUp() throws Exception {
        start(2);
        AtomicLong handOffs = new AtomicLong();
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                result.set(value(rt.run(() -> {
                    Pid me = Actor.self();
                    Pid echo = Actor.spawn(() -> {
                        for (;;) {
                            Object m = Actor.receive();
                            if (m instanceof Long n && n < 0) {
                                return;
                            }
                            handOffs.incrementAndGet();
                            Actor.send(me, m);
                        }
                    });
                    for (long i = 0; i < HAND_OFFS / 2; i++) {
                        Actor.send(echo, i);
                        Object back = Actor.receive();
                        if (!Long.valueOf(i).equals(back)) {
                            throw new AssertionError("sent " + i + ", got back " + back);
                        }
                        handOffs.incrementAndGet();
                    }
                    Actor.send(echo, -1L);
                    return handOffs.get();
                })));
            } catch (Throwable t) {
                error.set(t);
            }
        }, "race-root");
        runner.setDaemon(true);
        runner.start();
        MailboxStressTest.watch(handOffs, new AtomicBoolean(), runner);
        assertNull(error.get(), () -> "the run failed: " + error.get());
        assertEquals(HAND_OFFS, result.get(), "every hand-off happened once");
    }
}
