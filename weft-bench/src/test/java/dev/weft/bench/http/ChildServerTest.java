package dev.weft.bench.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildServerTest {

    @Test
    void aServerThatExitsBeforeAnnouncingFailsWithItsExitCodeAndOutput() {
        IOException e = assertThrows(IOException.class, () -> ChildServer.announcing("broken",
                List.of("sh", "-c", "echo 'Unknown option: --io'; exit 3")));

        assertTrue(e.getMessage().contains("broken exited before announcing its address (exit code 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("Unknown option: --io"), e.getMessage());
    }

    @Test
    void theAnnouncedPortIsTakenFromItsLine() throws IOException {
        ChildServer s = ChildServer.announcing("announcer",
                List.of("sh", "-c", "echo starting; echo 'listening on http://127.0.0.1:40123/ (1 worker)'; exec sleep 30"));
        try {
            assertEquals(40123, s.port());
            assertEquals("listening on http://127.0.0.1:40123/ (1 worker)", s.announcement());
            assertTrue(s.isAlive());
        } finally {
            s.close();
        }
        assertFalse(s.isAlive(), "SIGTERM ended it");
    }

    @Test
    void aServerThatExitsBeforeAcceptingFailsNamingThePort() throws IOException {
        int port = ChildServer.freePort();

        IOException e = assertThrows(IOException.class, () -> ChildServer.listening("quitter",
                List.of("sh", "-c", "echo 'bind() failed (98: Address already in use)'; exit 1"), port));

        assertTrue(e.getMessage().contains("quitter exited before accepting on 127.0.0.1:" + port), e.getMessage());
        assertTrue(ChildServer.addressInUse(e.getMessage()), e.getMessage());
    }

    @Test
    void closeEndsTheProcessAndItsChildren() throws IOException {
        ChildServer s = ChildServer.announcing("parent", List.of("sh", "-c",
                "sleep 30 & trap 'kill $!; exit 0' TERM; echo http://127.0.0.1:1/; wait"));
        List<ProcessHandle> children = ProcessHandle.of(s.pid()).orElseThrow().descendants().toList();
        assertFalse(children.isEmpty());

        s.close();

        assertFalse(s.isAlive());
        children.forEach(c -> assertFalse(c.isAlive(), "child " + c.pid() + " outlived close()"));
    }
}
