package dev.weft.cli;

import dev.weft.cli.MainTest.Run;
import dev.weft.ioqueue.Completion;
import dev.weft.ioqueue.IoQueue;
import dev.weft.ioqueue.QueueAbi;
import dev.weft.ioqueue.QueueProducer;
import dev.weft.runtime.IoMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.weft.cli.MainTest.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft ioqueue}: its arguments, each mistake named with its fix, and serving a queue file. */
@Timeout(60)
class IoqueueCommandTest {

    @TempDir
    Path dir;

    private Run usageError(String... args) {
        Run run = weft(args);
        assertEquals(2, run.status(), run.err());
        return run;
    }

    @Test
    void theUsageListsIoqueue() {
        assertTrue(weft().out().contains("ioqueue"));
    }

    @Test
    void printHeaderPrintsIoqueueH() {
        Run run = weft("ioqueue", "--print-header");

        assertEquals(0, run.status());
        assertEquals(QueueAbi.header(), run.out());
    }

    @Test
    void withoutAQueueFileItSaysWhichOptionIsMissing() {
        Run run = usageError("ioqueue", "--src", "1=/x", "--dst", "0=/dev/shm/y:0:16");
        assertTrue(run.err().contains("--queue FILE is required"), run.err());
    }

    @Test
    void aSlotCountThatIsNotAPowerOfTwoIsNamed() {
        Run run = usageError("ioqueue", "--queue", dir.resolve("q").toString(), "--slots", "100",
                "--src", "1=/x", "--dst", "0=/dev/shm/y:0:16");
        assertTrue(run.err().contains("--slots 100"), run.err());
        assertTrue(run.err().contains("power of two"), run.err());
    }

    @Test
    void aSourceThatIsNotHandleEqualsPathIsNamedWithAnExample() {
        Run run = usageError("ioqueue", "--queue", dir.resolve("q").toString(), "--src", "data.bin",
                "--dst", "0=/dev/shm/y:0:16");
        assertTrue(run.err().contains("--src 'data.bin' is not H=PATH"), run.err());
        assertTrue(run.err().contains("--src 1=/data/file.bin"), run.err());
    }

    @Test
    void aHandleOutOfRangeIsNamed() {
        Run run = usageError("ioqueue", "--queue", dir.resolve("q").toString(), "--src", "70000=/x",
                "--dst", "0=/dev/shm/y:0:16");
        assertTrue(run.err().contains("the handle '70000' is not a number from 0 to 65535"), run.err());
    }

    @Test
    void aDestinationWithABadNumberIsNamed() {
        Run run = usageError("ioqueue", "--queue", dir.resolve("q").toString(), "--src", "1=/x",
                "--dst", "0=/dev/shm/y:zero:16");
        assertTrue(run.err().contains("OFFSET 'zero' is not a whole number"), run.err());
        run = usageError("ioqueue", "--queue", dir.resolve("q").toString(), "--src", "1=/x", "--dst", "0=/dev/shm/y");
        assertTrue(run.err().contains("is not H=FILE:OFFSET:LENGTH"), run.err());
    }

    @Test
    void aTakenHandleIsNamed() {
        Run run = usageError("ioqueue", "--queue", dir.resolve("q").toString(), "--src", "1=/x", "--src", "1=/y",
                "--dst", "0=" + dir.resolve("d") + ":0:16");
        assertTrue(run.err().contains("file handle 1 is taken"), run.err());
    }

    @Test
    void withIoUringTurnedOffItFailsAtStartSayingTheQueueNeedsIt() throws Exception {
        Path data = Files.write(dir.resolve("data"), new byte[16]);
        String before = System.getProperty(IoMode.PROPERTY);
        System.setProperty(IoMode.PROPERTY, "nio");
        try {
            Run run = weft("ioqueue", "--queue", dir.resolve("q").toString(), "--src", "1=" + data,
                    "--dst", "0=" + dir.resolve("d") + ":0:16");

            assertEquals(1, run.status(), run.err());
            assertTrue(run.err().contains("the I/O request queue needs io_uring"), run.err());
            assertTrue(run.err().contains("no NIO backend"), run.err());
        } finally {
            if (before == null) {
                System.clearProperty(IoMode.PROPERTY);
            } else {
                System.setProperty(IoMode.PROPERTY, before);
            }
        }
    }

