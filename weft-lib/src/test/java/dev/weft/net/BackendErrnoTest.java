package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import dev.weft.io.GermanMessages;
import dev.weft.uring.Errno;
import dev.weft.uring.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.call;
import static dev.weft.net.NetTesting.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The NIO backend reports the errno the io_uring backend reports, for failures produced for real
 * on loopback, and it does so whatever language libc writes its messages in (the JDK puts libc's
 * text in its exceptions, so a mapping by English words fails under {@code LANGUAGE=de}).
 */
class BackendErrnoTest {

    private static final String REFUSED = "connect to a closed port";
    private static final String READ_RESET = "read after the peer's reset";
    private static final String WRITE_RESET = "first failing write after the peer's reset";
    private static final String WRITE_AGAIN = "the write after that";
    private static final String IN_USE = "bind to a port in use";
    private static final String NOT_AVAILABLE = "bind to an address of no interface here";

    /** What Linux reports for each case (the io_uring backend passes the kernel's result on). */
    private static final Map<String, Integer> KERNEL = new LinkedHashMap<>();

    static {
        KERNEL.put(REFUSED, Errno.ECONNREFUSED);
        KERNEL.put(READ_RESET, Errno.ECONNRESET);
        KERNEL.put(WRITE_RESET, Errno.ECONNRESET);
        KERNEL.put(WRITE_AGAIN, Errno.EPIPE);
        KERNEL.put(IN_USE, Errno.EADDRINUSE);
        KERNEL.put(NOT_AVAILABLE, Errno.EADDRNOTAVAIL);
    }

    @Test
    @Timeout(60)
    void nioReportsTheErrnosUringReports() throws Exception {
        Map<String, Integer> uring = failures(IoMode.URING);
        assertEquals(names(KERNEL), names(uring), "the io_uring backend passes the kernel's errno on");
        assertEquals(names(uring), names(failures(IoMode.NIO)), "the NIO backend reports what io_uring reports");
    }

    @Test
    @Timeout(60)
    void nioReportsTheSameUnderGermanMessages() throws Exception {
        Map<String, Integer> nio;
        try (GermanMessages de = GermanMessages.switchOn()) {
            assumeFalse(Libc.strerror(Errno.EPIPE).equals("Broken pipe"),
                    "libc has no German messages here (glibc's libc.mo for 'de' is not installed)");
            nio = failures(IoMode.NIO);
        }
        assertEquals(names(KERNEL), names(nio), "the NIO backend under LANGUAGE=de");
    }

    /** Each case's errno, as the given backend reports it through the public API. */
    private static Map<String, Integer> failures(IoMode mode) throws Exception {
        Map<String, Integer> m = new LinkedHashMap<>();
        Weft rt = NetTesting.start(mode);
        try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(15_000);
            InetSocketAddress closedPort;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                closedPort = (InetSocketAddress) s.getLocalSocketAddress();
            }
            m.put(REFUSED, call(rt, () -> errnoOf(() -> TcpStream.connect(closedPort, CONNECT))));
            m.put(READ_RESET, afterPeerReset(rt, peer, c -> errnoOf(() -> c.read(ByteBuffer.allocate(16)))));
            int[] writes = afterPeerReset(rt, peer, c -> {
                int first = 0;
                // writes succeed until the reset has arrived; the first to fail reports it, the next EPIPE
                for (int i = 0; i < 1000 && first == 0; i++) {
                    try {
                        c.write(ByteBuffer.allocate(1));
                        Task.sleep(Duration.ofMillis(2));
                    } catch (NetException e) {
                        first = e.errno();
                    }
                }
                return new int[] {first, errnoOf(() -> c.write(ByteBuffer.allocate(1)))};
            });
            m.put(WRITE_RESET, writes[0]);
            m.put(WRITE_AGAIN, writes[1]);
            InetSocketAddress inUse = (InetSocketAddress) peer.getLocalSocketAddress();
            m.put(IN_USE, call(rt, () -> errnoOf(() -> TcpListener.bind(inUse, 4))));
            // TEST-NET-1 (RFC 5737): no interface has it, so bind fails before any packet is sent
            InetSocketAddress notHere = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0);
            m.put(NOT_AVAILABLE, call(rt, () -> errnoOf(() -> TcpListener.bind(notHere, 4))));
        } finally {
            NetTesting.stop(rt);
        }
        return m;
    }

    @FunctionalInterface
    private interface OnStream<T> {
        T apply(TcpStream c) throws Exception;
    }

    /** Connects a task to {@code peer}, lets the peer close with SO_LINGER 0 (an RST), then runs {@code body}. */
    private static <T> T afterPeerReset(Weft rt, ServerSocket peer, OnStream<T> body) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch reset = new CountDownLatch(1);
        JoinHandle<T> client = rt.spawn(() -> {
            try (TcpStream c = TcpStream.connect((InetSocketAddress) peer.getLocalSocketAddress(), CONNECT)) {
                connected.countDown();
                assertTrue(reset.await(15, TimeUnit.SECONDS), "the peer did not reset");
                return body.apply(c);
            }
        });
        try (Socket s = peer.accept()) {
            assertTrue(connected.await(15, TimeUnit.SECONDS), "the client did not connect");
            s.setSoLinger(true, 0);
        }
        reset.countDown();
        return join(client);
    }

    private static int errnoOf(Callable<?> op) {
        try {
            Object r = op.call();
            if (r instanceof AutoCloseable c) {
                c.close();
            }
            return fail("succeeded: " + r);
        } catch (NetException e) {
            assertTrue(e.errno() > 0, "an errno: " + e);
            return e.errno();
        } catch (Exception e) {
            return fail("not a NetException: " + e, e);
        }
    }

    private static Map<String, String> names(Map<String, Integer> errnos) {
        Map<String, String> m = new LinkedHashMap<>();
        errnos.forEach((k, v) -> m.put(k, Errno.name(v)));
        return m;
    }
}
