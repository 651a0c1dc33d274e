package dev.weft.bench.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseCheckTest {

    private static BenchFiles files;

    @BeforeAll
    static void files() throws IOException {
        files = BenchFiles.create();
    }

    @AfterAll
    static void removeFiles() throws IOException {
        files.close();
    }

    @Test
    void aServerThatAnswersRightPasses() throws IOException {
        try (JdkHttpPeer peer = JdkHttpPeer.start(files.root(), JdkHttpPeer.Mode.RIGHT)) {
            ResponseCheck.check(peer.port(), files);

            assertEquals(JdkHttpPeer.CHECK_REQUESTS, peer.requests());
        }
    }

    @Test
    void aWrongBodyFailsNamingTheRequest() throws IOException {
        try (JdkHttpPeer peer = JdkHttpPeer.start(files.root(), JdkHttpPeer.Mode.WRONG_JSON)) {
            IOException e = assertThrows(IOException.class, () -> ResponseCheck.check(peer.port(), files));

            assertTrue(e.getMessage().contains("GET /json answered 200 '{\"message\":\"Hello\"}'"), e.getMessage());
        }
    }

    @Test
    void anErrorStatusFailsNamingItAfterTheCheckItPassed() throws IOException {
        try (JdkHttpPeer peer = JdkHttpPeer.start(files.root(), JdkHttpPeer.Mode.ERRORS_AFTER_CHECK)) {
            ResponseCheck.check(peer.port(), files);

            IOException e = assertThrows(IOException.class, () -> ResponseCheck.check(peer.port(), files));
            assertTrue(e.getMessage().contains("GET /plaintext answered status 500, expected 200"), e.getMessage());
        }
    }

    @Test
    void aChunkedBodyIsReadWhole() throws IOException {
        String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n8\r\n, World!\r\n0\r\n\r\n";

        ResponseCheck.Response r = ResponseCheck.get(new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), "/plaintext");

        assertEquals(200, r.status());
        assertEquals("Hello, World!", r.text());
    }

    @Test
    void aResponseCutShortFails() {
        String wire = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello";

        EOFException e = assertThrows(EOFException.class, () -> ResponseCheck.get(
                new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII)), new ByteArrayOutputStream(), "/x"));
        assertTrue(e.getMessage().contains("after 5 of 13 body bytes"), e.getMessage());
    }

    @Test
    void aStatusLineThatIsNotHttpIsNamed() {
        IOException e = assertThrows(IOException.class, () -> ResponseCheck.get(
                new ByteArrayInputStream("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), "/x"));
        assertTrue(e.getMessage().contains("'SSH-2.0-OpenSSH'"), e.getMessage());
    }
}
