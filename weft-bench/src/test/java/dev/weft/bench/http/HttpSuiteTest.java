package dev.weft.bench.http;

import dev.weft.bench.ChildJvm;
import dev.weft.bench.Programs;
import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite's bookkeeping on small runs with test servers ({@link JdkHttpPeer} in processes of
 * their own): its shape, its skipped reasons, a server that fails under load, and no process or
 * file left behind.
 */
class HttpSuiteTest {

    private static final HttpPlan TINY = new HttpPlan(Duration.ZERO, Duration.ofMillis(250), 1, Duration.ofSeconds(60), 1);

    /** A {@link JdkHttpPeer} in a JVM of its own. */
    private record JdkTarget(String impl, JdkHttpPeer.Mode mode) implements HttpTarget {
        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public ChildServer start(int workers, BenchFiles files, List<String> prefix, Path scratch) throws IOException {
            return ChildServer.announcing(impl, ChildJvm.command(prefix, List.of(), JdkHttpPeer.class.getName(),
                    List.of(mode.name(), files.root().toString())));
        }
    }

    /** A target that cannot run here. */
    private record Missing(String impl) implements HttpTarget {
        @Override
        public Optional<String> unavailableReason() {
            return Optional.of("frob is not installed (Debian: apt-get install -y frob)");
        }

        @Override
        public ChildServer start(int workers, BenchFiles files, List<String> prefix, Path scratch) {
            throw new AssertionError("not to be started");
        }
    }

    /** A target whose process exits at once. */
    private record Broken(String impl) implements HttpTarget {
        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public ChildServer start(int workers, BenchFiles files, List<String> prefix, Path scratch) throws IOException {
            return ChildServer.announcing(impl, List.of("sh", "-c", "echo 'Unknown options: --io'; exit 2"));
        }
    }

    private static Optional<Result> find(SuiteReport r, String c, String impl, String metric) {
        return r.results().stream().filter(x -> x.caseName().equals(c) && x.impl().equals(impl)
                && metric.equals(x.metric())).findFirst();
    }

    private static Optional<Result> skipped(SuiteReport r, String c, String impl) {
        return r.results().stream().filter(x -> x.caseName().equals(c) && x.impl().equals(impl) && x.isSkipped())
                .findFirst();
    }

    @Test
    void everyCaseIsMeasuredOrSkippedWithItsReason() {
        Assumptions.assumeTrue(Programs.onPath(System.getenv("PATH"), "wrk").isPresent(),
                "wrk is not installed (Debian: apt-get install -y wrk)");
        List<HttpTarget> targets = List.of(new JdkTarget("weft", JdkHttpPeer.Mode.RIGHT), new Missing("frob"),
                new Broken("broken"), new JdkTarget("flaky", JdkHttpPeer.Mode.ERRORS_AFTER_CHECK),
                new JdkTarget("liar", JdkHttpPeer.Mode.WRONG_JSON));
        StringWriter table = new StringWriter();
        StringWriter progress = new StringWriter();
        List<ProcessHandle> before = ProcessHandle.current().descendants().toList();

        SuiteReport report = new HttpSuite(p -> targets, p -> Optional.empty(), TINY, TINY)
                .run(true, new PrintWriter(table), new PrintWriter(progress));

        assertEquals("http", report.suite());
        for (HttpCase c : HttpCase.values()) {
            for (var m : c.metrics()) {
                Result weft = find(report, c.id(), "weft", m.name()).orElseThrow(() -> new AssertionError(
                        c.id() + " " + m.name() + " not measured: " + progress));
                assertEquals(1, weft.runs());
                assertTrue(weft.value() > 0, weft.toString());
                assertEquals(m.unit(), weft.unit());
            }
            assertEquals(c.hasLatency(), find(report, c.id(), "weft", HttpCase.P99).isPresent(), c.id());
            assertTrue(skipped(report, c.id(), "frob").orElseThrow().skipped().contains("apt-get install -y frob"));
            String broken = skipped(report, c.id(), "broken").orElseThrow().skipped();
            assertTrue(broken.contains("exit code 2") && broken.contains("Unknown options: --io"), broken);
            String flaky = skipped(report, c.id(), "flaky").orElseThrow().skipped();
            assertTrue(flaky.contains("responses with status >= 400"), flaky);
            String liar = skipped(report, c.id(), "liar").orElseThrow().skipped();
            assertTrue(liar.contains("answers wrong: GET /json answered 200"), liar);
        }
        String text = table.toString();
        assertTrue(text.contains("weft bench http --quick: median of 1 measured round"), text);
        assertTrue(text.contains("targets (from the issue; reported, not tuned for):"), text);
        assertTrue(text.contains("plaintext-pipelined = GET /plaintext over 100 connections, 16 requests per write"), text);
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(p -> !before.contains(p)).toList();
        assertEquals(List.of(), left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
    }

    @Test
    void withoutWrkEveryImplementationIsSkippedNamingItsPackage() {
        StringWriter table = new StringWriter();
        List<HttpTarget> targets = List.of(new Broken("weft"), new Missing("frob"));

        SuiteReport report = new HttpSuite(p -> targets,
                p -> Optional.of("wrk is not installed (Debian: apt-get install -y wrk)"), TINY, TINY)
                .run(true, new PrintWriter(table), new PrintWriter(new StringWriter()));

        assertEquals(HttpCase.values().length * 2, report.results().size());
        for (Result r : report.results()) {
            assertTrue(r.isSkipped(), r.toString());
            assertTrue(r.skipped().contains("no load generator: wrk is not installed (Debian: apt-get install -y wrk)"),
                    r.skipped());
        }
        assertFalse(table.toString().isEmpty());
    }

    @Test
    void implementationsRotateThroughEveryPositionOverAsManyRounds() {
        List<String> impls = List.of("weft", "nginx", "netty-uring", "netty-epoll", "helidon");
        for (int position = 0; position < impls.size(); position++) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int round = 0; round < impls.size(); round++) {
                seen.add(HttpSuite.order(impls, round, 2).get(position));
            }
            assertEquals(impls.size(), seen.size(), "position " + position);
        }
    }
}
