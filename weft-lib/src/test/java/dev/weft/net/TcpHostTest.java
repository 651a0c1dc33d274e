package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.EchoServer;
import static dev.weft.net.NetTesting.JOIN;
import static dev.weft.net.NetTesting.call;
import static dev.weft.net.NetTesting.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TcpStream.connect by host name: the lookup runs off the worker, every address is tried in order. */
class TcpHostTest {

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    private static byte[] echoOnce(TcpStream c) throws Exception {
        c.writeAll(ByteBuffer.wrap("ping".getBytes()));
        ByteBuffer in = ByteBuffer.allocate(4);
        c.readFully(in);
        return in.array();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void connectsToLocalhostByName(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            int port = server.address().getPort();
            String remote = call(rt, () -> {
                try (TcpStream c = TcpStream.connect("localhost", port, CONNECT)) {
                    assertEquals("ping", new String(echoOnce(c)));
                    return c.remoteAddress().getAddress().getHostAddress();
                }
            });
            assertEquals("127.0.0.1", remote); // "localhost" may give ::1 first: nothing listens there
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void anUnresolvedSocketAddressIsResolvedLikeAName(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", server.address().getPort());
            assertEquals("ping", call(rt, () -> {
                try (TcpStream c = TcpStream.connect(unresolved, CONNECT)) {
                    return new String(echoOnce(c));
                }
            }));
        }
    }

    /** With one worker, another task runs while a connect waits for a lookup that holds its thread. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void theLookupDoesNotHoldTheWorker(IoMode mode) throws Exception {
        rt = NetTesting.start(mode, 1);
        try (EchoServer server = EchoServer.start(rt)) {
            int port = server.address().getPort();
            CountDownLatch lookupStarted = new CountDownLatch(1);
            CountDownLatch answer = new CountDownLatch(1);
            TcpStream.Resolver slow = host -> {
                lookupStarted.countDown();
                while (answer.getCount() > 0) {
                    Thread.onSpinWait(); // a lookup in native code: it never unmounts
                }
                return new InetAddress[] {InetAddress.getLoopbackAddress()};
            };
            JoinHandle<String> connecting = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect("db.example", port, CONNECT, SocketOptions.DEFAULTS, slow)) {
                    return new String(echoOnce(c));
                }
            });
            assertTrue(lookupStarted.await(JOIN.toSeconds(), TimeUnit.SECONDS), "the lookup did not start");
            assertEquals("ran", join(rt.spawn(() -> "ran")),
                    "a task spawned during the lookup must run on the one worker");
            answer.countDown();
            assertEquals("ping", join(connecting));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void triesEachAddressInOrderUntilOneConnects(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) { // bound to 127.0.0.1 only
            int port = server.address().getPort();
            InetAddress refused = InetAddress.getByAddress("refusing", new byte[] {127, 0, 0, 2});
            InetAddress listening = InetAddress.getByAddress("listening", new byte[] {127, 0, 0, 1});
            String remote = call(rt, () -> {
                try (TcpStream c = TcpStream.connect("two.example", port, CONNECT, SocketOptions.DEFAULTS,
                        host -> new InetAddress[] {refused, listening})) {
                    assertEquals("ping", new String(echoOnce(c)));
                    return c.remoteAddress().getAddress().getHostAddress();
                }
            });
            assertEquals("127.0.0.1", remote);

            InetAddress alsoRefused = InetAddress.getByAddress("also", new byte[] {127, 0, 0, 3});
            ConnectionRefusedException e = assertThrows(ConnectionRefusedException.class, () -> call(rt, () ->
                    TcpStream.connect("none.example", port, CONNECT, SocketOptions.DEFAULTS,
                            host -> new InetAddress[] {refused, alsoRefused})));
            assertTrue(e.getMessage().contains("127.0.0.2"), "the first address's failure: " + e.getMessage());
            assertEquals(1, e.getSuppressed().length, "the second address's failure is suppressed in it");
            assertTrue(e.getSuppressed()[0].getMessage().contains("127.0.0.3"), e.getSuppressed()[0].getMessage());
        }
    }

    /** {@code .invalid} never resolves (RFC 6761); without DNS the lookup fails too, so no network is needed. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void anUnresolvableNameFailsNamingTheHost(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> call(rt, () ->
                TcpStream.connect("no-such-host.invalid", 80, CONNECT)));
        assertTrue(e.getMessage().contains("'no-such-host.invalid'"), e.getMessage());
        assertEquals(0, rt.stats().blockingParked());
    }

    @Test
    @Timeout(30)
    void anAddressLiteralIsNotLookedUp() throws Exception {
        rt = NetTesting.start(IoMode.NIO);
        try (EchoServer server = EchoServer.start(rt)) {
            int port = server.address().getPort();
            TcpStream.Resolver none = host -> {
                throw new AssertionError("a literal was looked up: " + host);
            };
            assertEquals("ping", call(rt, () -> {
                try (TcpStream c = TcpStream.connect("127.0.0.1", port, CONNECT, SocketOptions.DEFAULTS, none)) {
                    return new String(echoOnce(c));
                }
            }));
        }
    }

    @Test
    @Timeout(30)
    void badArgumentsAreRefusedWithTheValue() throws Exception {
        rt = NetTesting.start(IoMode.NIO);
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> call(rt, () -> TcpStream.connect("localhost", 70000, CONNECT)));
        assertTrue(port.getMessage().contains("70000"), port.getMessage());
        assertThrows(IllegalArgumentException.class, () -> call(rt, () -> TcpStream.connect(" ", 80, CONNECT)));
        IllegalStateException outside = assertThrows(IllegalStateException.class,
                () -> TcpStream.connect("localhost", 80, CONNECT));
        assertTrue(outside.getMessage().contains("weft task"), outside.getMessage());
    }
}
