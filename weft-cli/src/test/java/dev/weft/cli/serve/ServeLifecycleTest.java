package dev.weft.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code weft serve}'s life as a process: a graceful stop on SIGTERM and SIGINT (the request in
 * flight finishes, new connections are refused, exit 0), the NIO backend, a port in use, and
 * {@code --root}. One server process per test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Requests whose head the server parsed and whose response it has not written, besides the asking one. */
    private static long inFlight(int port) throws IOException {
        JsonNode s = JSON.readTree(HttpExchange.get(port, "/stats").body());
        long answered = 0;
        for (JsonNode n : s.get("requests").get("by_status")) {
            answered += n.asLong();
        }
        return s.get("requests").get("total").asLong() - answered - 1; // the /stats request itself is in flight
    }

    /** Connects to {@code port} until the connection is refused (at most 30 s); fails if it never is. */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
            } catch (ConnectException refused) {
                return;
            }
            Thread.sleep(10); // the listener is still open; ask again
        }
        fail("port " + port + " still accepts connections 30 s after the stop signal");
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + p.pid()).inheritIO().start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + p.pid());
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishRefusesNewConnectionsAndExitsZero() throws Exception {
        try (ServeProcess server = ServeProcess.serve(dir, "--port", "0", "--grace", "30")) {
            int port = server.port();
            try (Socket slow = HttpExchange.connect(port)) {
                // A request whose head has arrived and whose body is still coming: in flight.
                HttpExchange.send(slow, "GET /plaintext HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (inFlight(port) < 1) {
                    assertTrue(System.nanoTime() < deadline, "the server parsed the slow request's head");
                    Thread.sleep(10);
                }

                signal(server.process(), "TERM");
                awaitRefused(port);
                assertTrue(server.process().isAlive(), "the server waits for the request in flight");

                HttpExchange.send(slow, "cde");
                HttpExchange r = HttpExchange.read(slow.getInputStream());
                assertEquals(200, r.status());
                assertEquals("Hello, World!", r.text());
                assertEquals(-1, slow.getInputStream().read(), "the stopping server closes the connection after it");
            }
            assertEquals(0, server.awaitExit(), server.stderr());
            assertTrue(server.stderr().contains("weft serve: SIGTERM: no new connections"), server.stderr());
            assertEquals(1, server.stdout().lines().count(), "only the start-up line on standard output: "
                    + server.stdout());
        }
    }

    @Test
    void theNioBackendServesAndSigintStopsItWithZero() throws Exception {
        try (ServeProcess server = ServeProcess.serve(dir, "--port", "0", "--io", "nio", "--workers", "1")) {
            assertEquals("nio", server.startup().group(3));
            assertEquals("1", server.startup().group(4));
            assertTrue(server.stdout().startsWith("weft serve: http://127.0.0.1:" + server.port() + "/ (nio, 1 worker)"),
                    server.stdout());
            assertEquals("Hello, World!", HttpExchange.get(server.port(), "/plaintext").text());
            assertEquals("nio", JSON.readTree(HttpExchange.get(server.port(), "/stats").body()).get("backend").asText());

            signal(server.process(), "INT");
            assertEquals(0, server.awaitExit(), server.stderr());
            assertTrue(server.stderr().contains("weft serve: SIGINT"), server.stderr());
        }
    }

    @Test
    void aPortInUseFailsNamingTheAddressAndExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            try (ServeProcess server = ServeProcess.start(dir, "serve", "--port", Integer.toString(port))) {
                assertEquals(1, server.awaitExit(), server.stderr());
                assertEquals("", server.stdout(), "no start-up line when it does not listen");
                assertTrue(server.stderr().contains("weft serve: cannot serve on 127.0.0.1:" + port + ": "),
                        server.stderr());
                assertTrue(server.stderr().contains("pick another --host or --port (--port 0 picks a free one)"),
                        server.stderr());
            }
        }
    }

    @Test
    void rootServesItsFilesInsteadOfTheSiteWhileTheFixedRoutesStillWin() throws Exception {
        Path root = Files.createDirectory(dir.resolve("public"));
        Files.writeString(root.resolve("index.html"), "<p>the root's own index</p>\n");
        Files.writeString(root.resolve("notes.txt"), "served from --root\n");
        Files.writeString(root.resolve("plaintext"), "a file that the route hides\n");

        try (ServeProcess server = ServeProcess.serve(dir, "--port", "0", "--root", root.toString())) {
            int port = server.port();
            HttpExchange notes = HttpExchange.get(port, "/notes.txt");
            assertEquals(200, notes.status());
            assertEquals("served from --root\n", notes.text());
            assertEquals("text/plain; charset=utf-8", notes.field("Content-Type").orElseThrow());
            assertEquals("<p>the root's own index</p>\n", HttpExchange.get(port, "/").text());
            assertEquals("Hello, World!", HttpExchange.get(port, "/plaintext").text());
            assertEquals(200, HttpExchange.get(port, "/stats").status());
            assertEquals(404, HttpExchange.get(port, "/app.js").status(), "the site is not served under --root");
            assertEquals(404, HttpExchange.get(port, "/missing.txt").status());
        }
    }
}
