package dev.weft.fs;

import dev.weft.net.NetException;
import dev.weft.net.NetTesting;
import dev.weft.net.TcpStream;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.addressOf;
import static dev.weft.net.NetTesting.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FileHandle#transferTo} over loopback, on both backends: a plain JDK socket on the other
 * end reads what arrives and checks it byte for byte.
 */
@Timeout(60)
class TransferToTest {

    private static final int SIZE = (1 << 20) + 123;

    private Weft rt;
    private FsTesting files;
    private Path file;
    private final byte[] content = pattern(SIZE, 1);

    @BeforeEach
    void directory() throws Exception {
        files = FsTesting.create();
        file = files.file("served", content);
    }

    @AfterEach
    void stop() throws Exception {
        NetTesting.stop(rt);
        files.close();
    }

    /** What a weft task's {@code body} sends over a fresh connection; the JDK peer reads until the task closes it. */
    private byte[] received(IoMode mode, Sender body) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket server = NetTesting.jdkListener()) {
            JoinHandle<Long> sender = rt.spawn(() -> {
                try (TcpStream conn = TcpStream.connect(addressOf(server), CONNECT);
                     FileHandle f = FileHandle.open(file)) {
                    return body.send(f, conn);
                }
            });
            byte[] got;
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(20_000);
                got = peer.getInputStream().readAllBytes();
            }
            assertEquals(got.length, (long) NetTesting.join(sender), "transferTo returned the count sent");
            return got;
        }
    }

    @FunctionalInterface
    private interface Sender {
        long send(FileHandle f, TcpStream conn) throws IOException;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void theWholeFileArrivesIntact(IoMode mode) throws Exception {
        byte[] got = received(mode, (f, conn) -> f.transferTo(0, f.size(), conn));
        assertArrayEquals(content, got);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aRangeSendsExactlyItsBytes(IoMode mode) throws Exception {
        byte[] got = received(mode, (f, conn) -> f.transferTo(1000, 70_000, conn));
        assertArrayEquals(Arrays.copyOfRange(content, 1000, 71_000), got);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aRangePastTheEndSendsWhatTheFileHas(IoMode mode) throws Exception {
        byte[] got = received(mode, (f, conn) -> {
            assertEquals(0, f.transferTo(SIZE + 10, 100, conn), "past the end: nothing");
            return f.transferTo(SIZE - 10, 100, conn);
        });
        assertArrayEquals(Arrays.copyOfRange(content, SIZE - 10, SIZE), got);
    }

    /**
     * A file many times larger than what the connection buffers, to a peer with a small receive
     * buffer that reads a few KiB at a time: the transfer waits whenever the socket's send buffer
     * is full (a blocking SPLICE on io_uring, a wait for writability on NIO) and every byte arrives.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aSlowReaderGetsEveryByteOfAFileLargerThanTheSocketBuffers(IoMode mode) throws Exception {
        byte[] big = pattern(24 << 20, 5);
        Path large = files.file("large", big);
        rt = NetTesting.start(mode);
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(8192); // accepted sockets inherit it
            server.bind(NetTesting.LOOPBACK_ANY_PORT);
            server.setSoTimeout(15_000);
            JoinHandle<Long> sender = rt.spawn(() -> {
                try (TcpStream conn = TcpStream.connect(addressOf(server), CONNECT);
                     FileHandle f = FileHandle.open(large)) {
                    return f.transferTo(0, big.length, conn);
                }
            });
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream(big.length);
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(20_000);
                byte[] piece = new byte[4096];
                for (int n; (n = peer.getInputStream().read(piece)) > 0; ) {
                    got.write(piece, 0, n);
                }
            }
            assertEquals((long) big.length, NetTesting.join(sender), "transferTo returned the count sent");
            assertArrayEquals(big, got.toByteArray());
        }
    }

    /**
     * A transfer stuck on a peer that never reads ends when its task is cancelled, while the peer
     * still holds the connection open: the task ends cancelled or with
     * {@link java.io.InterruptedIOException}, not with a socket or file error, and the file handle
     * stays usable for other tasks.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aTransferStuckOnAPeerThatNeverReadsEndsWhenItsTaskIsCancelled(IoMode mode) throws Exception {
        Path sparse = files.path("sparse");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            raf.setLength(256L << 20); // far more than the connection buffers
        }
        rt = NetTesting.start(mode);
        try (ServerSocket server = NetTesting.jdkListener()) {
            FileHandle f = NetTesting.call(rt, () -> FileHandle.open(sparse));
            try {
                java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
                JoinHandle<Long> sender = rt.spawn(() -> {
                    try (TcpStream conn = TcpStream.connect(addressOf(server), CONNECT)) {
                        sending.countDown();
                        return f.transferTo(0, 256L << 20, conn);
                    } finally {
                        ended.countDown();
                    }
                });
                try (Socket peer = server.accept()) { // never reads
                    assertTrue(sending.await(20, java.util.concurrent.TimeUnit.SECONDS), "the sender connected");
                    Thread.sleep(200); // the buffers fill and the transfer waits (no assertion depends on it)
                    sender.cancel();
                    try {
                        long sent = NetTesting.join(sender);
                        throw new AssertionError("the transfer ended by itself after " + sent + " bytes");
                    } catch (java.io.InterruptedIOException expected) {
                        // cancelled while it waited
                    } catch (dev.weft.task.JoinException e) {
                        assertTrue(e.isCancelled(), () -> "the task ended by its cancellation, not by " + e.getCause());
                    }
                    assertTrue(ended.await(20, java.util.concurrent.TimeUnit.SECONDS),
                            "the transfer ended while the peer still held the connection open");
                }
                assertTrue(f.isOpen(), "the handle stays open");
                assertEquals(100, NetTesting.call(rt, () -> f.read(java.nio.ByteBuffer.allocate(100), 0)));
            } finally {
                f.close();
            }
        }
    }

    /**
     * A transfer to a peer that never reads ends with {@link dev.weft.net.IoTimeoutException} once
     * a wait for the socket passes the stream's write timeout, while the peer still holds the
     * connection open.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aTransferStuckOnAPeerThatNeverReadsEndsAtTheWriteTimeout(IoMode mode) throws Exception {
        Path sparse = files.path("sparse");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            raf.setLength(256L << 20); // far more than the connection buffers
        }
        rt = NetTesting.start(mode);
        try (ServerSocket server = NetTesting.jdkListener()) {
            JoinHandle<Long> sender = rt.spawn(() -> {
                try (TcpStream conn = TcpStream.connect(addressOf(server), CONNECT);
                     FileHandle f = FileHandle.open(sparse)) {
                    conn.writeTimeout(java.time.Duration.ofMillis(300));
                    return f.transferTo(0, 256L << 20, conn);
                }
            });
            try (Socket peer = server.accept()) { // never reads, holds the connection open
                try {
                    long sent = NetTesting.join(sender);
                    throw new AssertionError("the transfer ended by itself after " + sent + " bytes");
                } catch (dev.weft.net.IoTimeoutException expected) {
                    assertTrue(expected.getMessage().contains("transferTo"), expected.getMessage());
                }
            }
        }
    }

    /** A file that cannot be read (a directory) fails the transfer with the file's typed error, naming its path. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aFileThatCannotBeReadFailsTheTransferWithTheFilesError(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket server = NetTesting.jdkListener()) {
            JoinHandle<Long> sender = rt.spawn(() -> {
                try (TcpStream conn = TcpStream.connect(addressOf(server), CONNECT);
                     FileHandle dir = FileHandle.open(files.dir)) {
                    return dir.transferTo(0, 4096, conn);
                }
            });
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(20_000);
                FileException e = assertThrows(FileException.class, () -> NetTesting.join(sender));
                assertTrue(e.getMessage().contains("transferTo") && e.getMessage().contains(files.dir.toString()),
                        e.getMessage());
                assertTrue(e.errno() > 0, e.getMessage());
                assertEquals(-1, peer.getInputStream().read(), "nothing was sent");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aPeerThatResetTheConnectionFailsTheTransferWithANetException(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket server = NetTesting.jdkListener()) {
            java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
            JoinHandle<Void> sender = rt.spawn(() -> {
                try (TcpStream conn = TcpStream.connect(addressOf(server), CONNECT);
                     FileHandle f = FileHandle.open(file)) {
                    connected.countDown(); // the reset must meet the transfers, not the connect
                    for (int i = 0; i < 1000; i++) { // until the reset arrives: bounded
                        f.transferTo(0, SIZE, conn);
                    }
                }
                return null;
            });
            try (Socket peer = server.accept()) {
                assertTrue(connected.await(20, java.util.concurrent.TimeUnit.SECONDS), "the sender connected");
                peer.setSoLinger(true, 0); // close with a reset
            }
            NetException e = assertThrows(NetException.class, () -> NetTesting.join(sender));
            assertTrue(e.getMessage().contains("transferTo") && e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.errno() > 0, "names the errno: " + e.getMessage());
        }
    }
}
