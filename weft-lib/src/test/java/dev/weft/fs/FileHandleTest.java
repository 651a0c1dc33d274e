package dev.weft.fs;

import dev.weft.net.NetTesting;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.weft.net.NetTesting.call;
import static dev.weft.net.NetTesting.pattern;
import static dev.weft.net.NetTesting.run;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FileHandle} on both backends: positional reads and writes with every kind of memory,
 * the end of the file, the open options, bad input and the typed errors.
 */
@Timeout(60)
class FileHandleTest {

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

    private Weft start(IoMode mode) {
        rt = NetTesting.start(mode);
        return rt;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void bytesWrittenAtOffsetsAreReadBackThroughEveryKindOfMemory(IoMode mode) throws Exception {
        Path p = files.path("kinds");
        byte[] a = pattern(10_000, 1);
        byte[] b = pattern(5_000, 2);
        byte[] c = pattern(3_000, 3);
        byte[] d = pattern(2_000, 4);
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(p, FileOption.READ, FileOption.WRITE, FileOption.CREATE);
                 Arena arena = Arena.ofConfined()) {
                f.writeAll(ByteBuffer.wrap(a), 0);                                   // heap buffer
                ByteBuffer direct = ByteBuffer.allocateDirect(b.length).put(b).flip();
                f.writeAll(direct, 20_000);                                          // direct buffer
                MemorySegment nat = arena.allocate(c.length);
                MemorySegment.copy(c, 0, nat, JAVA_BYTE, 0, c.length);
                f.writeAll(nat, 30_000);                                             // native segment
                f.writeAll(MemorySegment.ofArray(d), 40_000);                        // heap segment

                ByteBuffer heapIn = ByteBuffer.allocate(a.length);
                f.readFully(heapIn, 0);
                assertArrayEquals(a, heapIn.array());
                ByteBuffer directIn = ByteBuffer.allocateDirect(b.length);
                f.readFully(directIn, 20_000);
                assertArrayEquals(b, NetTesting.bytes(directIn.flip()));
                MemorySegment natIn = arena.allocate(c.length);
                f.readFully(natIn, 30_000);
                assertArrayEquals(c, natIn.toArray(JAVA_BYTE));
                long[] longs = new long[d.length / 8];
                f.readFully(MemorySegment.ofArray(longs), 40_000);                   // heap segment of longs
                assertArrayEquals(Arrays.copyOf(d, longs.length * 8),
                        MemorySegment.ofArray(longs).toArray(JAVA_BYTE));
                assertEquals(40_000 + d.length, f.size());
            }
        });
        byte[] onDisk = Files.readAllBytes(p);
        assertArrayEquals(a, Arrays.copyOfRange(onDisk, 0, a.length));
        assertArrayEquals(new byte[20_000 - a.length], Arrays.copyOfRange(onDisk, a.length, 20_000), "a hole reads as zeros");
        assertArrayEquals(b, Arrays.copyOfRange(onDisk, 20_000, 20_000 + b.length));
        assertArrayEquals(c, Arrays.copyOfRange(onDisk, 30_000, 30_000 + c.length));
        assertArrayEquals(d, Arrays.copyOfRange(onDisk, 40_000, 40_000 + d.length));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aReadNearTheEndIsShortAndAReadAtTheEndIsMinusOne(IoMode mode) throws Exception {
        Path p = files.file("short", pattern(1000, 5));
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(p)) {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                assertEquals(100, f.read(buf, 900), "the 100 bytes left, not an error");
                assertEquals(100, buf.position());
                assertEquals(-1, f.read(buf.clear(), 1000), "at the end");
                assertEquals(-1, f.read(buf.clear(), 5000), "past the end");
                assertEquals(0, f.read(buf.limit(0), 0), "no room: 0, not the end");
                try (Arena arena = Arena.ofConfined()) {
                    assertEquals(-1, f.read(arena.allocate(16), 1000));
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void readFullyThrowsEofExceptionWhenTheFileEndsFirstKeepingWhatItRead(IoMode mode) throws Exception {
        byte[] content = pattern(1000, 6);
        Path p = files.file("eof", content);
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(p)) {
                ByteBuffer buf = ByteBuffer.allocate(1500);
                EOFException e = assertThrows(EOFException.class, () -> f.readFully(buf, 0));
                assertTrue(e.getMessage().contains("offset 1000") && e.getMessage().contains("500 bytes"), e.getMessage());
                assertEquals(1000, buf.position());
                assertArrayEquals(content, Arrays.copyOf(buf.array(), 1000));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aLargeHeapReadMayBeShortAndReadFullyGetsItAll(IoMode mode) throws Exception {
        byte[] content = pattern(1 << 20, 7);
        Path p = files.file("large", content);
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(p)) {
                ByteBuffer one = ByteBuffer.allocate(content.length);
                int n = f.read(one, 0);
                assertTrue(n > 0 && n <= content.length, "one read moves some bytes: " + n);
                assertArrayEquals(Arrays.copyOf(content, n), Arrays.copyOf(one.array(), n));
                ByteBuffer all = ByteBuffer.allocate(content.length);
                f.readFully(all, 0);
                assertArrayEquals(content, all.array());
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aMissingFileIsNoSuchFileExceptionNamingThePathAndTheErrno(IoMode mode) throws Exception {
        Path p = files.path("missing");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> run(start(mode), () -> FileHandle.open(p).close()));
        assertEquals(p.toString(), e.getFile());
        assertTrue(e.getMessage().contains("ENOENT") && e.getMessage().contains(p.toString()), e.getMessage());
        assertFalse(Files.exists(p), "opening for reading creates nothing");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void createNewOnAnExistingFileIsFileAlreadyExistsException(IoMode mode) throws Exception {
        Path p = files.file("exists", pattern(10, 8));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> run(start(mode), () -> FileHandle.open(p, FileOption.WRITE, FileOption.CREATE_NEW).close()));
        assertTrue(e.getMessage().contains("EEXIST"), e.getMessage());
        assertArrayEquals(pattern(10, 8), Files.readAllBytes(p), "the file is untouched");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void createMakesTheFileAndTruncateEmptiesIt(IoMode mode) throws Exception {
        Path made = files.path("made");
        Path full = files.file("full", pattern(5000, 9));
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(made, FileOption.WRITE, FileOption.CREATE)) {
                assertEquals(0, f.size());
            }
            try (FileHandle f = FileHandle.open(full, FileOption.WRITE, FileOption.TRUNCATE)) {
                assertEquals(0, f.size());
            }
        });
        assertTrue(Files.exists(made));
        assertEquals(0, Files.size(full));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void appendWritesAtTheEndAndRefusesPositionalWrites(IoMode mode) throws Exception {
        Path p = files.file("log", "first.".getBytes());
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(p, FileOption.APPEND)) {
                assertEquals(7, f.append(ByteBuffer.wrap("second.".getBytes())));
                assertEquals(6, f.append(MemorySegment.ofArray("third.".getBytes())));
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> f.write(ByteBuffer.wrap("x".getBytes()), 0));
                assertTrue(e.getMessage().contains("APPEND") && e.getMessage().contains("append(src)"), e.getMessage());
            }
            try (FileHandle f = FileHandle.open(p, FileOption.WRITE)) {
                assertThrows(IllegalStateException.class, () -> f.append(ByteBuffer.wrap("x".getBytes())));
            }
        });
        assertEquals("first.second.third.", Files.readString(p));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aReadOnAWriteOnlyHandleAndAWriteOnAReadOnlyOneFailWithTheJdksTypes(IoMode mode) throws Exception {
        Path p = files.file("access", pattern(100, 10));
        run(start(mode), () -> {
            try (FileHandle w = FileHandle.open(p, FileOption.WRITE); FileHandle r = FileHandle.open(p)) {
                NonReadableChannelException nr = assertThrows(NonReadableChannelException.class,
                        () -> w.read(ByteBuffer.allocate(10), 0));
                assertTrue(nr.getMessage().contains("without READ") && nr.getMessage().contains(p.toString()),
                        nr.getMessage());
                NonWritableChannelException nw = assertThrows(NonWritableChannelException.class,
                        () -> r.write(ByteBuffer.allocate(10), 0));
                assertTrue(nw.getMessage().contains("without WRITE"), nw.getMessage());
            }
        });
        assertArrayEquals(pattern(100, 10), Files.readAllBytes(p));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aNegativeOffsetIsRefusedNamingTheValue(IoMode mode) throws Exception {
        Path p = files.file("negative", pattern(100, 11));
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(p, FileOption.READ, FileOption.WRITE)) {
                IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                        () -> f.read(ByteBuffer.allocate(10), -5));
                assertTrue(r.getMessage().contains("-5"), r.getMessage());
                IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                        () -> f.writeAll(ByteBuffer.allocate(10), -1));
                assertTrue(w.getMessage().contains("-1"), w.getMessage());
                IllegalArgumentException ro = assertThrows(IllegalArgumentException.class,
                        () -> f.read(ByteBuffer.allocate(10).asReadOnlyBuffer(), 0));
                assertTrue(ro.getMessage().contains("read-only"), ro.getMessage());
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void everyCallOnAClosedHandleThrowsClosedChannelException(IoMode mode) throws Exception {
        Path p = files.file("closed", pattern(100, 12));
        run(start(mode), () -> {
            FileHandle f = FileHandle.open(p, FileOption.READ, FileOption.WRITE);
            f.close();
            f.close(); // idempotent
            assertFalse(f.isOpen());
            ClosedChannelException e = assertThrows(ClosedChannelException.class, () -> f.read(ByteBuffer.allocate(1), 0));
            assertTrue(e.getMessage().contains("closed") && e.getMessage().contains(p.toString()), e.getMessage());
            assertThrows(ClosedChannelException.class, () -> f.write(ByteBuffer.allocate(1), 0));
            assertThrows(ClosedChannelException.class, f::size);
            assertThrows(ClosedChannelException.class, f::fsync);
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aReadOfADirectoryFailsWithEisdirAndTheHandleStaysUsable(IoMode mode) throws Exception {
        run(start(mode), () -> {
            try (FileHandle dir = FileHandle.open(files.dir)) {
                FileException e = assertThrows(FileException.class, () -> dir.read(ByteBuffer.allocate(10), 0));
                assertEquals(dev.weft.uring.Errno.EISDIR, e.errno());
                assertTrue(e.getMessage().contains("EISDIR") && e.getMessage().contains(files.dir.toString()),
                        e.getMessage());
                assertTrue(dir.isOpen());
            }
        });
    }

    /**
     * A write the device refuses: {@code /dev/full}, the kernel's own fault device, fails every
     * write with {@code ENOSPC}. The error is typed, names the errno and the path, and the handle
     * stays open and usable (its reads give zeros).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aWriteTheDeviceRefusesFailsWithItsErrnoAndTheHandleStaysUsable(IoMode mode) throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isWritable(full), "needs a writable /dev/full");
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(full, FileOption.READ, FileOption.WRITE)) {
                ByteBuffer src = ByteBuffer.wrap(pattern(100, 21));
                FileException e = assertThrows(FileException.class, () -> f.write(src, 0));
                assertEquals(dev.weft.uring.Errno.ENOSPC, e.errno());
                assertTrue(e.getMessage().contains("ENOSPC") && e.getMessage().contains("/dev/full"), e.getMessage());
                assertEquals(0, src.position(), "nothing was written: the position did not move");
                assertThrows(FileException.class, () -> f.writeAll(ByteBuffer.allocateDirect(10), 0));
                assertTrue(f.isOpen());
                ByteBuffer back = ByteBuffer.allocate(16);
                assertEquals(16, f.read(back, 0));
                assertArrayEquals(new byte[16], back.array(), "reads of /dev/full give zeros");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void openingADirectoryForWritingFailsWithEisdir(IoMode mode) throws Exception {
        FileException e = assertThrows(FileException.class,
                () -> run(start(mode), () -> FileHandle.open(files.dir, FileOption.WRITE).close()));
        assertEquals(dev.weft.uring.Errno.EISDIR, e.errno());
        assertTrue(e.getMessage().contains("open"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aFileAsADirectoryAndAnOverlongNameFailWithTheirErrnos(IoMode mode) throws Exception {
        Path file = files.file("plain", pattern(10, 18));
        start(mode);
        FileException notDir = assertThrows(FileException.class,
                () -> run(rt, () -> FileHandle.open(file.resolve("child")).close()));
        assertEquals(dev.weft.uring.Errno.ENOTDIR, notDir.errno(), notDir.getMessage());
        assertTrue(notDir.getMessage().contains("ENOTDIR") && notDir.getMessage().contains("child"), notDir.getMessage());
        Path tooLong = files.path("x".repeat(300));
        FileException name = assertThrows(FileException.class,
                () -> run(rt, () -> FileHandle.open(tooLong, FileOption.WRITE, FileOption.CREATE).close()));
        assertEquals(dev.weft.uring.Errno.ENAMETOOLONG, name.errno(), name.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void fsyncAndFdatasyncSucceedAndSizeFollowsWrites(IoMode mode) throws Exception {
        Path p = files.path("durable");
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(p, FileOption.WRITE, FileOption.CREATE_NEW)) {
                f.writeAll(ByteBuffer.wrap(pattern(12_345, 13)), 0);
                f.fdatasync();
                f.writeAll(ByteBuffer.wrap(pattern(10, 14)), 100_000);
                f.fsync();
                assertEquals(100_010, f.size());
            }
        });
        assertEquals(100_010, Files.size(p));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void tasksShareAHandleReadingAtTheirOwnOffsets(IoMode mode) throws Exception {
        int chunk = 8192;
        int tasks = 64;
        byte[] content = pattern(chunk * tasks, 15);
        Path p = files.file("shared", content);
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(p)) {
                List<JoinHandle<byte[]>> readers = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    long at = (long) i * chunk;
                    readers.add(Task.spawn(() -> {
                        ByteBuffer b = (at / chunk) % 2 == 0 ? ByteBuffer.allocate(chunk) : ByteBuffer.allocateDirect(chunk);
                        f.readFully(b, at);
                        return NetTesting.bytes(b.flip());
                    }));
                }
                for (int i = 0; i < tasks; i++) {
                    assertArrayEquals(Arrays.copyOfRange(content, i * chunk, (i + 1) * chunk), NetTesting.join(readers.get(i)),
                            "chunk " + i);
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aTaskCancelledWhileReadingLeavesTheSharedHandleOpen(IoMode mode) throws Exception {
        // A sparse file read in large pieces: each read takes long enough that the cancellation
        // lands while one runs (on NIO an interrupt of the thread in a FileChannel call would
        // close the channel, for every task that shares it)
        Path p = files.path("cancel");
        long size = 1L << 30;
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(size);
        }
        Weft w = start(mode);
        FileHandle f = call(w, () -> FileHandle.open(p));
        try {
            JoinHandle<Void> reader = w.spawn(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(64 << 20);
                for (long i = 0; ; i++) {
                    f.read(b.clear(), (i * b.capacity()) % size);
                    if (Thread.currentThread().isInterrupted()) {
                        return null; // cancelled between reads, or during one whose result stood
                    }
                }
            });
            Thread.sleep(100);
            reader.cancel();
            try {
                NetTesting.join(reader);
            } catch (java.io.InterruptedIOException | java.util.concurrent.CancellationException expected) {
                // cancelled before a read started
            } catch (dev.weft.task.JoinException expected) {
                // cancelled: the task ended by its cancellation
            }
            assertTrue(f.isOpen(), "cancelling one task does not close a handle others share");
            int n = call(w, () -> f.read(ByteBuffer.allocate(100), 0));
            assertEquals(100, n);
        } finally {
            f.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void optionsThatCannotGoTogetherAreRefusedBeforeOpening(IoMode mode) throws Exception {
        Path p = files.path("options");
        run(start(mode), () -> {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> FileHandle.open(p, FileOption.READ, FileOption.APPEND))
                    .getMessage().contains("READ and APPEND"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> FileHandle.open(p, FileOption.CREATE))
                    .getMessage().contains("CREATE needs WRITE"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> FileHandle.open(p, FileOption.APPEND, FileOption.TRUNCATE))
                    .getMessage().contains("APPEND and TRUNCATE"));
        });
        assertFalse(Files.exists(p));
    }

    @Test
    void aCallFromOutsideATaskSaysSo() throws Exception {
        Path p = files.file("outside", pattern(10, 17));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FileHandle.open(p));
        assertTrue(e.getMessage().contains("FileHandle.open") && e.getMessage().contains("weft task"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aHeapSegmentOfLongsIsWrittenAsItsBytes(IoMode mode) throws Exception {
        Path p = files.path("longs");
        long[] values = {1L, -1L, 0x0102030405060708L};
        run(start(mode), () -> {
            try (FileHandle f = FileHandle.open(p, FileOption.WRITE, FileOption.CREATE)) {
                f.writeAll(MemorySegment.ofArray(values), 0);
            }
        });
        MemorySegment back = MemorySegment.ofArray(Files.readAllBytes(p));
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], back.getAtIndex(JAVA_LONG.withByteAlignment(1), i));
        }
    }
}