    @Test
    void itServesAQueueFileUntilStoppedAndPrintsItsStats() throws Exception {
        byte[] bytes = new byte[16384];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 13);
        }
        Path data = Files.write(dir.resolve("data"), bytes);
        String unique = ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path queueFile = Path.of("/dev/shm/weft-cli-test-queue-" + unique);
        Path dstFile = Path.of("/dev/shm/weft-cli-test-dst-" + unique);
        IoqueueCommand command = new IoqueueCommand();
        CommandLine cli = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        AtomicInteger status = new AtomicInteger(-1);
        Thread server = Thread.ofPlatform().start(() -> status.set(cli.execute("--queue", queueFile.toString(),
                "--slots", "8", "--src", "3=" + data + ":ro", "--dst", "5=" + dstFile + ":4096:8192")));
        try {
            assertTrue(command.serving.await(30, TimeUnit.SECONDS), "serving: " + err);
            try (IoQueue q = IoQueue.map(queueFile, 8)) { // a second mapping, as another process has
                QueueProducer p = q.producer();
                Completion c = p.await(p.publish(QueueAbi.OP_READ, 3, 5, 100, 8192, 1), Duration.ofSeconds(20));
                assertTrue(c.ok(), c.toString());
                assertEquals(8192, c.bytes());
            }
            byte[] dst = Files.readAllBytes(dstFile);
            assertEquals(4096 + 8192, dst.length, "the destination file was made to hold the destination");
            for (int i = 0; i < 8192; i++) {
                assertEquals(bytes[100 + i], dst[4096 + i], "destination byte " + i);
            }
        } finally {
            command.stopRequested.countDown();
            server.join(30_000);
            Files.deleteIfExists(queueFile);
            Files.deleteIfExists(dstFile);
        }
        assertFalse(server.isAlive());
        assertEquals(0, status.get(), err.toString());
        assertTrue(out.toString().contains("serving " + queueFile + " (8 slots)"), out.toString());
        assertTrue(out.toString().contains("stopped; claimed 1, ok 1, error 0"), out.toString());
    }

    @Test
    void whenTheLoopEndsWithoutBeingAskedTheCommandStopsAndFails() throws Exception {
        Path data = Files.write(dir.resolve("data"), new byte[4096]);
        String unique = ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path queueFile = Path.of("/dev/shm/weft-cli-test-queue-" + unique);
        Path dstFile = Path.of("/dev/shm/weft-cli-test-dst-" + unique);
        IoqueueCommand command = new IoqueueCommand();
        CommandLine cli = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        AtomicInteger status = new AtomicInteger(-1);
        Thread server = Thread.ofPlatform().start(() -> status.set(cli.execute("--queue", queueFile.toString(),
                "--src", "3=" + data, "--dst", "5=" + dstFile + ":0:4096")));
        try {
            assertTrue(command.serving.await(30, TimeUnit.SECONDS), "serving: " + err);

            command.loop.stop(); // as a fatal error would end it, with no signal

            server.join(30_000);
        } finally {
            command.stopRequested.countDown();
            server.join(30_000);
            Files.deleteIfExists(queueFile);
            Files.deleteIfExists(dstFile);
        }
        assertFalse(server.isAlive());
        assertEquals(1, status.get(), err.toString());
        assertTrue(err.toString().contains("the loop ended before it was asked to stop"), err.toString());
        assertTrue(out.toString().contains("stopped; claimed 0"), out.toString());
    }
}
