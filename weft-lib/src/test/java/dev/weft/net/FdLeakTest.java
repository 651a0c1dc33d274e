package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.EchoServer;
import static dev.weft.net.NetTesting.JOIN;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static dev.weft.net.NetTesting.assertLeaksNothing;
import static dev.weft.net.NetTesting.fds;
import static dev.weft.net.NetTesting.inRuntime;
import static dev.weft.net.NetTesting.stableFds;
import static dev.weft.net.NetTesting.join;
import static dev.weft.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No file descriptor outlives its use: the count of {@code /proc/self/fd} after a runtime has shut
 * down equals the count before it started. Each scenario runs once first, so that what the JVM
 * opens once and keeps (jar files, the JDK's own NIO helpers) is in the baseline.
 */
class FdLeakTest {

    private static long count(Map<Integer, String> fds, String kind) {
        return fds.values().stream().filter(t -> t.contains(kind)).count();
    }

    private static InetSocketAddress unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }

    /** 100 connections, half closed by the client first, half by the server first. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void connectionsClosedEitherWay(IoMode mode) throws Exception {
        assertLeaksNothing(mode, rt -> run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 128)) {
                JoinHandle<Void> server = Task.spawn(() -> {
                    List<JoinHandle<Void>> handlers = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        TcpStream s = l.accept();
                        handlers.add(Task.spawn(() -> {
                            try (s) {
                                ByteBuffer b = ByteBuffer.allocate(1);
                                s.readFully(b);
                                if (b.get(0) == 'C') { // the client closes first: wait for its end
                                    assertEquals(-1, s.read(b.clear()));
                                }
                            }
                            return null;
                        }));
                    }
                    for (JoinHandle<Void> h : handlers) {
                        join(h);
                    }
                    return null;
                });
                List<JoinHandle<Void>> clients = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    boolean clientFirst = i % 2 == 0;
                    clients.add(Task.spawn(() -> {
                        try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT)) {
                            c.writeAll(ByteBuffer.wrap(new byte[] {(byte) (clientFirst ? 'C' : 'S')}));
                            if (!clientFirst) {
                                assertEquals(-1, c.read(ByteBuffer.allocate(1)));
                            }
                        }
                        return null;
                    }));
                }
                for (JoinHandle<Void> c : clients) {
                    join(c);
                }
                join(server);
            }
        }));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void refusedConnects(IoMode mode) throws Exception {
        InetSocketAddress nobody = unusedPort();
        assertLeaksNothing(mode, rt -> run(rt, () -> {
            for (int i = 0; i < 50; i++) {
                assertThrows(ConnectionRefusedException.class, () -> TcpStream.connect(nobody, CONNECT));
            }
        }));
    }

    /** 10 accept timeouts and 20 read timeouts (heap and direct buffers). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void timeouts(IoMode mode) throws Exception {
        assertLeaksNothing(mode, rt -> {
            try (EchoServer echo = EchoServer.start(rt)) {
                InetSocketAddress addr = echo.address();
                run(rt, () -> {
                    try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                        for (int i = 0; i < 10; i++) {
                            assertThrows(IoTimeoutException.class, () -> l.accept(Duration.ofMillis(10)));
                        }
                    }
                    for (int i = 0; i < 20; i++) {
                        try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                            c.readTimeout(Duration.ofMillis(10));
                            ByteBuffer b = i % 2 == 0 ? ByteBuffer.allocate(8) : ByteBuffer.allocateDirect(8);
                            assertThrows(IoTimeoutException.class, () -> c.read(b));
                        }
                    }
                });
            }
        });
    }

    /** 20 tasks blocked in read, cancelled. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void cancelledReads(IoMode mode) throws Exception {
        assertLeaksNothing(mode, FdLeakTest::cancelTwentyReads);
    }

    private static void cancelTwentyReads(Weft rt) throws Exception {
        try (EchoServer echo = EchoServer.start(rt)) {
            InetSocketAddress addr = echo.address();
            CountDownLatch reading = new CountDownLatch(20);
            List<JoinHandle<Integer>> readers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                readers.add(rt.spawn(() -> {
                    try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                        reading.countDown();
                        return c.read(ByteBuffer.allocate(16));
                    }
                }));
            }
            assertTrue(reading.await(20, TimeUnit.SECONDS));
            Thread.sleep(50);
            for (JoinHandle<Integer> r : readers) {
                r.cancel();
            }
            for (JoinHandle<Integer> r : readers) {
                JoinException e = assertThrows(JoinException.class, () -> r.join(JOIN));
                assertTrue(e.isCancelled(), e.toString());
            }
        }
    }

    /**
     * Starting and shutting down a runtime five times leaves nothing open. While it runs, each
     * io_uring worker holds a ring and an eventfd; each NIO worker a selector.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void runtimeStartAndShutdown(IoMode mode) throws Exception {
        inRuntime(mode, rt -> { });
        Map<Integer, String> before = stableFds();
        for (int i = 0; i < 5; i++) {
            inRuntime(mode, rt -> {
                Map<Integer, String> running = fds();
                if (mode == IoMode.URING) {
                    assertEquals(count(before, "io_uring") + rt.workers(), count(running, "io_uring"),
                            "one ring per worker: " + running);
                    assertTrue(count(running, "eventfd") >= count(before, "eventfd") + rt.workers(),
                            "an eventfd per worker: " + running);
                } else {
                    assertTrue(count(running, "eventpoll") >= count(before, "eventpoll") + rt.workers(),
                            "an epoll instance per worker: " + running);
                }
            });
        }
        // and a runtime closed (not shut down) releases them too
        Weft rt = NetTesting.start(mode);
        rt.close();
        assertTrue(rt.awaitTermination(Duration.ofSeconds(10)));
        int after = NetTesting.settledFdCount(before.size());
        assertEquals(before.size(), after, () -> "before:\n" + before + "\nafter:\n" + NetTesting.fdListing());
    }
}
