package dev.weft.http;

import dev.weft.net.NetTesting;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10^4 random and mutated requests over loopback against a running server: each connection sends
 * its bytes and half-closes, and what it gets back is either nothing (a clean close) or answers
 * that each start with a valid status line. The server's descriptors are counted before and after.
 */
class HttpLoopbackFuzzTest {

    private static final int REQUESTS = 10_000;
    private static final int CLIENTS = 4;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tenThousandFuzzedRequestsOverLoopbackLeakNoDescriptor() throws Exception {
        try (Weft rt = Weft.start()) {
            HttpServer server = HttpServer.builder(rt).bind("127.0.0.1", 0)
                    .headerTimeout(Duration.ofSeconds(5))
                    .get("/", r -> Response.text("root"))
                    .route("POST", "/echo", r -> Response.bytes(200, "application/octet-stream", r.body()))
                    .route("PUT", "/echo", r -> Response.bytes(200, "application/octet-stream", r.body()))
                    .get("/echo", r -> Response.text("echo"))
                    .prefix("/a/", r -> Response.text(r.queryParams().toString()))
                    .build().start();
            try {
                int port = server.port();
                fuzz(port, 100, 1); // warm-up: what the JVM opens once is in the baseline
                int before = NetTesting.stableFds().size();
                int answered = fuzz(port, REQUESTS / CLIENTS, 2);
                assertTrue(answered > REQUESTS / 2, "only " + answered + " of " + REQUESTS + " got an answer");
                int after = NetTesting.settledFdCount(before);
                assertEquals(before, after, "descriptors before and after 10^4 fuzzed connections:\n"
                        + NetTesting.fdListing());
                assertEquals(0, waitForNoConnections(server), "connections the server still holds");
            } finally {
                server.close();
            }
        }
    }

    private static int waitForNoConnections(HttpServer server) throws InterruptedException {
        for (int i = 0; i < 200 && server.openConnections() > 0; i++) {
            Thread.sleep(10);
        }
        return server.openConnections();
    }

    /** Runs the clients; how many exchanges got an answer. */
    private static int fuzz(int port, int perClient, long seed) throws Exception {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Random rnd = new Random(seed * 1000 + c);
            clients.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perClient && failures.isEmpty(); i++) {
                    byte[] request = HttpFuzz.next(rnd);
                    try {
                        byte[] answer = exchange(port, request);
                        check(request, answer);
                        if (answer.length > 0) {
                            answered.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(new AssertionError("request " + HexFormat.of().formatHex(request) + ": " + t, t));
                    }
                }
            }));
        }
        for (Thread t : clients) {
            t.join(100_000);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " failures, the first: " + failures.peek(), failures.peek());
        }
        return answered.get();
    }

    private static byte[] exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            try {
                s.getOutputStream().write(request);
                s.shutdownOutput();
            } catch (SocketException e) {
                // the server answered and closed before it read everything: read what it said
            }
            InputStream in = s.getInputStream();
            try {
                return in.readAllBytes();
            } catch (SocketException e) { // a reset after the answer: what arrived counts
                return new byte[0];
            }
        }
    }

    /** Nothing, or answers that each begin with a status line (checked at the start and after each 1xx). */
    private static void check(byte[] request, byte[] answer) {
        if (answer.length == 0) {
            return;
        }
        String a = new String(answer, StandardCharsets.ISO_8859_1);
        int eol = a.indexOf("\r\n");
        assertTrue(eol > 0, "an answer without a line end: " + a);
        assertTrue(HttpFuzz.STATUS_LINE.matcher(a.substring(0, eol + 2)).matches(), "not a status line: " + a);
    }
}
