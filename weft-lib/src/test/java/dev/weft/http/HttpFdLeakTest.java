package dev.weft.http;

import dev.weft.runtime.IoMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.weft.http.HttpTesting.connect;
import static dev.weft.http.HttpTesting.exchange;
import static dev.weft.http.HttpTesting.read;
import static dev.weft.http.HttpTesting.send;
import static dev.weft.net.NetTesting.assertLeaksNothing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server's life leaves no descriptor behind, on both I/O backends: /proc/self/fd before a
 * runtime starts equals the count after a server on it served every kind of exchange (kept alive,
 * refused, timed out, failed, a file, an idle connection left open at the stop) and stopped.
 */
class HttpFdLeakTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(120)
    void aServersWholeLifeLeaksNoDescriptor(IoMode mode) throws Exception {
        Path file = Files.createTempFile("weft-http", ".bin");
        Files.write(file, new byte[100_000]);
        try {
            assertLeaksNothing(mode, rt -> {
                HttpServer server = HttpServer.builder(rt).bind("127.0.0.1", 0)
                        .headerTimeout(Duration.ofMillis(200))
                        .get("/", r -> Response.text("x"))
                        .get("/file", r -> Response.file(file, 0, -1, "application/octet-stream"))
                        .get("/boom", r -> {
                            throw new IllegalStateException("boom (expected by the test)");
                        })
                        .build().start();
                int port = server.port();
                Socket idle = null;
                try {
                    for (int i = 0; i < 10; i++) {
                        try (Socket s = connect(port)) { // kept alive, then closed by the client
                            send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /file HTTP/1.1\r\nHost: h\r\n\r\n");
                            InputStream in = s.getInputStream();
                            assertEquals("x", read(in, false).text());
                            assertEquals(100_000, read(in, false).body().length);
                        }
                        assertTrue(exchange(port, "GET / HTTP/1.1\r\nHost : h\r\n\r\n").startsWith("HTTP/1.1 400 "));
                        assertTrue(exchange(port, "GET /boom HTTP/1.1\r\nHost: h\r\n\r\n").startsWith("HTTP/1.1 500 "));
                        assertTrue(exchange(port, "GET / HTTP/1.1\r\n").startsWith("HTTP/1.1 408 "));
                    }
                    idle = connect(port); // kept alive after its request: idle when the server stops
                    send(idle, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
                    assertEquals("x", read(idle.getInputStream(), false).text());
                } finally {
                    server.stop(Duration.ofSeconds(5)); // closes the idle connection
                    if (idle != null) {
                        assertEquals(-1, idle.getInputStream().read());
                        idle.close();
                    }
                }
                assertEquals(0, server.openConnections());
            });
        } finally {
            Files.delete(file);
        }
    }
}
