package dev.weft.http;

import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.weft.http.HttpTesting.connect;
import static dev.weft.http.HttpTesting.exchange;
import static dev.weft.http.HttpTesting.read;
import static dev.weft.http.HttpTesting.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpServer#responsesByStatus()} and {@link HttpServer#openConnections()} over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpStatusCountTest {

    private static Weft rt;
    private HttpServer server;

    @BeforeAll
    static void startRuntime() {
        rt = Weft.start();
    }

    @AfterAll
    static void stopRuntime() {
        rt.close();
    }

    @AfterEach
    void stopServer() {
        server.stop(Duration.ofSeconds(1));
    }

    private int start() throws Exception {
        server = HttpServer.builder(rt).bind("127.0.0.1", 0)
                .get("/ok", r -> Response.text("ok"))
                .get("/empty", r -> Response.of(204))
                .get("/boom", r -> {
                    throw new IllegalStateException("a handler failure this test injects");
                })
                .build().start();
        return server.port();
    }

    @Test
    void aNewServerHasCountedNoResponse() throws Exception {
        start();
        assertEquals(Map.of(), server.responsesByStatus());
    }

    @Test
    void everyResponseIsCountedUnderItsStatusInAscendingOrder() throws Exception {
        int port = start();
        try (Socket s = connect(port)) {
            send(s, "GET /ok HTTP/1.1\r\nHost: h\r\n\r\nGET /ok HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /empty HTTP/1.1\r\nHost: h\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "HEAD /ok HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = s.getInputStream();
            assertEquals(200, read(in, false).status());
            assertEquals(200, read(in, false).status());
            assertEquals(204, read(in, false).status());
            assertEquals(404, read(in, false).status());
            assertEquals(200, read(in, true).status());
        }

        assertEquals("{200=3, 204=1, 404=1}", server.responsesByStatus().toString());
    }

    @Test
    void theServersOwnRefusalsAndHandlerFailuresAreCounted() throws Exception {
        int port = start();
        String bad = exchange(port, "GET /ok HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n");
        String failed = exchange(port, "GET /boom HTTP/1.1\r\nHost: h\r\n\r\n");

        assertTrue(bad.startsWith("HTTP/1.1 400 "), bad);
        assertTrue(failed.startsWith("HTTP/1.1 500 "), failed);
        assertEquals(Map.of(400, 1L, 500, 1L), server.responsesByStatus());
    }

    @Test
    void openConnectionsCountsAConnectionUntilItCloses() throws Exception {
        int port = start();
        try (Socket s = connect(port)) {
            send(s, "GET /ok HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals(200, read(s.getInputStream(), false).status()); // accepted and served: open now
            assertEquals(1, server.openConnections());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.openConnections() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, server.openConnections(), "the closed connection is no longer counted");
    }
}
