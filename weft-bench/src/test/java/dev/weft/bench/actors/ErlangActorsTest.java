package dev.weft.bench.actors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ErlangActorsTest {

    private static void assumeErlang() {
        assumeTrue(ErlangActors.onPath(System.getenv().getOrDefault("PATH", ""), "erl").isPresent(),
                "erl is not installed (Debian package erlang-base)");
    }

    @Test
    void missingErlNamesTheDebianPackageThatHasIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ErlangActors(2, "/nonexistent-weft-bench-dir"));

        assertTrue(e.getMessage().contains("erl not found") && e.getMessage().contains("erlang-base"), e.getMessage());
    }

    @Test
    void runsOnlyPingPongAndThreadRing() {
        assumeErlang();
        try (ErlangActors erlang = new ErlangActors(2)) {
            for (ActorCase c : ActorCase.values()) {
                assertEquals(c == ActorCase.PING_PONG || c == ActorCase.THREAD_RING, erlang.unsupported(c).isEmpty(),
                        c.id());
            }
            assertThrows(UnsupportedOperationException.class, () -> erlang.counting(10));
        }
    }

    @Test
    void pingPongAndThreadRingReturnTheResultsTheSuiteExpects() throws Exception {
        assumeErlang();
        try (ErlangActors erlang = new ErlangActors(2)) {
            Timed pingPong = erlang.pingPong(100);
            Timed ring = erlang.threadRing(5, 23);

            assertEquals(200, pingPong.value());
            assertEquals(23 + 23 % 5, ring.value());
            assertTrue(pingPong.nanos() > 0 && ring.nanos() > 0);
        }
    }

    @Test
    void abandonedMeasurementFailsAndTheNextStartsAFreshErl() throws Exception {
        assumeErlang();
        try (ErlangActors erlang = new ErlangActors(2)) {
            erlang.pingPong(10); // erl is up
            CompletableFuture<Timed> endless = CompletableFuture.supplyAsync(() -> {
                try {
                    return erlang.threadRing(5, Integer.MAX_VALUE);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);

            erlang.abandon();

            ExecutionException e = assertThrows(ExecutionException.class, () -> endless.get(20, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause().getCause());
            assertTrue(e.getCause().getCause().getMessage().contains("erl ended without answering"), e.toString());
            assertEquals(20, erlang.pingPong(10).value());
        }
    }
}
