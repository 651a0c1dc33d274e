package dev.weft.ioqueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A producer in another process, in C against {@code ioqueue.h} alone: it maps the queue file and
 * a destination file under {@code /dev/shm}, publishes a write, a fence, a read and a bad read,
 * and checks its results and the bytes that came back; this test checks the bytes that landed in
 * the file and in its own mapping of the destination. gcc must be installed ({@code ./test}
 * installs it with apt-get when it runs as root and finds none).
 */
@Timeout(120)
class CProducerTest {

    static final Path SOURCE = Path.of("src/test/resources/dev/weft/ioqueue/producer.c");
    static final Path INCLUDE = QueueAbiTest.HEADER.getParent();
    static final int LENGTH = 8192;
    static final long OFFSET = 12288;
    static final int SRC = 4;
    static final int WDST = 10;
    static final int RDST = 11;

    @TempDir
    Path dir;

    /** Runs a command, at most 60 s; its exit code and output. */
    static String[] run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
            fail("did not finish in 60 s: " + command);
        }
        return new String[] {Integer.toString(p.exitValue()), new String(p.getInputStream().readAllBytes())};
    }

    /** Compiles the producer; fails (does not skip) where gcc is missing, saying how to get it. */
    private Path compile() throws IOException, InterruptedException {
        Path binary = dir.resolve("producer");
        List<String> command = List.of("gcc", "-std=gnu11", "-O1", "-Wall", "-Wextra", "-Werror",
                "-I", INCLUDE.toAbsolutePath().toString(), "-o", binary.toString(), SOURCE.toAbsolutePath().toString());
        String[] result;
        try {
            result = run(command);
        } catch (IOException e) {
            throw new AssertionError("gcc is not installed, and this test compiles a C producer against ioqueue.h: "
                    + "install gcc and libc6-dev (./test does so with apt-get when it runs as root and finds no gcc)", e);
        }
        assertEquals("0", result[0], "gcc compiled the producer against ioqueue.h:\n" + result[1]);
        return binary;
    }

    @Test
    void aCProducerInAnotherProcessPublishesReadsWritesAndFencesAndTheBytesLand() throws Exception {
        Path binary = compile();
        Path data = Files.write(dir.resolve("data"), new byte[64 * 1024]);
        String unique = ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path queueFile = Path.of("/dev/shm/weft-ioqueue-test-" + unique);
        Path dstFile = Path.of("/dev/shm/weft-ioqueue-test-dst-" + unique);
        try (Arena arena = Arena.ofShared(); IoQueue queue = IoQueue.map(queueFile, 16)) {
            Files.write(dstFile, new byte[2 * LENGTH]);
            MemorySegment dst;
            try (FileChannel ch = FileChannel.open(dstFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                dst = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2L * LENGTH, arena);
            }
            IoLoop loop = IoLoop.start(queue, new SourceFiles().add(SRC, data, SourceFiles.Access.READ_WRITE),
                    new Destinations().add(WDST, dst, 0, LENGTH).add(RDST, dst, LENGTH, LENGTH));
            String[] result;
            try {
                List<String> command = new ArrayList<>(List.of(binary.toString(), queueFile.toString(), "16",
                        dstFile.toString(), Integer.toString(LENGTH), Integer.toString(SRC), Integer.toString(WDST),
                        Integer.toString(RDST), Long.toString(OFFSET)));
                result = run(command);
            } finally {
                assertTrue(loop.stop().isEmpty());
            }

            assertEquals("0", result[0], "the C producer's results were as the ABI says:\n" + result[1]);
            assertTrue(result[1].contains("slot 3: status 0x11 result 2 tag 103"), result[1]);
            byte[] file = Files.readAllBytes(data);
            for (int i = 0; i < LENGTH; i++) {
                byte want = (byte) (i * 7 + 3);
                assertEquals(want, file[(int) OFFSET + i], "file byte " + (OFFSET + i));
                assertEquals(want, dst.get(JAVA_BYTE, LENGTH + i), "destination " + RDST + " byte " + i);
            }
            assertEquals(0, file[(int) OFFSET - 1]);
            assertEquals(0, file[(int) OFFSET + LENGTH]);
            IoLoopStats stats = loop.stats();
            assertEquals(4, stats.claimed(), stats.toString());
            assertEquals(1, stats.errors(QueueError.BAD_SRC), stats.toString());
        } finally {
            Files.deleteIfExists(queueFile);
            Files.deleteIfExists(dstFile);
        }
    }

    @Test
    void aCProducerKeepsItsNextSlotAcrossARestartOfTheLoopAndIsServed() throws Exception {
        Path binary = compile();
        Path data = Files.write(dir.resolve("data"), new byte[64 * 1024]);
        String unique = ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path queueFile = Path.of("/dev/shm/weft-ioqueue-test-" + unique);
        Path dstFile = Path.of("/dev/shm/weft-ioqueue-test-dst-" + unique);
        try (Arena arena = Arena.ofShared()) {
            Files.write(dstFile, new byte[2 * LENGTH]);
            MemorySegment dst;
            try (FileChannel ch = FileChannel.open(dstFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                dst = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2L * LENGTH, arena);
            }
            SourceFiles files = new SourceFiles().add(SRC, data, SourceFiles.Access.READ_WRITE);
            Destinations destinations = new Destinations().add(WDST, dst, 0, LENGTH).add(RDST, dst, LENGTH, LENGTH);
            List<String> command = new ArrayList<>(List.of(binary.toString(), queueFile.toString(), "16",
                    dstFile.toString(), Integer.toString(LENGTH), Integer.toString(SRC), Integer.toString(WDST),
                    Integer.toString(RDST), Long.toString(OFFSET)));
            for (int run = 0; run < 2; run++) { // a server, then a new one on the same file (a restart)
                try (IoQueue queue = IoQueue.map(queueFile, 16)) {
                    IoLoop loop = IoLoop.start(queue, files, destinations);
                    String[] result;
                    try {
                        command.add(Integer.toString(4 * run)); // the producer's next slot: 0, then 4
                        result = run(command);
                        command.removeLast();
                    } finally {
                        assertTrue(loop.stop().isEmpty());
                    }
                    assertEquals("0", result[0], "run " + run + ": the C producer's results were as the ABI says:\n"
                            + result[1]);
                    assertTrue(result[1].contains("slot " + (4 * run + 3) + ": status 0x11 result 2 tag 103"), result[1]);
                    assertEquals(4, loop.stats().claimed(), loop.stats().toString());
                }
            }
        } finally {
            Files.deleteIfExists(queueFile);
            Files.deleteIfExists(dstFile);
        }
    }
}
