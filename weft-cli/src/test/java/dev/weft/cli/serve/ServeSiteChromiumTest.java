package dev.weft.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.bench.Programs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * weft's own site in a real browser: headless Chromium (Debian's {@code chromium}; the test skips
 * naming it when it is missing) loads the page from a {@code weft serve} process, the test waits
 * until the charts have taken several {@code /stats} readings, fails on any console error,
 * uncaught exception or failed load, and keeps a screenshot as {@code target/serve-site.png}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeSiteChromiumTest {

    /** Readings of /stats the page must have charted. */
    static final int UPDATES = 4;
    static final Path SCREENSHOT = Path.of("target", "serve-site.png");

    @TempDir
    Path dir;

    /** Errors among DevTools events: console errors and assertions, uncaught exceptions, error log entries. */
    static List<String> errors(List<JsonNode> events) {
        List<String> errors = new ArrayList<>();
        for (JsonNode e : events) {
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            if (method.equals("Runtime.exceptionThrown")) {
                errors.add("uncaught: " + p.path("exceptionDetails"));
            } else if (method.equals("Runtime.consoleAPICalled")
                    && Set.of("error", "assert").contains(p.path("type").asText())) {
                errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
            } else if (method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
                errors.add("log: " + p.path("entry"));
            }
        }
        return errors;
    }

    @Test
    void thePageChartsTheLiveRuntimeWithoutAConsoleError() throws Exception {
        Optional<Path> chromium = Programs.onPath(System.getenv("PATH"), "chromium");
        Assumptions.assumeTrue(chromium.isPresent(), "chromium is not on the PATH: install the Debian package"
                + " chromium (./test does so with apt-get when it runs as root) to load weft serve's site in it");

        try (ServeProcess server = ServeProcess.serve(dir, "--port", "0");
             HeadlessChromium browser = HeadlessChromium.start(chromium.get(), Files.createDirectory(dir.resolve("profile")),
                     1200, 1100)) {
            browser.call("Runtime.enable", Map.of());
            browser.call("Log.enable", Map.of());
            browser.call("Page.enable", Map.of());
            browser.call("Page.navigate", Map.of("url", server.url().toString()));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int updates = 0;
            while (updates < UPDATES) {
                assertEquals(List.of(), errors(browser.events()), "no errors while the page runs");
                assertTrue(System.nanoTime() < deadline, () -> "the page charted " + UPDATES + " readings of /stats"
                        + " within 60 s; it has " + errorsOrNothing(browser));
                Thread.sleep(100);
                JsonNode v = browser.evaluate("document.body ? Number(document.body.dataset.updates || 0) : 0");
                updates = v == null ? 0 : v.asInt();
            }

            assertEquals(4, browser.evaluate("document.querySelectorAll('.uplot canvas').length").asInt(),
                    "four uPlot charts are drawn");
            String backend = browser.evaluate("document.getElementById('fact-backend').textContent").asText();
            assertEquals(server.startup().group(3), backend, "the page shows the server's backend");
            assertTrue(browser.evaluate("document.body.innerText").asText().contains("weft is a Java 25 runtime"),
                    "the page says what weft is");

            JsonNode shot = browser.call("Page.captureScreenshot", Map.of("format", "png"));
            Files.createDirectories(SCREENSHOT.getParent());
            Files.write(SCREENSHOT, Base64.getDecoder().decode(shot.get("data").asText()));
            assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot of a drawn page: " + SCREENSHOT.toAbsolutePath());

            assertEquals(List.of(), errors(browser.events()), "no errors while the page ran");
        }
    }

    @Test
    void consoleErrorsUncaughtExceptionsAndErrorLogEntriesCountAsErrorsButInfoDoesNot() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<JsonNode> events = List.of(
                json.readTree("{\"method\":\"Runtime.consoleAPICalled\",\"params\":{\"type\":\"log\",\"args\":[]}}"),
                json.readTree("{\"method\":\"Runtime.consoleAPICalled\",\"params\":{\"type\":\"error\",\"args\":[1]}}"),
                json.readTree("{\"method\":\"Runtime.exceptionThrown\",\"params\":{\"exceptionDetails\":{\"text\":\"x\"}}}"),
                json.readTree("{\"method\":\"Log.entryAdded\",\"params\":{\"entry\":{\"level\":\"error\",\"text\":\"404\"}}}"),
                json.readTree("{\"method\":\"Log.entryAdded\",\"params\":{\"entry\":{\"level\":\"info\"}}}"),
                json.readTree("{\"method\":\"Page.loadEventFired\",\"params\":{}}"));

        List<String> errors = errors(events);

        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("console.error: ") && errors.get(1).startsWith("uncaught: ")
                && errors.get(2).startsWith("log: "), errors.toString());
    }

    private static String errorsOrNothing(HeadlessChromium browser) {
        List<String> e = errors(browser.events());
        return e.isEmpty() ? "no errors so far; chromium said:\n" + browser.log() : e.toString();
    }
}
