package dev.weft.net;

import dev.weft.runtime.IoInfo;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.EchoServer;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static dev.weft.net.NetTesting.bytes;
import static dev.weft.net.NetTesting.call;
import static dev.weft.net.NetTesting.join;
import static dev.weft.net.NetTesting.pattern;
import static dev.weft.net.NetTesting.run;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bytes go out and come back intact over loopback, through every buffer kind, on both backends. */
class TcpEchoTest {

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void heapBuffersRoundTrip(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    byte[] msg = pattern(3000, 1);
                    ByteBuffer out = ByteBuffer.wrap(msg);
                    c.writeAll(out);
                    assertEquals(msg.length, out.position(), "writeAll advances the position to the limit");
                    ByteBuffer in = ByteBuffer.allocate(msg.length);
                    c.readFully(in);
                    assertEquals(msg.length, in.position());
                    assertArrayEquals(msg, in.array());
                }
            });
        }
    }

    /** Heap buffers that are slices of a larger array (non-zero array offset) read and write their own window. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void heapBufferSlicesUseTheirWindow(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    byte[] backing = pattern(1000, 2);
                    ByteBuffer out = ByteBuffer.wrap(backing, 100, 500).slice(); // arrayOffset 100
                    c.writeAll(out);
                    byte[] inBacking = new byte[1000];
                    ByteBuffer in = ByteBuffer.wrap(inBacking, 300, 500).slice(); // arrayOffset 300
                    c.readFully(in);
                    byte[] want = new byte[1000];
                    System.arraycopy(backing, 100, want, 300, 500);
                    assertArrayEquals(want, inBacking, "the bytes land in the slice's window, nothing outside");
                }
            });
        }
    }

    /** A read-only heap buffer (e.g. a shared response) can be written; NIO's channels accept one too. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void readOnlyHeapBufferIsWritten(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    byte[] msg = pattern(700, 3);
                    ByteBuffer out = ByteBuffer.wrap(msg).asReadOnlyBuffer();
                    c.writeAll(out);
                    ByteBuffer in = ByteBuffer.allocate(msg.length);
                    c.readFully(in);
                    assertArrayEquals(msg, in.array());
                }
            });
        }
    }

    /**
     * A read timeout that does not pass changes nothing: heap, direct and segment reads all get
     * their bytes. (On io_uring a heap read is a provided-buffer receive: the linked timeout must
     * keep its BUFFER_SELECT flag.)
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void readsWithATimeoutGetTheirBytes(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT); Arena arena = Arena.ofConfined()) {
                    c.readTimeout(java.time.Duration.ofSeconds(10));
                    byte[] msg = pattern(900, 14);
                    c.writeAll(ByteBuffer.wrap(msg));
                    ByteBuffer heap = ByteBuffer.allocate(300);
                    c.readFully(heap);
                    ByteBuffer direct = ByteBuffer.allocateDirect(300);
                    c.readFully(direct);
                    MemorySegment seg = arena.allocate(300);
                    long got = 0;
                    while (got < 300) {
                        got += c.read(seg.asSlice(got));
                    }
                    byte[] back = new byte[900];
                    System.arraycopy(heap.array(), 0, back, 0, 300);
                    direct.flip().get(back, 300, 300);
                    MemorySegment.copy(seg, JAVA_BYTE, 0, back, 600, 300);
                    assertArrayEquals(msg, back);
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void directBuffersRoundTrip(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    byte[] msg = pattern(5000, 4);
                    ByteBuffer out = ByteBuffer.allocateDirect(msg.length + 20);
                    out.position(10);
                    out.put(msg).flip().position(10); // the position is honoured
                    c.writeAll(out);
                    assertEquals(msg.length + 10, out.position());
                    ByteBuffer in = ByteBuffer.allocateDirect(msg.length + 7);
                    in.position(7);
                    c.readFully(in);
                    in.flip().position(7);
                    assertArrayEquals(msg, bytes(in));
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void nativeSegmentsRoundTrip(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT); Arena arena = Arena.ofConfined()) {
                    byte[] msg = pattern(6000, 5);
                    MemorySegment out = arena.allocate(msg.length);
                    MemorySegment.copy(msg, 0, out, JAVA_BYTE, 0, msg.length);
                    c.writeAll(out);
                    MemorySegment in = arena.allocate(msg.length);
                    long got = 0;
                    while (got < msg.length) {
                        int n = c.read(in.asSlice(got));
                        assertTrue(n > 0, "read returned " + n + " before all bytes came back");
                        got += n;
                    }
                    assertArrayEquals(msg, in.toArray(JAVA_BYTE));
                    assertEquals(0, c.read(in.asSlice(0, 0)), "an empty segment reads nothing");
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void gatheringWrites(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    // One gathering write: a heap header, an empty buffer, a direct body.
                    byte[] head = pattern(100, 6);
                    byte[] body = pattern(900, 7);
                    ByteBuffer h = ByteBuffer.wrap(head);
                    ByteBuffer empty = ByteBuffer.allocate(0);
                    ByteBuffer b = ByteBuffer.allocateDirect(body.length).put(body).flip();
                    long sent = 0;
                    while (h.hasRemaining() || b.hasRemaining()) {
                        long n = c.write(h, empty, b);
                        assertTrue(n > 0, "a gathering write wrote " + n);
                        sent += n;
                        assertEquals(sent, h.position() + b.position(), "the positions advance by what was written");
                    }
                    ByteBuffer in = ByteBuffer.allocate(head.length + body.length);
                    c.readFully(in);
                    assertArrayEquals(concat(head, body), in.array());

                    // writeAll of buffers larger together than one send: every byte, in order.
                    byte[][] parts = {pattern(40_000, 8), pattern(40_000, 9), pattern(40_001, 10)};
                    ByteBuffer[] srcs = {ByteBuffer.wrap(parts[0]),
                            ByteBuffer.allocateDirect(parts[1].length).put(parts[1]).flip(),
                            ByteBuffer.wrap(parts[2])};
                    JoinHandle<byte[]> reader = dev.weft.task.Task.spawn(() -> {
                        ByteBuffer all = ByteBuffer.allocate(120_001);
                        c.readFully(all);
                        return all.array();
                    });
                    c.writeAll(srcs);
                    for (ByteBuffer s : srcs) {
                        assertEquals(0, s.remaining());
                    }
                    assertArrayEquals(concat(parts[0], concat(parts[1], parts[2])), join(reader));
                }
            });
        }
    }

    /** 200 connections at once on a runtime with one worker: every byte of every echo is right. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void twoHundredConcurrentConnectionsOnOneWorker(IoMode mode) throws Exception {
        rt = NetTesting.start(mode, 1);
        try (EchoServer server = EchoServer.start(rt, LOOPBACK_ANY_PORT, 512)) {
            InetSocketAddress addr = server.address();
            List<JoinHandle<Integer>> clients = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int id = i;
                clients.add(rt.spawn(() -> {
                    try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                        byte[] msg = pattern(1000 + 37 * id, 100 + id);
                        // two writes and reads of the halves, so that connections interleave
                        int half = msg.length / 2;
                        byte[] back = new byte[msg.length];
                        c.writeAll(ByteBuffer.wrap(msg, 0, half));
                        c.readFully(ByteBuffer.wrap(back, 0, half));
                        c.writeAll(ByteBuffer.wrap(msg, half, msg.length - half));
                        c.readFully(ByteBuffer.wrap(back, half, msg.length - half));
                        assertArrayEquals(msg, back, "connection " + id);
                        c.shutdownOutput();
                        assertEquals(-1, c.read(ByteBuffer.allocate(1)), "the echo ends after our FIN");
                        return id;
                    }
                }));
            }
            for (int i = 0; i < clients.size(); i++) {
                assertEquals(i, join(clients.get(i)));
            }
        }
    }

    /** 1 MiB each way: the client's writeAll arrives intact, and so does the server's, read with plain reads. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void oneMebibyteArrivesIntact(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        int size = 1 << 20;
        byte[] up = pattern(size, 11);
        byte[] down = pattern(size, 12);
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                JoinHandle<Void> server = dev.weft.task.Task.spawn(() -> {
                    try (TcpStream s = l.accept()) {
                        ByteBuffer in = ByteBuffer.allocate(size);
                        s.readFully(in);
                        assertArrayEquals(up, in.array(), "the client's 1 MiB");
                        ByteBuffer out = ByteBuffer.allocateDirect(size).put(down).flip();
                        s.writeAll(out);
                    }
                    return null;
                });
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT)) {
                    c.writeAll(ByteBuffer.wrap(up));
                    byte[] got = new byte[size];
                    int at = 0;
                    ByteBuffer chunk = ByteBuffer.allocate(50_000);
                    int n;
                    while ((n = c.read(chunk.clear())) > 0) {
                        assertTrue(at + n <= size, "more bytes than were sent");
                        chunk.flip().get(got, at, n);
                        at += n;
                    }
                    assertEquals(size, at, "bytes before end of stream");
                    assertArrayEquals(down, got, "the server's 1 MiB");
                }
                join(server);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void ipv6Loopback(IoMode mode) throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
            assumeTrue(probe.isBound());
        } catch (IOException e) {
            assumeTrue(false, "::1 cannot be bound here: " + e);
        }
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt, new InetSocketAddress(v6, 0), 16)) {
            InetSocketAddress addr = server.address();
            assertEquals(v6, addr.getAddress());
            assertInstanceOf(Inet6Address.class, addr.getAddress());
            assertTrue(addr.getPort() > 0);
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    assertEquals(addr, c.remoteAddress());
                    assertEquals(v6, c.localAddress().getAddress());
                    byte[] msg = pattern(2000, 13);
                    c.writeAll(ByteBuffer.wrap(msg));
                    ByteBuffer in = ByteBuffer.allocate(msg.length);
                    c.readFully(in);
                    assertArrayEquals(msg, in.array());
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void addressesAreTheEndpoints(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                InetSocketAddress la = l.localAddress();
                assertEquals(InetAddress.getByName("127.0.0.1"), la.getAddress());
                assertTrue(la.getPort() > 0, "port 0 is replaced by the port the kernel picked: " + la);
                JoinHandle<TcpStream> accepted = dev.weft.task.Task.spawn(() -> l.accept());
                try (TcpStream c = TcpStream.connect(la, CONNECT); TcpStream s = join(accepted)) {
                    assertEquals(la, c.remoteAddress());
                    assertEquals(la, s.localAddress());
                    assertEquals(c.localAddress(), s.remoteAddress());
                    assertEquals(InetAddress.getByName("127.0.0.1"), c.localAddress().getAddress());
                    assertTrue(c.localAddress().getPort() > 0 && c.localAddress().getPort() != la.getPort());
                    assertTrue(l.toString().contains(String.valueOf(la.getPort())), l.toString());
                }
                assertTrue(!l.isClosed(), "still open inside its try");
            }
        });
    }

    /** Several tasks may wait in accept on one listener: each connection goes to exactly one of them. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void severalTasksAcceptAtOnce(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 16)) {
                List<JoinHandle<Integer>> acceptors = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    acceptors.add(dev.weft.task.Task.spawn(() -> {
                        try (TcpStream s = l.accept()) {
                            ByteBuffer b = ByteBuffer.allocate(1);
                            s.readFully(b);
                            return (int) b.get(0);
                        }
                    }));
                }
                for (int i = 0; i < 4; i++) {
                    try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT)) {
                        c.writeAll(ByteBuffer.wrap(new byte[] {(byte) i}));
                    }
                }
                java.util.Set<Integer> got = new java.util.TreeSet<>();
                for (JoinHandle<Integer> a : acceptors) {
                    got.add(join(a));
                }
                assertEquals(java.util.Set.of(0, 1, 2, 3), got);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void backendIsReported(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        String name = mode == IoMode.URING ? "io_uring" : "nio";
        IoInfo info = rt.ioInfo();
        assertEquals(name, info.backend());
        assertEquals(name, rt.stats().ioBackend());
        assertTrue(info.fallbackReason().isEmpty(), "no fallback when the mode is forced: " + info);
        if (mode == IoMode.URING) {
            for (String op : List.of("RECV", "SEND", "ACCEPT", "CONNECT", "ASYNC_CANCEL")) {
                assertTrue(info.opcodes().contains(op), op + " in " + info.opcodes());
            }
        } else {
            assertTrue(info.opcodes().isEmpty(), "no io_uring opcodes on NIO: " + info.opcodes());
            assertTrue(info.features().isEmpty(), "no io_uring features on NIO: " + info.features());
        }
        // and the backend it names carries a connection
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            assertEquals("pong", call(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    c.writeAll(ByteBuffer.wrap("pong".getBytes()));
                    ByteBuffer in = ByteBuffer.allocate(4);
                    c.readFully(in);
                    return new String(in.array());
                }
            }));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
