package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.EchoServer;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static dev.weft.net.NetTesting.addressOf;
import static dev.weft.net.NetTesting.ascii;
import static dev.weft.net.NetTesting.jdkListener;
import static dev.weft.net.NetTesting.call;
import static dev.weft.net.NetTesting.join;
import static dev.weft.net.NetTesting.pattern;
import static dev.weft.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TcpStream#inputStream()} and {@link TcpStream#outputStream()} keep the JDK's stream
 * contracts, so that codecs written for {@code java.io} run on a weft connection; and a stream
 * is a {@link java.nio.channels.ByteChannel} that the JDK's channel adapters accept. On both
 * backends; the peer is a weft task or a plain {@link Socket} on a platform thread.
 */
class StreamViewsTest {

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void dataStreamsRoundTripThroughAnEchoServer(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(c.outputStream()));
                    DataInputStream in = new DataInputStream(new BufferedInputStream(c.inputStream()));
                    for (int i = 0; i < 200; i++) {
                        out.writeInt(i);
                        out.writeLong(i * 0x1_0000_0001L);
                        out.writeUTF("record " + i + " \u00fc\u20ac");
                    }
                    out.flush();
                    for (int i = 0; i < 200; i++) {
                        assertEquals(i, in.readInt());
                        assertEquals(i * 0x1_0000_0001L, in.readLong());
                        assertEquals("record " + i + " \u00fc\u20ac", in.readUTF());
                    }
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void objectStreamsRoundTripThroughAnEchoServer(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    Map<String, List<Integer>> sent = new TreeMap<>();
                    for (int i = 0; i < 50; i++) {
                        sent.put("key" + i, List.of(i, i * i, -i));
                    }
                    ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(c.outputStream()));
                    out.writeObject(sent);
                    out.writeObject(pattern(10_000, 3));
                    out.flush();
                    ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(c.inputStream()));
                    assertEquals(sent, in.readObject());
                    assertArrayEquals(pattern(10_000, 3), (byte[]) in.readObject());
                }
            });
        }
    }

    /** A line-oriented weft server (BufferedReader, Writer) answers a plain JDK client line for line. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void aLineServerOnReadersAndWritersAnswersAJdkClient(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        TcpListener l = call(rt, () -> TcpListener.bind(LOOPBACK_ANY_PORT, 4));
        try (l) {
            JoinHandle<Integer> server = rt.spawn(() -> {
                try (TcpStream s = l.accept();
                     BufferedReader r = new BufferedReader(new InputStreamReader(s.inputStream(), StandardCharsets.UTF_8));
                     Writer w = new BufferedWriter(new OutputStreamWriter(s.outputStream(), StandardCharsets.UTF_8))) {
                    int lines = 0;
                    for (String line; (line = r.readLine()) != null; lines++) {
                        w.write(line.toUpperCase(Locale.ROOT));
                        w.write('\n');
                        w.flush();
                    }
                    return lines;
                }
            });
            try (Socket client = new Socket()) {
                client.connect(l.localAddress(), 10_000);
                client.setSoTimeout(20_000);
                PrintWriter w = new PrintWriter(new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8));
                for (int i = 0; i < 100; i++) {
                    w.print("line " + i + " stra\u00dfe\n");
                }
                w.flush();
                client.shutdownOutput();
                BufferedReader r = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                for (int i = 0; i < 100; i++) {
                    assertEquals("LINE " + i + " STRASSE", r.readLine());
                }
                assertNull(r.readLine(), "the server closed after the client's end of stream");
            }
            assertEquals(100, join(server));
        }
    }

    /** The single-byte read returns 0..255 and -1 at end of stream, and every later read -1 again. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void readsReturnUnsignedBytesThenMinusOneAtEndOfStream(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket peer = jdkListener()) {
            JoinHandle<List<Integer>> client = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect(addressOf(peer), CONNECT)) {
                    InputStream in = c.inputStream();
                    List<Integer> got = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        got.add(in.read());
                    }
                    got.add(in.read(new byte[8], 0, 8));
                    got.add(in.read(new byte[8]));
                    got.add(in.readAllBytes().length);
                    got.add(in.read());
                    return got;
                }
            });
            try (Socket s = peer.accept()) {
                s.getOutputStream().write(new byte[] {1, 0, (byte) 200});
                s.shutdownOutput();
                assertEquals(List.of(1, 0, 200, -1, -1, -1, 0, -1), join(client));
            }
        }
    }

    /**
     * {@code read(b, off, 0)} returns 0 at once (a silent peer: waiting would be a hang, caught by
     * the timeout); bad ranges throw {@link IndexOutOfBoundsException} naming them and consume nothing.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void zeroLengthReadsReturnZeroAndBadRangesThrow(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket peer = jdkListener()) {
            JoinHandle<Integer> client = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect(addressOf(peer), CONNECT)) {
                    InputStream in = c.inputStream();
                    OutputStream out = c.outputStream();
                    byte[] b = new byte[4];
                    assertEquals(0, in.read(b, 2, 0));
                    assertEquals(0, in.read(new byte[0]));
                    out.write(b, 4, 0); // writes nothing, returns
                    for (int[] range : new int[][] {{-1, 1}, {2, 3}, {0, 5}, {5, 0}, {1, -1}}) {
                        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                                () -> in.read(b, range[0], range[1]));
                        assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
                        assertThrows(IndexOutOfBoundsException.class, () -> out.write(b, range[0], range[1]));
                    }
                    assertThrows(NullPointerException.class, () -> in.read(null, 0, 1));
                    assertThrows(NullPointerException.class, () -> out.write(null, 0, 1));
                    out.write('>'); // the peer answers once it has this: nothing else was sent before
                    return in.read();
                }
            });
            try (Socket s = peer.accept()) {
                s.setSoTimeout(20_000);
                assertEquals('>', s.getInputStream().read());
                s.getOutputStream().write('x');
                assertEquals('x', join(client));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void closingTheInputStreamClosesTheConnection(IoMode mode) throws Exception {
        closingAViewClosesTheConnection(mode, true);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void closingTheOutputStreamClosesTheConnection(IoMode mode) throws Exception {
        closingAViewClosesTheConnection(mode, false);
    }

    /** Closing one view closes the stream: the peer reads end of stream, and both views throw ClosedChannelException. */
    private void closingAViewClosesTheConnection(IoMode mode, boolean input) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket peer = jdkListener()) {
            TcpStream c = call(rt, () -> TcpStream.connect(addressOf(peer), CONNECT));
            try (Socket s = peer.accept()) {
                s.setSoTimeout(20_000);
                run(rt, () -> {
                    if (input) {
                        c.inputStream().close();
                    } else {
                        c.outputStream().close();
                    }
                    assertTrue(c.isClosed());
                    assertFalse(c.isOpen());
                    assertClosed(() -> c.inputStream().read(), "read");
                    assertClosed(() -> c.inputStream().read(new byte[4]), "read");
                    assertClosed(() -> c.inputStream().available(), "available");
                    assertClosed(() -> c.outputStream().write(1), "write");
                    assertClosed(() -> c.outputStream().write(new byte[4]), "write");
                    c.outputStream().flush(); // nothing to flush: closing a writer over a closed stream only closes
                    c.inputStream().close(); // idempotent
                    c.outputStream().close();
                });
                assertEquals(-1, s.getInputStream().read(), "the peer sees the connection's end");
            }
        }
    }

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    private static void assertClosed(Op op, String call) {
        ClosedChannelException e = assertThrows(ClosedChannelException.class, op::run);
        assertTrue(e.getMessage().startsWith(call + " on TcpStream(") && e.getMessage().contains("closed"),
                e.getMessage());
    }

    /**
     * A read past the read timeout throws {@link IoTimeoutException}, as a read on the stream does,
     * and the stream still works afterwards (as a {@link Socket}'s after its SO_TIMEOUT).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void aReadPastItsTimeoutThrowsAndTheStreamStaysUsable(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket peer = jdkListener()) {
            java.util.concurrent.CountDownLatch timedOut = new java.util.concurrent.CountDownLatch(1);
            JoinHandle<Integer> client = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect(addressOf(peer), CONNECT)) {
                    c.readTimeout(Duration.ofMillis(100));
                    InputStream in = new BufferedInputStream(c.inputStream());
                    IoTimeoutException e = assertThrows(IoTimeoutException.class, in::read);
                    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
                    timedOut.countDown();
                    c.readTimeout(Duration.ofSeconds(20));
                    return in.read();
                }
            });
            try (Socket s = peer.accept()) {
                assertTrue(timedOut.await(20, java.util.concurrent.TimeUnit.SECONDS));
                s.getOutputStream().write('z');
                assertEquals('z', join(client));
            }
        }
    }

    /** A write to a peer that reads nothing ends with {@link IoTimeoutException} once the socket buffers are full. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void aWritePastItsTimeoutThrows(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket peer = jdkListener()) {
            JoinHandle<IoTimeoutException> client = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect(addressOf(peer), CONNECT)) {
                    c.writeTimeout(Duration.ofMillis(100));
                    OutputStream out = c.outputStream();
                    byte[] chunk = new byte[1 << 20];
                    for (int i = 0; i < 256; i++) {
                        try {
                            out.write(chunk);
                        } catch (IoTimeoutException e) {
                            return e;
                        }
                    }
                    throw new AssertionError("256 MiB went to a peer that reads nothing");
                }
            });
            try (Socket s = peer.accept()) {
                IoTimeoutException e = join(client);
                assertTrue(e.getMessage().contains("timed out"), e.getMessage());
                assertFalse(s.isClosed());
            }
        }
    }

    /** {@code write(byte[])} writes every byte before it returns, however large; a reading task gets them all in order. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void aLargeWriteIsWrittenWhole(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            byte[] msg = pattern(4 << 20, 7);
            byte[] back = call(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    JoinHandle<byte[]> reader = Task.spawn(() -> c.inputStream().readNBytes(msg.length));
                    c.outputStream().write(msg);
                    c.shutdownOutput();
                    byte[] got = join(reader);
                    assertEquals(-1, c.inputStream().read(), "nothing beyond what was sent");
                    return got;
                }
            });
            assertArrayEquals(msg, back);
        }
    }

    /** The JDK's channel adapters take a stream as the {@link java.nio.channels.ByteChannel} it is. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void jdkChannelAdaptersWorkOnAStream(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    assertTrue(c.isOpen());
                    byte[] msg = pattern(100_000, 9);
                    JoinHandle<byte[]> reader = Task.spawn(() -> Channels.newInputStream(c).readNBytes(msg.length));
                    Channels.newOutputStream(c).write(msg);
                    assertArrayEquals(msg, join(reader));
                    ByteBuffer rest = ByteBuffer.allocate(1);
                    c.shutdownOutput();
                    assertEquals(-1, c.read(rest));
                }
            });
        }
    }

    /** As a {@link GatheringByteChannel}, a stream writes the buffers in the range given, in order, and only those. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void aGatheringWriteSendsOnlyItsRange(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            run(rt, () -> {
                try (TcpStream c = TcpStream.connect(addr, CONNECT)) {
                    GatheringByteChannel ch = c;
                    ByteBuffer[] srcs = {ascii("skip"), ascii("one,"), ascii("two"), ascii("skip")};
                    assertThrows(IndexOutOfBoundsException.class, () -> ch.write(srcs, 3, 2));
                    assertThrows(IndexOutOfBoundsException.class, () -> ch.write(srcs, -1, 1));
                    assertEquals(0, ch.write(srcs, 2, 0));
                    long sent = 0;
                    while (srcs[1].hasRemaining() || srcs[2].hasRemaining()) {
                        sent += ch.write(srcs, 1, 2);
                    }
                    assertEquals(7, sent);
                    assertEquals(4, srcs[0].remaining(), "outside the range: untouched");
                    assertEquals(4, srcs[3].remaining(), "outside the range: untouched");
                    ByteBuffer back = ByteBuffer.allocate(7);
                    c.readFully(back);
                    assertEquals("one,two", new String(back.array(), StandardCharsets.US_ASCII));
                }
            });
        }
    }

    /** The views are the stream's own: the same each time, and usable from weft tasks only, saying so. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void viewsAreUsedFromWeftTasks(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            TcpStream c = call(rt, () -> TcpStream.connect(addr, CONNECT));
            try (c) {
                assertSame(c.inputStream(), c.inputStream());
                assertSame(c.outputStream(), c.outputStream());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.outputStream().write(1));
                assertTrue(e.getMessage().contains("weft task"), e.getMessage());
                e = assertThrows(IllegalStateException.class, () -> c.inputStream().read());
                assertTrue(e.getMessage().contains("weft task"), e.getMessage());
                run(rt, () -> {
                    c.outputStream().write(42);
                    assertEquals(42, c.inputStream().read());
                });
            }
        }
    }
}
