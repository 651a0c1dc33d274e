package dev.weft.bench.http;

import dev.weft.bench.Programs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WrkScriptTest {

    @Test
    void oneRequestPerWriteLeavesWrkItsFixedRequest() {
        String lua = WrkScript.text(1);

        assertFalse(lua.contains("request = function"), lua);
        assertTrue(lua.contains("done = function(summary, latency, requests)"), lua);
        assertTrue(lua.contains("io.write(string.format(\"weft-wrk requests=%d duration_us=%d"), lua);
    }

    @Test
    void aPipelinedScriptReturnsDepthRequestsAtOnce() {
        String lua = WrkScript.text(16);

        assertTrue(lua.contains("batch = string.rep(wrk.format(), 16)"), lua);
        assertTrue(lua.contains("request = function()\n   return batch\nend"), lua);
    }

    @Test
    void aDepthBelowOneIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WrkScript.text(0));
        assertTrue(e.getMessage().contains("was 0"), e.getMessage());
    }

    /**
     * Real wrk with the pipelined script, stopped by SIGINT well before its whole-second duration:
     * every response wrk counts was sent by the server, and the server answered at most a batch
     * per connection more than wrk counted (those in flight when it stopped).
     */
    @Test
    void wrkStoppedBySigintCountsThePipelinedResponsesTheServerSent(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Programs.onPath(System.getenv("PATH"), "wrk").isPresent(),
                "wrk is not installed (Debian: apt-get install -y wrk)");
        try (JdkHttpPeer server = JdkHttpPeer.start(dir, JdkHttpPeer.Mode.RIGHT)) {
            long started = System.nanoTime();
            WrkOutput o = new Wrk(List.of(), dir).run(HttpCase.PLAINTEXT_PIPELINED, server.port(), Duration.ofMillis(300))
                    .requireClean();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertTrue(o.durationMicros() < 1_000_000, "stopped by SIGINT, not by -d: " + o);
            assertTrue(tookMillis < Wrk.CONTROL_TIMEOUT.toMillis(), tookMillis + " ms");
            long answered = server.requests();
            assertTrue(o.requests() <= answered, o.requests() + " counted, " + answered + " answered");
            assertTrue(answered - o.requests() <= (long) HttpCase.PLAINTEXT_PIPELINED.connections()
                    * HttpCase.PLAINTEXT_PIPELINED.depth(), o.requests() + " counted, " + answered + " answered");
        }
    }
}
