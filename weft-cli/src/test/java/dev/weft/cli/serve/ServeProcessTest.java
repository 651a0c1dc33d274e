package dev.weft.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.bench.Programs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft serve} as a process of its own, on one server (two workers, the default backend)
 * for the whole class: the start-up line, the TechEmpower answers, {@code /stats},
 * {@code /metrics} (checked with {@code promtool}, from Debian's {@code prometheus} package; the
 * test skips naming it when it is missing) and the site's files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static ServeProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServeProcess.serve(dir, "--port", "0", "--workers", "2");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theStartupLineIsOneLineWithTheUrlTheBackendAndTheWorkers() {
        Matcher line = server.startup();

        assertEquals(1, server.stdout().lines().count(), server.stdout());
        assertTrue(server.port() > 0);
        assertEquals("2", line.group(4));
        assertEquals("http://127.0.0.1:" + server.port() + "/", line.group(1));
    }

    /** The head of a TechEmpower answer: exactly Server, Date (IMF-fixdate, now), Content-Type, Content-Length. */
    private static void assertTechEmpowerHead(HttpExchange r, String contentType, int length) {
        assertEquals("HTTP/1.1 200 OK", r.statusLine());
        assertEquals(List.of("Server", "Date", "Content-Type", "Content-Length", "Connection"), r.fieldNames(),
                r.fields().toString());
        assertEquals("weft", r.field("Server").orElseThrow());
        assertEquals(contentType, r.field("Content-Type").orElseThrow());
        assertEquals(Integer.toString(length), r.field("Content-Length").orElseThrow());
        String date = r.field("Date").orElseThrow();
        assertTrue(date.matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), date);
        ZonedDateTime sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertTrue(Duration.between(sent, ZonedDateTime.now()).abs().toHours() < 1,
                "the Date is the server's live clock, not a fixed one: " + date);
    }

    @Test
    void plaintextIsHelloWorldAsTextPlain() throws Exception {
        HttpExchange r = HttpExchange.get(server.port(), "/plaintext");

        assertTechEmpowerHead(r, "text/plain", 13);
        assertEquals("Hello, World!", r.text());
    }

    @Test
    void jsonIsTheMessageObjectAsApplicationJson() throws Exception {
        HttpExchange r = HttpExchange.get(server.port(), "/json");

        assertTechEmpowerHead(r, "application/json", 27);
        assertEquals("{\"message\":\"Hello, World!\"}", r.text());
        assertEquals("Hello, World!", JSON.readTree(r.body()).get("message").asText());
    }

    @Test
    void statsHasEveryNamedFieldAndCountsResponsesByStatus() throws Exception {
        HttpExchange.get(server.port(), "/plaintext");
        HttpExchange.get(server.port(), "/no-such-page");

        HttpExchange r = HttpExchange.get(server.port(), "/stats");
        assertEquals(200, r.status());
        assertEquals("application/json", r.field("Content-Type").orElseThrow());
        JsonNode s = JSON.readTree(r.body());
        for (String field : List.of("weft", "uptime_seconds", "backend", "workers", "run_queues", "tasks", "actors",
                "parked", "sleeping", "connections", "requests", "per_worker")) {
            assertTrue(s.has(field), field + " in " + s);
        }
        assertEquals(server.startup().group(3), s.get("backend").asText());
        assertEquals(2, s.get("workers").asInt());
        assertEquals(2, s.get("run_queues").size());
        for (String field : List.of("live", "spawned", "completed", "failed")) {
            assertTrue(s.get("tasks").get(field).isIntegralNumber(), "tasks." + field + " in " + s);
        }
        assertTrue(s.get("tasks").get("live").asLong() >= 2, "the acceptor and this connection's task: " + s);
        assertTrue(s.get("connections").get("open").asLong() >= 1, "this request's connection: " + s);
        assertTrue(s.get("requests").get("total").asLong() >= 3, s.toString());
        assertTrue(s.get("requests").get("by_status").get("200").asLong() >= 1, s.toString());
        assertTrue(s.get("requests").get("by_status").get("404").asLong() >= 1, s.toString());
        for (String field : List.of("live", "restarts", "largest_mailbox")) {
            assertTrue(s.get("actors").has(field), "actors." + field + " in " + s);
        }
        assertTrue(s.get("parked").has("actors_on_io") && s.get("parked").has("tasks_in_blocking_calls"), s.toString());
        assertTrue(s.get("sleeping").has("actors") && s.get("sleeping").has("timers_pending"), s.toString());
    }

    @Test
    void metricsPassPromtoolCheckMetrics() throws Exception {
        Optional<Path> promtool = Programs.onPath(System.getenv("PATH"), "promtool");
        HttpExchange.get(server.port(), "/plaintext");
        HttpExchange r = HttpExchange.get(server.port(), "/metrics");

        assertEquals(200, r.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.field("Content-Type").orElseThrow());
        assertTrue(r.text().contains("\nweft_http_responses_total{code=\"200\"} "), r.text());
        Assumptions.assumeTrue(promtool.isPresent(), "promtool is not on the PATH: install the Debian package"
                + " prometheus (./test does so with apt-get when it runs as root) to check /metrics with it");
        Path metrics = Files.write(dir.resolve("metrics.txt"), r.body());
        Path log = dir.resolve("promtool.log");
        Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                .redirectInput(metrics.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, check.exitValue(), () -> "promtool check metrics:\n" + read(log) + "\non:\n" + r.text());
        assertEquals("", read(log).strip(), "promtool's lint has nothing to say");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void theSitePageItsScriptAndTheChartingLibraryAreServed() throws Exception {
        HttpExchange page = HttpExchange.get(server.port(), "/");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.field("Content-Type").orElseThrow());
        assertTrue(page.text().contains("weft is a Java 25 runtime"), page.text());

        for (String path : List.of("/app.js", "/assets/uplot/uPlot.iife.min.js")) {
            HttpExchange js = HttpExchange.get(server.port(), path);
            assertEquals(200, js.status(), path);
            assertEquals("text/javascript; charset=utf-8", js.field("Content-Type").orElseThrow(), path);
            assertTrue(page.text().contains("src=\"" + path + "\""), "the page loads " + path);
        }
        for (String path : List.of("/style.css", "/assets/uplot/uPlot.min.css")) {
            HttpExchange css = HttpExchange.get(server.port(), path);
            assertEquals(200, css.status(), path);
            assertEquals("text/css; charset=utf-8", css.field("Content-Type").orElseThrow(), path);
            assertTrue(page.text().contains("href=\"" + path + "\""), "the page loads " + path);
        }
        assertTrue(HttpExchange.get(server.port(), "/assets/uplot/uPlot.iife.min.js").text().contains("uPlot"));
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        assertEquals(404, HttpExchange.get(server.port(), "/no/such/thing").status());
    }

    @Test
    void headOfPlaintextHasTheHeadWithoutTheBody() throws Exception {
        try (var s = HttpExchange.connect(server.port())) {
            HttpExchange.send(s, "HEAD /plaintext HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n") && text.contains("\r\nContent-Length: 13\r\n"), text);
            assertTrue(text.endsWith("\r\n\r\n"), "no body follows the head: " + text);
        }
    }
}
