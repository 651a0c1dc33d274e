package dev.weft.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over its DevTools protocol (JSON over a WebSocket, with the JDK's
 * client): one page, its commands answered by id, its events kept in arrival order. Chromium runs
 * with a user-data directory of the caller's, without the sandbox (tests run as root), and
 * listens for DevTools on a loopback port it picks. {@link #close()} ends the browser and every
 * process it started.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();

    private HeadlessChromium(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code chromium} with a blank page and connects to that page's DevTools.
     *
     * @param userData an empty directory for the browser's profile
     */
    static HeadlessChromium start(Path chromium, Path userData, int width, int height) throws Exception {
        Path log = userData.resolveSibling(userData.getFileName() + ".log");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--user-data-dir=" + userData, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HeadlessChromium browser = new HeadlessChromium(p, log);
        try {
            browser.connect(userData.resolve("DevToolsActivePort"));
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    /** Waits for the port Chromium writes into its profile, then opens the blank page's WebSocket. */
    private void connect(Path activePort) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> lines = List.of();
        while (lines.size() < 2 || lines.get(0).isBlank()) {
            if (!process.isAlive()) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ":\n" + log());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("chromium wrote no DevToolsActivePort within 30 s:\n" + log());
            }
            Thread.sleep(20);
            lines = Files.exists(activePort) ? Files.readAllLines(activePort) : List.of();
        }
        URI list = URI.create("http://127.0.0.1:" + lines.get(0).strip() + "/json/list");
        URI page = null;
        while (page == null) {
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(list).timeout(COMMAND_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    page = URI.create(t.get("webSocketDebuggerUrl").asText());
                }
            }
            if (page == null) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("chromium listed no page target within 30 s: " + targets);
                }
                Thread.sleep(20);
            }
        }
        socket = http.newWebSocketBuilder().connectTimeout(COMMAND_TIMEOUT).buildAsync(page, new Listener())
                .get(30, TimeUnit.SECONDS);
    }

    /** Sends a DevTools command and waits (at most 30 s) for its result; fails on a protocol error. */
    JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
        JsonNode reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new AssertionError("DevTools " + method + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    /** The value of a JavaScript expression in the page. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("evaluating " + expression + " threw: " + r.get("exceptionDetails"));
        }
        return r.get("result").get("value");
    }

    /** The events received so far, in order. */
    List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** What Chromium printed so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Collects whole messages; answers go to their caller, events to the list. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(text.toString());
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                        if (f != null) {
                            f.complete(m);
                        }
                    } else {
                        synchronized (events) {
                            events.add(m);
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    /** Ends the browser and every process it started, and waits for them. */
    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        http.close();
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("chromium process " + h.pid() + " did not end", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
