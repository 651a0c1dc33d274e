package dev.weft.cli;

import dev.weft.cli.MainTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.weft.cli.MainTest.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code weft ioqueue} as its users run it: the server in one process, a producer written in C
 * against the {@code ioqueue.h} that {@code --print-header} prints in another, and SIGTERM to stop
 * the server, which then prints its stats. gcc must be installed ({@code ./test} installs it with
 * apt-get when it runs as root and finds none); without it this test fails saying so.
 */
@Timeout(180)
class IoqueueServerProcessTest {

    /** The C producer of weft-lib's tests (the module's directory is the tests' working directory). */
    static final Path PRODUCER = Path.of("../weft-lib/src/test/resources/dev/weft/ioqueue/producer.c");
    static final int LENGTH = 8192;
    static final long OFFSET = 40960;

    @TempDir
    Path dir;

    /** Runs {@code command} with its output into {@code log}; the process. */
    private static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** What a process wrote into {@code log} so far. */
    private static String output(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (at most 60 s) until {@code log} contains {@code s}; whether it did. */
    private static boolean awaitOutput(Path log, String s) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!output(log).contains(s)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Compiles the producer against the header the command prints; fails (does not skip) without gcc. */
    private Path compileProducer() throws Exception {
        Run header = weft("ioqueue", "--print-header");
        assertEquals(0, header.status(), header.err());
        Path include = Files.createDirectories(dir.resolve("include"));
        Files.writeString(include.resolve("ioqueue.h"), header.out());
        Path binary = dir.resolve("producer");
        Path log = dir.resolve("gcc.log");
        Process gcc;
        try {
            gcc = start(List.of("gcc", "-std=gnu11", "-O1", "-Wall", "-Wextra", "-Werror", "-I", include.toString(),
                    "-o", binary.toString(), PRODUCER.toAbsolutePath().toString()), log);
        } catch (IOException e) {
            throw new AssertionError("gcc is not installed, and this test compiles a C producer against ioqueue.h: "
                    + "install gcc and libc6-dev (./test does so with apt-get when it runs as root and finds no gcc)", e);
        }
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc finished");
        assertEquals(0, gcc.exitValue(), () -> "gcc compiled the producer against the printed ioqueue.h:\n"
                + output(log));
        return binary;
    }

    @Test
    void aCProducerIsServedByTheServerProcessWhichPrintsItsStatsOnSigterm() throws Exception {
        Path producer = compileProducer();
        byte[] zeros = new byte[64 * 1024];
        Path data = Files.write(dir.resolve("data"), zeros);
        String unique = ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path queueFile = Path.of("/dev/shm/weft-server-test-queue-" + unique);
        Path dstFile = Path.of("/dev/shm/weft-server-test-dst-" + unique);
        Path serverLog = dir.resolve("server.log");
        Process server = start(WeftCommandLine.of("ioqueue", "--queue", queueFile.toString(), "--slots", "16",
                "--src", "4=" + data, "--dst", "10=" + dstFile + ":0:" + LENGTH,
                "--dst", "11=" + dstFile + ":" + LENGTH + ":" + LENGTH), serverLog);
        try {
            assertTrue(awaitOutput(serverLog, "weft ioqueue: serving " + queueFile),
                    () -> "the server serves:\n" + output(serverLog));

            Path producerLog = dir.resolve("producer.log");
            Process c = start(List.of(producer.toString(), queueFile.toString(), "16", dstFile.toString(),
                    Integer.toString(LENGTH), "4", "10", "11", Long.toString(OFFSET)), producerLog);
            assertTrue(c.waitFor(60, TimeUnit.SECONDS), "the producer finished");
            assertEquals(0, c.exitValue(), () -> "the C producer's results were as the ABI says:\n" + output(producerLog));

            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stopped on SIGTERM");
            String printed = output(serverLog);
            assertTrue(printed.contains("weft ioqueue: stopped; claimed 4, ok 3, error 1 (BAD_SRC 1), in flight 0"),
                    () -> "the stats on exit:\n" + printed);

            byte[] file = Files.readAllBytes(data);
            byte[] landed = Files.readAllBytes(dstFile);
            for (int i = 0; i < LENGTH; i++) {
                assertEquals((byte) (i * 7 + 3), file[(int) OFFSET + i], "file byte " + (OFFSET + i));
                assertEquals((byte) (i * 7 + 3), landed[LENGTH + i], "byte " + i + " read into destination 11");
            }
            assertEquals(0, file[(int) OFFSET - 1], "nothing before the write's offset");
            assertEquals(0, file[(int) OFFSET + LENGTH], "nothing after the write's end");
        } finally {
            if (server.isAlive()) {
                server.destroyForcibly();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    fail("the server did not die");
                }
            }
            Files.deleteIfExists(queueFile);
            Files.deleteIfExists(dstFile);
        }
    }
}
