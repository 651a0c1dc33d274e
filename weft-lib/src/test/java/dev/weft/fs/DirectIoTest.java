package dev.weft.fs;

import dev.weft.net.NetTesting;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.uring.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.weft.net.NetTesting.call;
import static dev.weft.net.NetTesting.pattern;
import static dev.weft.net.NetTesting.run;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FileOption#DIRECT} ({@code O_DIRECT}) on both backends, on a file under the build
 * directory: the alignment is found at open, aligned transfers round-trip, and a misaligned
 * address, offset or length fails before submission with a message naming the value and the
 * alignment. Skipped, with the reason, where the build directory's file system refuses direct I/O.
 */
@Timeout(60)
class DirectIoTest {

    private Weft rt;
    private FsTesting files;

    @BeforeEach
    void directory() throws Exception {
        files = FsTesting.create();
    }

    @AfterEach
    void stop() throws Exception {
        NetTesting.stop(rt);
        files.close();
    }

    /** Opens {@code p} with DIRECT and the other options in a task; skips the test where the file system refuses it. */
    private FileHandle openDirect(IoMode mode, Path p, FileOption... more) throws Exception {
        rt = NetTesting.start(mode);
        FileOption[] options = Arrays.copyOf(more, more.length + 1);
        options[more.length] = FileOption.DIRECT;
        try {
            return call(rt, () -> FileHandle.open(p, options));
        } catch (FileException e) {
            Assumptions.assumeFalse(e.errno() == Errno.EINVAL,
                    "the file system of " + p + " refuses O_DIRECT: " + e.getMessage());
            throw e;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void theAlignmentIsFoundAtOpenAndSaysWhereItCameFrom(IoMode mode) throws Exception {
        Path p = files.file("align", pattern(8192, 1));
        try (FileHandle f = openDirect(mode, p, FileOption.READ)) {
            DirectAlignment a = f.directAlignment().orElseThrow();
            assertTrue(a.memory() > 0 && Integer.bitCount(a.memory()) == 1, "a power of two: " + a);
            assertTrue(a.offset() > 0 && Integer.bitCount(a.offset()) == 1, "a power of two: " + a);
            assertFalse(a.source().isBlank());
        }
        run(rt, () -> {
            try (FileHandle plain = FileHandle.open(p)) {
                assertTrue(plain.directAlignment().isEmpty(), "no DIRECT, no alignment");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void alignedTransfersOfNativeAndHeapMemoryRoundTrip(IoMode mode) throws Exception {
        Path p = files.path("roundtrip");
        byte[] content = pattern(64 * 1024, 2);
        try (FileHandle f = openDirect(mode, p, FileOption.READ, FileOption.WRITE, FileOption.CREATE)) {
            DirectAlignment a = f.directAlignment().orElseThrow();
            int block = Math.max(a.memory(), a.offset());
            run(rt, () -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment out = arena.allocate(content.length, block);
                    MemorySegment.copy(content, 0, out, JAVA_BYTE, 0, content.length);
                    f.writeAll(out, 0);
                    MemorySegment in = arena.allocate(content.length, block);
                    f.readFully(in, 0);
                    assertArrayEquals(content, in.toArray(JAVA_BYTE));
                    ByteBuffer heap = ByteBuffer.allocate(block);
                    f.readFully(heap, block); // heap memory goes through aligned native memory
                    assertArrayEquals(Arrays.copyOfRange(content, block, 2 * block), heap.array());
                }
            });
        }
        assertArrayEquals(content, Files.readAllBytes(p));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aMisalignedOffsetFailsNamingItAndTheAlignment(IoMode mode) throws Exception {
        Path p = files.file("offset", pattern(64 * 1024, 3));
        try (FileHandle f = openDirect(mode, p, FileOption.READ)) {
            DirectAlignment a = f.directAlignment().orElseThrow();
            long offset = a.offset() / 2;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(rt, () -> {
                try (Arena arena = Arena.ofConfined()) {
                    f.read(arena.allocate(a.offset(), Math.max(a.memory(), a.offset())), offset);
                }
            }));
            assertTrue(e.getMessage().contains("offset " + offset) && e.getMessage().contains(String.valueOf(a.offset()))
                    && e.getMessage().contains(a.source()), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aMisalignedLengthFailsNamingItAndTheAlignment(IoMode mode) throws Exception {
        Path p = files.file("length", pattern(64 * 1024, 4));
        try (FileHandle f = openDirect(mode, p, FileOption.READ)) {
            DirectAlignment a = f.directAlignment().orElseThrow();
            int length = a.offset() + 1;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(rt, () -> {
                try (Arena arena = Arena.ofConfined()) {
                    f.read(arena.allocate(length, Math.max(a.memory(), a.offset())), 0);
                }
            }));
            assertTrue(e.getMessage().contains("length " + length) && e.getMessage().contains(String.valueOf(a.offset())),
                    e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aMisalignedBufferAddressFailsNamingItAndTheAlignment(IoMode mode) throws Exception {
        Path p = files.path("address");
        try (FileHandle f = openDirect(mode, p, FileOption.WRITE, FileOption.CREATE)) {
            DirectAlignment a = f.directAlignment().orElseThrow();
            Assumptions.assumeTrue(a.memory() > 1, "this file system takes direct I/O from any address: " + a);
            int block = Math.max(a.memory(), a.offset());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(rt, () -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment shifted = arena.allocate(2L * block, block).asSlice(1, block); // address off by one
                    f.write(shifted, 0);
                }
            }));
            assertTrue(e.getMessage().contains("address 0x") && e.getMessage().contains(String.valueOf(a.memory())),
                    e.getMessage());
            assertEquals(0, Files.size(p), "nothing was submitted");
        }
    }
}
