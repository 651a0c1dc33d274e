package dev.weft.cli;

import dev.weft.bench.Programs;
import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.http.HttpCase;
import dev.weft.bench.http.HttpPlan;
import dev.weft.bench.http.HttpSuite;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The http bench's {@code weft} implementation end to end, where the command is on the class path:
 * the suite starts the real {@code weft serve} in a JVM of its own, checks its answers, loads it
 * with wrk (Debian's {@code wrk}; the test skips naming it when it is missing) in every case, and
 * stops it with SIGTERM, leaving no process.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpBenchWeftTest {

    /** Warmed up, as the suite warms up every server: a cold JVM may answer nothing in the first 0.3 s under load. */
    private static final HttpPlan TINY = new HttpPlan(Duration.ofMillis(500), Duration.ofMillis(400), 1,
            Duration.ofSeconds(60), 1);

    @Test
    void theSuiteMeasuresWeftServeInEveryCaseAndStopsIt() {
        Assumptions.assumeTrue(Programs.onPath(System.getenv("PATH"), "wrk").isPresent(),
                "wrk is not installed (Debian: apt-get install -y wrk)");
        StringWriter table = new StringWriter();
        StringWriter progress = new StringWriter();
        List<ProcessHandle> before = ProcessHandle.current().descendants().toList();

        SuiteReport report = new HttpSuite(List.of("weft"), TINY, TINY)
                .run(true, new PrintWriter(table), new PrintWriter(progress));

        for (Result r : report.results()) {
            assertTrue(!r.isSkipped(), r.caseName() + " skipped: " + r.skipped() + "\n" + progress);
            assertEquals("weft", r.impl());
        }
        for (HttpCase c : HttpCase.values()) {
            assertEquals(c.metrics().size(), report.results().stream().filter(r -> r.caseName().equals(c.id())).count(),
                    c.id());
        }
        assertTrue(table.toString().contains("weft: announced 'weft serve: http://127.0.0.1:"), table.toString());
        List<String> left = ProcessHandle.current().descendants().filter(p -> !before.contains(p))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
        assertEquals(List.of(), left);
    }

    @Test
    void anImplementationTheSuiteDoesNotHaveIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HttpSuite(List.of("weft", "tomcat"), TINY, TINY));

        assertTrue(e.getMessage().contains("'tomcat'") && e.getMessage().contains("netty-uring"), e.getMessage());
    }
}
