package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weft.shutdown(grace) for a server: listeners close, requests in flight finish, idle reads are cancelled. */
class ShutdownTest {

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void shutdownClosesListenersFinishesRequestsAndCancelsIdleReads(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        CompletableFuture<InetSocketAddress> address = new CompletableFuture<>();
        CompletableFuture<Throwable> acceptEnded = new CompletableFuture<>();
        CompletableFuture<Object> idleReadEnded = new CompletableFuture<>();
        CountDownLatch slowRequestIn = new CountDownLatch(1);
        CountDownLatch idleRequestIn = new CountDownLatch(1);

        // The server: 'S' is a slow request (100 ms of work, then a reply), 'I' leaves the
        // connection idle in a read.
        rt.spawn(() -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 16)) {
                address.complete(l.localAddress());
                for (;;) {
                    TcpStream s;
                    try {
                        s = l.accept();
                    } catch (Throwable t) {
                        acceptEnded.complete(t);
                        return null;
                    }
                    Task.spawn(() -> {
                        try (s) {
                            ByteBuffer b = ByteBuffer.allocate(1);
                            s.readFully(b);
                            if (b.get(0) == 'S') {
                                slowRequestIn.countDown();
                                Task.sleep(Duration.ofMillis(100));
                                s.writeAll(ByteBuffer.wrap("reply".getBytes(StandardCharsets.US_ASCII)));
                            } else {
                                idleRequestIn.countDown();
                                try {
                                    idleReadEnded.complete(s.read(b.clear()));
                                } catch (Throwable t) {
                                    idleReadEnded.complete(t);
                                }
                            }
                        }
                        return null;
                    });
                }
            }
        });
        InetSocketAddress addr = get(address);

        // The idle connection's client is a plain socket: only the server side is weft's.
        try (Socket idle = new Socket()) {
            idle.connect(addr, 10_000);
            idle.getOutputStream().write('I');
            assertTrue(idleRequestIn.await(20, TimeUnit.SECONDS));

            JoinHandle<String> slowClient = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    c.writeAll(ByteBuffer.wrap(new byte[] {'S'}));
                    ByteBuffer in = ByteBuffer.allocate(5);
                    c.readFully(in);
                    return new String(in.array(), StandardCharsets.US_ASCII);
                }
            });
            assertTrue(slowRequestIn.await(20, TimeUnit.SECONDS));

            assertTrue(rt.shutdown(Duration.ofSeconds(3)), "every task ended"); // the 100 ms request fits the grace even on a loaded machine

            // the waiting accept ended with a NetException saying the listener closed
            Throwable accept = get(acceptEnded);
            NetException ae = assertInstanceOf(NetException.class, accept, "accept ended with " + accept);
            assertTrue(ae.getMessage().contains("closed"), ae.getMessage());
            // the request in flight got its reply within the grace period
            assertEquals("reply", NetTesting.join(slowClient));
            // the idle read was cancelled after the grace period: InterruptedIOException, as documented
            Object idleEnd = get(idleReadEnded);
            InterruptedIOException ie = assertInstanceOf(InterruptedIOException.class, idleEnd,
                    "the idle read ended with " + idleEnd);
            assertTrue(ie.getMessage().contains("shut down"), ie.getMessage());
            // the server closed its side: the plain client reads end of stream (or a reset)
            idle.setSoTimeout(10_000);
            try {
                assertEquals(-1, idle.getInputStream().read());
            } catch (IOException reset) {
                assertTrue(reset.getMessage().contains("reset"), reset.toString());
            }
        }
        // nothing listens any more
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(addr, 10_000);
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.spawn(() -> 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(rt.isClosed());
        assertTrue(rt.awaitTermination(Duration.ofSeconds(1)));
    }

    /**
     * A read that starts waiting during the grace period (listeners closed, cancelAll not yet
     * called) waits for its data like any operation in flight, and the runtime then ends within
     * the grace. (On NIO it failed at once, saying the runtime shut down.)
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void aReadThatStartsWaitingDuringTheGracePeriodGetsItsData(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        CompletableFuture<InetSocketAddress> address = new CompletableFuture<>();
        CountDownLatch accepted = new CountDownLatch(1);
        CompletableFuture<Object> readEnded = new CompletableFuture<>();
        CompletableFuture<Thread> server = new CompletableFuture<>();
        rt.spawn(() -> {
            server.complete(Thread.currentThread());
            TcpStream s;
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                address.complete(l.localAddress());
                s = l.accept();
                accepted.countDown();
                try {
                    l.accept();
                } catch (IOException closed) {
                    // shutdown closed the listener: the grace period has begun
                }
            }
            try (s) {
                // ask for the byte, then wait for it: the client sends it once this task waits
                s.writeAll(ByteBuffer.wrap(new byte[] {'?'}));
                ByteBuffer b = ByteBuffer.allocate(1);
                s.readFully(b);
                readEnded.complete((char) b.get(0));
            } catch (Throwable t) {
                readEnded.complete(t);
            }
            return null;
        });
        try (Socket client = new Socket()) {
            client.connect(get(address), 10_000);
            client.setSoTimeout(20_000);
            assertTrue(accepted.await(20, TimeUnit.SECONDS)); // else closing the listener resets the connection
            CompletableFuture<Boolean> shutdown = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    shutdown.complete(rt.shutdown(Duration.ofSeconds(30)));
                } catch (Throwable t) {
                    shutdown.completeExceptionally(t);
                }
            });
            assertEquals('?', client.getInputStream().read());
            Thread reader = get(server);
            while (reader.getState() != Thread.State.WAITING && !readEnded.isDone()) {
                Thread.sleep(1); // until the read waits for the byte (or has failed)
            }
            client.getOutputStream().write('x');

            assertEquals('x', get(readEnded));
            assertTrue(get(shutdown), "every task ended");
        }
    }

    /** With nothing in flight, shutdown returns true at once, and a second shutdown is harmless. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void shutdownOfAnIdleRuntime(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        assertEquals(3, NetTesting.call(rt, () -> 3));
        assertTrue(rt.shutdown(Duration.ofSeconds(5)));
        assertTrue(rt.shutdown(Duration.ofSeconds(5)));
        assertThrows(IllegalStateException.class, () -> rt.spawn(() -> { }));
    }

    /** A task still running during the grace period cannot bind a new listener: the runtime is shutting down. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void bindingDuringShutdownFails(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        CountDownLatch started = new CountDownLatch(1);
        JoinHandle<IOException> binder = rt.spawn(() -> {
            started.countDown();
            for (int i = 0; i < 1000; i++) {
                try {
                    TcpListener.bind(LOOPBACK_ANY_PORT, 4).close();
                } catch (IOException e) {
                    return e;
                }
                Task.sleep(Duration.ofMillis(10));
            }
            return null;
        });
        assertTrue(started.await(20, TimeUnit.SECONDS));
        assertTrue(rt.shutdown(Duration.ofSeconds(15)));
        IOException e = NetTesting.join(binder);
        NetException ne = assertInstanceOf(NetException.class, e, "bind during shutdown threw " + e);
        assertTrue(ne.getMessage().contains("shutting down"), ne.getMessage());
    }

    /**
     * A task that catches the InterruptedIOException of its cancelled read and reads again after
     * cancelAll has run: the second read is cancelled too, so the runtime terminates.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void aReadRetriedAfterTheCancelIsCancelledToo(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        CompletableFuture<InetSocketAddress> address = new CompletableFuture<>();
        CountDownLatch reading = new CountDownLatch(1);
        JoinHandle<Integer> retrier = rt.spawn(() -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                address.complete(l.localAddress());
                try (TcpStream conn = l.accept()) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(64);
                    int cancelled = 0;
                    while (cancelled < 2) {
                        reading.countDown();
                        try {
                            if (conn.read(buf) < 0) {
                                return -1;
                            }
                        } catch (InterruptedIOException e) {
                            cancelled++; // and read again, as a careless retry loop would
                        }
                    }
                    return cancelled;
                }
            }
        });
        try (Socket client = new Socket()) {
            client.connect(get(address), (int) CONNECT.toMillis());
            assertTrue(reading.await(20, TimeUnit.SECONDS));
            assertTrue(rt.shutdown(Duration.ofMillis(200)), "the runtime did not terminate: the retried read still waits");
            assertEquals(2, NetTesting.join(retrier));
        }
    }
}
