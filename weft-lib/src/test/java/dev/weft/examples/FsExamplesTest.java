package dev.weft.examples;

import dev.weft.fs.FileHandle;
import dev.weft.fs.FileOption;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Weft;
import dev.weft.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The javadoc examples of {@code dev.weft.fs}: {@link FileHandle}'s and the package's. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FsExamplesTest {

    /** {@link FileHandle}'s class javadoc: write a file, then read it whole and print it. */
    static void writeThenRead(Path path) throws IOException {
        try (FileHandle f = FileHandle.open(path, FileOption.WRITE, FileOption.CREATE, FileOption.TRUNCATE)) {
            f.writeAll(ByteBuffer.wrap("hello, file".getBytes(StandardCharsets.UTF_8)), 0);
            f.fdatasync();
        }
        try (FileHandle f = FileHandle.open(path, FileOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate((int) f.size());
            f.readFully(buf, 0);
            System.out.println(StandardCharsets.UTF_8.decode(buf.flip())); // hello, file
        }
    }

    @Test
    void theFileHandleExamplePrintsWhatItWrote(@TempDir Path dir) throws Exception {
        String printed = Printed.by(() -> {
            try (Weft rt = Weft.start()) {
                rt.spawn(() -> writeThenRead(dir.resolve("hello.txt"))).join(Duration.ofSeconds(20));
            }
        });
        assertEquals("hello, file", printed.strip());
    }

    /** The package's javadoc: serve one file to the first connection. */
    static InetSocketAddress serveOnce(Path path) throws IOException {
        TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 128);
        Task.spawn(() -> {
            try (listener; TcpStream conn = listener.accept(); FileHandle file = FileHandle.open(path, FileOption.READ)) {
                file.transferTo(0, file.size(), conn); // fewer bytes only if the file shrank meanwhile
            }
        });
        return listener.localAddress();
    }

    @Test
    void thePackageExampleServesTheFilesBytes(@TempDir Path dir) throws Exception {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        Path file = Files.write(dir.resolve("served.bin"), content);
        try (Weft rt = Weft.start()) {
            InetSocketAddress address = rt.spawn(() -> serveOnce(file)).join(Duration.ofSeconds(20));
            try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                client.setSoTimeout(20_000);
                assertArrayEquals(content, client.getInputStream().readAllBytes());
            }
        }
    }

    /** README, "Files on io_uring": a record written at 4096, synced, read back, and the file sent on {@code conn}. */
    static void readmeFiles(Path path, byte[] record, TcpStream conn) throws IOException {
        try (FileHandle f = FileHandle.open(path, FileOption.READ, FileOption.WRITE, FileOption.CREATE)) {
            f.writeAll(ByteBuffer.wrap(record), 4096);        // positional WRITE SQEs: no shared file position
            f.fdatasync();                                    // IORING_OP_FSYNC with DATASYNC
            ByteBuffer buf = ByteBuffer.allocateDirect(record.length);
            int n = f.read(buf, 4096);                        // what the kernel returned; -1 at the end of the file
            f.transferTo(0, f.size(), conn);                  // SPLICE file -> pipe -> socket: no copy through the heap
        }
    }

    @Test
    void theReadmeFileExampleSendsTheFileItWrote(@TempDir Path dir) throws Exception {
        byte[] record = "a record of the log\n".getBytes(StandardCharsets.UTF_8);
        byte[] expected = new byte[4096 + record.length];
        System.arraycopy(record, 0, expected, 4096, record.length);
        try (Weft rt = Weft.start(); ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(20_000);
            var sender = rt.spawn(() -> {
                try (TcpStream conn = TcpStream.connect((InetSocketAddress) server.getLocalSocketAddress(),
                        Duration.ofSeconds(10))) {
                    readmeFiles(dir.resolve("log.bin"), record, conn);
                }
            });
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(20_000);
                assertArrayEquals(expected, peer.getInputStream().readAllBytes());
            }
            sender.join(Duration.ofSeconds(20));
        }
    }
}
