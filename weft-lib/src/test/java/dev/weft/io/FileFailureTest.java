package dev.weft.io;

import dev.weft.fs.FileHandle;
import dev.weft.fs.FileOption;
import dev.weft.fs.FsTesting;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinException;
import dev.weft.uring.Abi;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File operations on the io_uring backend when the kernel fails or lacks what they use: a driver
 * that failed fails them with its failure, and the handle still closes its descriptor; a kernel
 * without {@code IORING_OP_OPENAT} and {@code IORING_OP_STATX} gets {@code openat(2)} and
 * {@code statx(2)} on the blocking pool, with the same results and errors.
 */
@Timeout(60)
class FileFailureTest {

    private static final Duration JOIN = Duration.ofSeconds(20);
    private final List<Ring> rings = new CopyOnWriteArrayList<>();
    private FsTesting files;

    @BeforeEach
    void directory() throws IOException {
        files = FsTesting.create();
    }

    @AfterEach
    void realKernelAgain() {
        IoBackends.useKernel(UringKernel.REAL);
        files.close();
    }

    /** Whether a descriptor of this process refers to {@code file}. */
    private static boolean open(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file.toAbsolutePath())) {
                        return true;
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor, closed meanwhile
                }
            }
        }
        return false;
    }

    @Test
    void afterAnEnterErrorFileCallsFailWithTheDriversFailureAndTheHandleStillCloses() throws Exception {
        IoBackends.useKernel(TestKernels.realProbe((entries, features) -> {
            Ring r = UringKernel.REAL.open(entries, features);
            rings.add(r);
            return r;
        }));
        Path p = files.file("data", new byte[8192]);
        try (Weft rt = Weft.start(Config.builder().workers(1).io(IoMode.URING).build())) {
            FileHandle f = rt.spawn(() -> FileHandle.open(p, FileOption.READ)).join(JOIN);
            assertTrue(open(p), "the handle holds a descriptor of the file");
            AtomicInteger calls = new AtomicInteger();
            rings.get(0).injectEnterFault(() -> calls.getAndIncrement() == 0 ? -Errno.EBADF : 0); // the next enter fails
            try {
                rt.spawn(() -> f.read(ByteBuffer.allocate(100), 0)).join(JOIN); // its submit meets the error
            } catch (JoinException e) {
                assertInstanceOf(DriverFailedException.class, e.getCause(), () -> "the read failed with " + e.getCause());
            }
            assertTrue(calls.get() > 0, "the worker entered the kernel");

            JoinException read = assertThrows(JoinException.class,
                    () -> rt.spawn(() -> f.read(ByteBuffer.allocate(100), 0)).join(JOIN));
            DriverFailedException failed = assertInstanceOf(DriverFailedException.class, read.getCause());
            assertTrue(failed.getMessage().contains("EBADF"), failed.getMessage());
            JoinException opening = assertThrows(JoinException.class,
                    () -> rt.spawn(() -> FileHandle.open(p)).join(JOIN));
            assertInstanceOf(DriverFailedException.class, opening.getCause());

            f.close();
            assertFalse(open(p), "closing the handle closed its descriptor");
        }
    }

    /** This machine's kernel as one without {@code OPENAT} and {@code STATX}. */
    private static UringKernel withoutOpenatAndStatx() throws ErrnoException {
        KernelFeatures real = KernelFeatures.probe();
        BitSet ops = real.opcodes();
        ops.clear(Abi.OP_OPENAT);
        ops.clear(Abi.OP_STATX);
        return SimulatedKernel.reporting(new KernelFeatures(real.release() + " without OPENAT and STATX", ops,
                real.features(), real.setupFlags(), real.sparseBuffers(), real.providedBufferRings(),
                real.multishotAccept(), real.cancelAll()));
    }

    @Test
    void withoutOpenatAndStatxOnTheRingFilesOpenAndMeasureOnTheBlockingPool() throws Exception {
        IoBackends.useKernel(withoutOpenatAndStatx());
        Path p = files.path("fallback");
        byte[] content = dev.weft.net.NetTesting.pattern(5000, 1);
        try (Weft rt = Weft.start(Config.builder().workers(1).io(IoMode.URING).build())) {
            assertTrue(rt.ioInfo().kernel().contains("without OPENAT"), rt.ioInfo().kernel());
            long size = rt.spawn(() -> {
                try (FileHandle f = FileHandle.open(p, FileOption.READ, FileOption.WRITE, FileOption.CREATE_NEW)) {
                    f.writeAll(ByteBuffer.wrap(content), 0);
                    ByteBuffer back = ByteBuffer.allocate(content.length);
                    f.readFully(back, 0);
                    assertArrayEquals(content, back.array());
                    return f.size();
                }
            }).join(JOIN);
            assertEquals(content.length, size);
            JoinException missing = assertThrows(JoinException.class,
                    () -> rt.spawn(() -> FileHandle.open(files.path("missing"))).join(JOIN));
            NoSuchFileException e = assertInstanceOf(NoSuchFileException.class, missing.getCause());
            assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        }
        assertFalse(open(p));
    }
}
