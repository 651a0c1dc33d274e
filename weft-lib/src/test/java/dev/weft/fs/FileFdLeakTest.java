package dev.weft.fs;

import dev.weft.net.NetTesting;
import dev.weft.net.TcpStream;
import dev.weft.runtime.IoMode;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.weft.net.NetTesting.assertLeaksNothing;
import static dev.weft.net.NetTesting.pattern;
import static dev.weft.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * No file descriptor outlives its use: after a runtime that opened, used, failed to open, failed
 * to read, closed under other tasks' reads, and sent files to sockets has shut down, the count
 * of {@code /proc/self/fd} is what it was before it started
 * ({@link NetTesting#assertLeaksNothing}, which runs the scenario once first, so that what the
 * JVM opens once and keeps is in the baseline).
 */
@Timeout(120)
class FileFdLeakTest {

    private FsTesting files;

    @BeforeEach
    void directory() throws Exception {
        files = FsTesting.create();
    }

    @AfterEach
    void clean() {
        files.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void openReadWriteFailAndCloseLeaveNoDescriptor(IoMode mode) throws Exception {
        assertLeaksNothing(mode, rt -> run(rt, () -> {
            List<JoinHandle<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Path p = files.path("f" + i);
                tasks.add(Task.spawn(() -> {
                    try (FileHandle f = FileHandle.open(p, FileOption.READ, FileOption.WRITE, FileOption.CREATE,
                            FileOption.TRUNCATE)) {
                        f.writeAll(ByteBuffer.wrap(pattern(10_000, 2)), 0);
                        f.readFully(ByteBuffer.allocate(10_000), 0);
                        f.fdatasync();
                    }
                    assertThrows(java.nio.file.NoSuchFileException.class, () -> FileHandle.open(files.path("none")));
                    assertThrows(java.nio.file.FileAlreadyExistsException.class,
                            () -> FileHandle.open(p, FileOption.WRITE, FileOption.CREATE_NEW));
                    try (FileHandle dir = FileHandle.open(files.dir)) {
                        assertThrows(FileException.class, () -> dir.read(ByteBuffer.allocate(1), 0)); // EISDIR
                    }
                    return null;
                }));
            }
            for (JoinHandle<Void> t : tasks) {
                NetTesting.join(t);
            }
        }));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aHandleClosedWhileOtherTasksReadIsReleasedOnceTheyEnd(IoMode mode) throws Exception {
        Path existing = files.file("busy", pattern(1 << 20, 3));
        assertLeaksNothing(mode, rt -> run(rt, () -> {
            FileHandle f = FileHandle.open(existing);
            List<JoinHandle<Void>> readers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                readers.add(Task.spawn(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
                    try {
                        for (int n = 0; n < 1000; n++) {
                            f.read(b.clear(), (n * 65536L) % (1 << 20));
                        }
                    } catch (java.nio.channels.ClosedChannelException expected) {
                        // closed under it: before a read, or while one waited
                    }
                    return null;
                }));
            }
            Task.sleep(Duration.ofMillis(20));
            f.close();
            for (JoinHandle<Void> r : readers) {
                NetTesting.join(r);
            }
        }));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void transfersToSocketsLeaveNoPipeOrSocketBehind(IoMode mode) throws Exception {
        Path served = files.file("served", pattern(200_000, 4));
        assertLeaksNothing(mode, rt -> {
            try (ServerSocket server = NetTesting.jdkListener()) {
                for (int i = 0; i < 5; i++) {
                    JoinHandle<Long> sender = rt.spawn(() -> {
                        try (TcpStream conn = TcpStream.connect(NetTesting.addressOf(server), NetTesting.CONNECT);
                             FileHandle f = FileHandle.open(served)) {
                            return f.transferTo(0, 200_000, conn);
                        }
                    });
                    try (Socket peer = server.accept()) {
                        peer.setSoTimeout(20_000);
                        assertEquals(200_000, peer.getInputStream().readAllBytes().length);
                    }
                    assertEquals(200_000L, NetTesting.join(sender));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }
}
