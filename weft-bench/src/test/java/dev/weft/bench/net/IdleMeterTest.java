package dev.weft.bench.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IdleMeterTest {

    private static final Duration SETTLE = Duration.ofMillis(50);
    private static final Duration WINDOW = Duration.ofMillis(100);

    /** A server on 127.0.0.1 whose accept thread hands each connection to {@code onAccept}. */
    private static final class Server implements AutoCloseable {
        final ServerSocket listener;
        final List<Socket> accepted = new ArrayList<>();
        final Thread acceptor;

        Server(Consumer<Socket> onAccept) throws IOException {
            listener = new ServerSocket(0, 1024, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
            acceptor = Thread.ofPlatform().name("idle-meter-test-accept").daemon().start(() -> {
                try {
                    while (true) {
                        Socket s = listener.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                        onAccept.accept(s);
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            acceptor.join(5_000);
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    @Test
    void reportsTheWindowAndTheCpuOfTheThreadsNamedByThePrefixes() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        Thread named = Thread.ofPlatform().name("idle-meter-test-server-0").daemon().start(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                // ends
            }
        });
        try (Server server = new Server(s -> { })) {
            IdleMeter.Outcome o = new IdleMeter(10).run(server.port(),
                    List.of("idle-meter-test-server-", "idle-meter-test-accept"), SETTLE, WINDOW);

            assertEquals(2, o.threads(), "the parked thread and the acceptor");
            assertTrue(o.windowNanos() >= WINDOW.toNanos(), o.toString());
            assertTrue(o.processCpuNanos() >= 0 && o.threadsCpuNanos() >= 0, o.toString());
            assertEquals(o.processCpuNanos() * 100.0 / o.windowNanos(), o.processPercent(), 1e-9);
            assertEquals(o.threadsCpuNanos() * 100.0 / o.windowNanos(), o.threadsPercent(), 1e-9);
            synchronized (server.accepted) {
                assertEquals(10, server.accepted.size(), "every connection reached the server");
            }
        } finally {
            stop.countDown();
            named.join();
        }
    }

    @Test
    void percentIsCpuTimeOverWallTimeTimesAHundred() {
        IdleMeter.Outcome o = new IdleMeter.Outcome(2_000_000_000L, 30_000_000L, 4_000_000L, 3);

        assertEquals(1.5, o.processPercent(), 1e-12);
        assertEquals(0.2, o.threadsPercent(), 1e-12);
    }

    @Test
    void serverThatClosesAConnectionWhileIdleFailsTheRun() throws Exception {
        try (Server server = new Server(s -> {
            try {
                s.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        })) {
            IOException e = assertThrows(IOException.class,
                    () -> new IdleMeter(3).run(server.port(), List.of(), SETTLE, WINDOW));

            assertTrue(e.getMessage().contains("while it was idle")
                    || e.getMessage().contains("failed while idle"), e.getMessage());
        }
    }

    @Test
    void serverThatSendsUnpromptedFailsTheRun() throws Exception {
        try (Server server = new Server(s -> {
            try {
                s.getOutputStream().write(new byte[] {1, 2, 3});
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        })) {
            IOException e = assertThrows(IOException.class,
                    () -> new IdleMeter(3).run(server.port(), List.of(), SETTLE, WINDOW));

            assertTrue(e.getMessage().contains("the server sent 3 bytes on idle connection 0"), e.getMessage());
        }
    }

    @Test
    void nothingListeningFailsNamingTheConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            port = s.getLocalPort();
        }

        IOException e = assertThrows(IOException.class, () -> new IdleMeter(3).run(port, List.of(), SETTLE, WINDOW));

        assertTrue(e.getMessage().contains("connection 0 of 3"), e.getMessage());
    }

    @Test
    void argumentsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IdleMeter(0));
        assertThrows(IllegalArgumentException.class, () -> new IdleMeter(1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new IdleMeter(1).run(1, List.of(), Duration.ofMillis(-1), WINDOW));
        assertThrows(IllegalArgumentException.class,
                () -> new IdleMeter(1).run(1, List.of(), SETTLE, Duration.ZERO));
    }
}
