package dev.weft.ioqueue;

import dev.weft.runtime.IoMode;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.OldKernels;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.weft.ioqueue.QueueTesting.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The loop's failure paths, each with its fault injected: nothing is left waiting, open or claimed. */
@Timeout(60)
class IoLoopFaultTest {

    static final int DATA = 1;
    static final int DST = 0;

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    private MemorySegment buffer;
    private Path data;

    @BeforeEach
    void makeFiles() throws IOException {
        data = QueueTesting.dataFile(dir, "data", 1 << 20);
        buffer = arena.allocate(1 << 16, 4096);
    }

    @AfterEach
    void free() {
        arena.close();
    }

    private SourceFiles files() {
        return new SourceFiles().add(DATA, data, SourceFiles.Access.READ);
    }

    private Destinations destinations() {
        return new Destinations().add(DST, buffer);
    }

    private Path fifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor(), "mkfifo " + fifo);
        return fifo;
    }

    /** Waits until the loop has {@code n} requests in the kernel. */
    private static void awaitInFlight(IoLoop loop, int n) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (loop.stats().inFlight() < n && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertEquals(n, loop.stats().inFlight(), loop.stats().toString());
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void anEnterErrorIsFatalCompletesTheClaimedSlotAndCarriesAHint() throws Exception {
        try (IoQueue q = IoQueue.allocate(16)) {
            IoLoop loop = IoLoop.start(q, files(), destinations());
            AtomicBoolean fired = new AtomicBoolean();
            loop.ring().injectEnterFault(() -> fired.getAndSet(true) ? 0 : -Errno.EIO);
            QueueProducer p = q.producer();

            Completion c = p.await(p.publish(QueueAbi.OP_READ, DATA, DST, 0, 4096, 1), AWAIT);
            Optional<IoLoopException> failure = loop.stop();

            assertTrue(c.ok() || c.errorCode() == QueueError.LOOP_FAILED.code(), "the claimed slot completed: " + c);
            assertTrue(failure.isPresent());
            assertTrue(failure.get().getMessage().contains("io_uring_enter"), failure.get().getMessage());
            assertTrue(failure.get().getMessage().contains("EIO"), failure.get().getMessage());
            assertTrue(failure.get().hint().contains("start a new loop"), failure.get().hint());
            assertFalse(loop.isRunning());
            long unserved = p.publish(QueueAbi.OP_READ, DATA, DST, 0, 16, 2);
            assertEquals(QueueAbi.STATUS_PUBLISHED, q.statusAcquire((int) unserved & 15), "a failed loop claims nothing");
            IoLoop next = IoLoop.start(q, files(), destinations());
            try {
                assertTrue(p.await(unserved, AWAIT).ok(), "a new loop serves what waited");
            } finally {
                assertTrue(next.stop().isEmpty());
            }
        }
    }

    @Test
    void aFullSubmissionQueueOnlyDelaysRequests() throws Exception {
        try (IoQueue q = IoQueue.allocate(64)) {
            IoLoop loop = IoLoop.start(q, files(), new Destinations().add(DST, buffer, 0, 1024)
                    .add(DST + 1, buffer, 1024, 1024), IoLoopConfig.DEFAULT.withRingEntries(2));
            try {
                QueueProducer p = q.producer();
                List<Long> tickets = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    tickets.add(p.publish(QueueAbi.OP_READ, DATA, DST + (i & 1), 1024L * i, 1024, i));
                }
                for (long t : tickets) {
                    Completion c = p.await(t, AWAIT);
                    assertTrue(c.ok(), c.toString());
                    assertEquals(1024, c.bytes());
                }
                assertEquals(64, loop.stats().completedOk());
                assertTrue(QueueTesting.holdsPattern(buffer, 0, 1024L * 62, 1024));
                assertTrue(QueueTesting.holdsPattern(buffer, 1024, 1024L * 63, 1024));
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
        }
    }

    @Test
    void stopCompletesEveryClaimedSlotStoppedAndAFenceBehindThem() throws Exception {
        Path fifo = fifo("fifo");
        try (IoQueue q = IoQueue.allocate(8)) {
            // Opened read-write, a FIFO opens at once; a read from it waits for a writer that never comes.
            IoLoop loop = IoLoop.start(q, new SourceFiles().add(5, fifo, SourceFiles.Access.READ_WRITE), destinations());
            QueueProducer p = q.producer();
            long read = p.publish(QueueAbi.OP_READ, 5, DST, 0, 16, 1);
            long fence = p.publish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 2);
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (loop.stats().claimed() < 2 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertEquals(2, loop.stats().claimed(), "the read is in the kernel and the fence waits for it");
            assertEquals(1, loop.stats().inFlight());

            assertTrue(loop.stop().isEmpty());

            Completion r = p.poll(read);
            Completion f = p.poll(fence);
            assertEquals(QueueError.STOPPED.code(), r.errorCode(), r.toString());
            assertEquals(QueueError.STOPPED.code(), f.errorCode(), f.toString());
            assertEquals(0, loop.stats().inFlight());
        }
    }

    @Test
    void onLinux511TheLoopServesAndAtStopCancelsRequestsOneByOne() throws Exception {
        KernelFeatures real = KernelFeatures.probe();
        IoLoop.kernelSource = () -> OldKernels.linux("5.11", real); // no CANCEL_ALL, SINGLE_ISSUER, DEFER_TASKRUN
        Path fifo = fifo("fifo511");
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoop loop = IoLoop.start(q, files().add(5, fifo, SourceFiles.Access.READ_WRITE), destinations());
            QueueProducer p = q.producer();
            Completion served = p.await(p.publish(QueueAbi.OP_READ, DATA, DST, 4096, 4096, 1), AWAIT);
            long first = p.publish(QueueAbi.OP_READ, 5, DST, 0, 16, 2);
            long second = p.publish(QueueAbi.OP_READ, 5, DST, 0, 16, 3);
            awaitInFlight(loop, 2);

            assertTrue(loop.stop().isEmpty());

            assertTrue(served.ok(), served.toString());
            assertTrue(QueueTesting.holdsPattern(buffer, 0, 4096, 4096));
            assertEquals(QueueError.STOPPED.code(), p.poll(first).errorCode());
            assertEquals(QueueError.STOPPED.code(), p.poll(second).errorCode());
        } finally {
            IoLoop.kernelSource = KernelFeatures::probe;
        }
    }

    @Test
    void onAKernelWithoutWhatTheLoopNeedsStartFailsSayingSo() throws Exception {
        KernelFeatures real = KernelFeatures.probe();
        IoLoop.kernelSource = () -> OldKernels.linux("5.10", real);
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoopException e = assertThrows(IoLoopException.class, () -> IoLoop.start(q, files(), destinations()));
            assertTrue(e.getMessage().contains("needs io_uring"), e.getMessage());
            assertTrue(e.hint().contains("Linux 5.11"), e.hint());
        } finally {
            IoLoop.kernelSource = KernelFeatures::probe;
        }
    }

    @Test
    void withIoUringTurnedOffStartFailsNamingTheProperty() throws Exception {
        String before = System.getProperty(IoMode.PROPERTY);
        System.setProperty(IoMode.PROPERTY, "nio");
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoopException e = assertThrows(IoLoopException.class, () -> IoLoop.start(q, files(), destinations()));
            assertTrue(e.getMessage().contains("-Dweft.io=nio"), e.getMessage());
            assertTrue(e.hint().contains("no NIO backend"), e.hint());
        } finally {
            if (before == null) {
                System.clearProperty(IoMode.PROPERTY);
            } else {
                System.setProperty(IoMode.PROPERTY, before);
            }
        }
    }

    @Test
    void startAndStopLeaveNoDescriptorOrThreadBehind() throws Exception {
        IoLoopConfig config = IoLoopConfig.DEFAULT.withThreadName("weft-ioloop-counted");
        Path other = QueueTesting.dataFile(dir, "other", 4096);
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoop.start(q, files(), destinations(), config).stop(); // what the JVM opens once is in the baseline
            long before = QueueTesting.fdCount();
            IoLoop loop = IoLoop.start(q, files().add(2, other, SourceFiles.Access.READ_WRITE), destinations(), config);
            QueueProducer p = q.producer();
            assertTrue(p.await(p.publish(QueueAbi.OP_READ, 2, DST, 0, 4096, 0), AWAIT).ok());
            assertTrue(loop.stop().isEmpty());

            assertEquals(before, QueueTesting.fdCount(), "the ring's and the files' descriptors are closed");
            assertFalse(threadAlive("weft-ioloop-counted"));
        }
    }

    @Test
    void aMissingFileFailsStartNamingItAndLeavesNothingBehind() throws Exception {
        Path missing = dir.resolve("missing.bin");
        IoLoopConfig config = IoLoopConfig.DEFAULT.withThreadName("weft-ioloop-missing");
        try (IoQueue q = IoQueue.allocate(8)) {
            long before = QueueTesting.fdCount();
            IoLoopException e = assertThrows(IoLoopException.class, () -> IoLoop.start(q,
                    files().add(4, missing, SourceFiles.Access.READ), destinations(), config));
            assertEquals(before, QueueTesting.fdCount(), "the opened file and the ring are closed");

            assertTrue(e.getMessage().contains("source file 4 (" + missing + ")"), e.getMessage());
            assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
            assertTrue(e.hint().contains("create the file"), e.hint());
            assertFalse(threadAlive("weft-ioloop-missing"), "the loop's thread ended");
            IoLoop loop = IoLoop.start(q, files(), destinations()); // the queue is free again
            assertTrue(loop.stop().isEmpty());
        }
    }

    @Test
    void aRegionTheKernelCannotPinFailsStartWithAHintToUseDevShm() throws Exception {
        Path file = Files.write(dir.resolve("region"), new byte[8192]);
        assumeTrue(!List.of("tmpfs", "hugetlbfs").contains(Files.getFileStore(file).type()),
                "the temporary directory is on tmpfs, whose pages the kernel can pin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             IoQueue q = IoQueue.allocate(8)) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8192, arena);
            IoLoopException e = assertThrows(IoLoopException.class,
                    () -> IoLoop.start(q, files(), new Destinations().add(DST, mapped)));
            assertTrue(e.getMessage().contains("destination regions"), e.getMessage());
            assertTrue(e.hint().contains("/dev/shm"), e.hint());
        }
    }

    @Test
    void aRingThatCannotBeEnteredAnyMoreStillCompletesEverySlotAndSaysTheKernelMayWriteOn() throws Exception {
        Path fifo = fifo("fifo2");
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoop loop = IoLoop.start(q, new SourceFiles().add(5, fifo, SourceFiles.Access.READ_WRITE), destinations());
            QueueProducer p = q.producer();
            long read = p.publish(QueueAbi.OP_READ, 5, DST, 0, 16, 1);
            awaitInFlight(loop, 1);

            loop.ring().injectEnterFault(() -> -Errno.EFAULT); // every enter from now on
            Completion r = p.await(read, AWAIT);
            Optional<IoLoopException> failure = loop.stop();

            assertEquals(QueueError.LOOP_FAILED.code(), r.errorCode(), r.toString());
            assertTrue(failure.isPresent());
            assertTrue(failure.get().getMessage().contains("EFAULT"), failure.get().getMessage());
            Throwable[] more = failure.get().getSuppressed();
            assertEquals(1, more.length, "the failure says what it left in the kernel");
            assertTrue(more[0].getMessage().contains("1 requests were still in the kernel"), more[0].getMessage());
            assertTrue(((IoLoopException) more[0]).hint().contains("keep those destinations"), more[0].getMessage());
        }
    }

    /** A registrar that refuses files or regions with {@code errno}, else registers as the loop does. */
    private static IoLoop.Registrar refusing(boolean files, int errno) {
        return new IoLoop.Registrar() {
            @Override
            public void registerFiles(Ring ring, int[] fds) throws ErrnoException {
                if (files) {
                    throw new ErrnoException("io_uring_register(FILES)", errno);
                }
                IoLoop.RING_REGISTRAR.registerFiles(ring, fds);
            }

            @Override
            public void registerBuffers(Ring ring, List<MemorySegment> regions) throws ErrnoException {
                if (!files) {
                    throw new ErrnoException("io_uring_register(BUFFERS)", errno);
                }
                IoLoop.RING_REGISTRAR.registerBuffers(ring, regions);
            }
        };
    }

    @Test
    void filesTheKernelRefusesToRegisterFailStartWithAHintAndLeaveNothingOpen() throws Exception {
        IoLoopConfig config = IoLoopConfig.DEFAULT.withThreadName("weft-ioloop-refused-files");
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoop.start(q, files(), destinations(), config).stop(); // what the JVM opens once is in the baseline
            long before = QueueTesting.fdCount();
            IoLoop.registrar = refusing(true, Errno.EMFILE);
            IoLoopException e;
            try {
                e = assertThrows(IoLoopException.class, () -> IoLoop.start(q, files(), destinations(), config));
            } finally {
                IoLoop.registrar = IoLoop.RING_REGISTRAR;
            }

            assertTrue(e.getMessage().contains("registering 1 files with the loop's ring failed: EMFILE"), e.getMessage());
            assertTrue(e.hint().contains("ulimit -n"), e.hint());
            assertEquals(before, QueueTesting.fdCount(), "the opened file and the ring are closed");
            assertFalse(threadAlive("weft-ioloop-refused-files"), "the loop's thread ended");
            assertTrue(IoLoop.start(q, files(), destinations()).stop().isEmpty(), "the queue is free again");
        }
    }

    @Test
    void regionsTheKernelCannotPinFailStartWithAHintAndLeaveNothingOpen() throws Exception {
        IoLoopConfig config = IoLoopConfig.DEFAULT.withThreadName("weft-ioloop-refused-regions");
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoop.start(q, files(), destinations(), config).stop();
            long before = QueueTesting.fdCount();
            IoLoop.registrar = refusing(false, Errno.ENOMEM);
            IoLoopException e;
            try {
                e = assertThrows(IoLoopException.class, () -> IoLoop.start(q, files(), destinations(), config));
            } finally {
                IoLoop.registrar = IoLoop.RING_REGISTRAR;
            }

            assertTrue(e.getMessage().contains("registering 1 destination regions with the loop's ring failed: ENOMEM"),
                    e.getMessage());
            assertTrue(e.hint().contains("ulimit -l"), e.hint());
            assertEquals(before, QueueTesting.fdCount(), "the files and the ring are closed");
            assertFalse(threadAlive("weft-ioloop-refused-regions"), "the loop's thread ended");
            assertTrue(IoLoop.start(q, files(), destinations()).stop().isEmpty(), "the queue is free again");
        }
    }

    @Test
    void readsFromADirectoryFailWithEisdirAndTheLoopServesTheNextRequest() throws Exception {
        try (IoQueue q = IoQueue.allocate(8)) {
            IoLoop loop = IoLoop.start(q, files().add(7, dir, SourceFiles.Access.READ), destinations());
            try {
                QueueProducer p = q.producer();
                Completion failed = p.await(p.publish(QueueAbi.OP_READ, 7, DST, 0, 4096, 1), AWAIT);
                Completion next = p.await(p.publish(QueueAbi.OP_READ, DATA, DST, 0, 4096, 2), AWAIT);

                assertEquals(QueueError.fromErrno(Errno.EISDIR), failed.errorCode(), failed.toString());
                assertTrue(next.ok(), next.toString());
                assertEquals(4096, next.bytes());
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
        }
    }

    @Test
    void aRequestIntoADestinationWhoseArenaWasClosedFailsAndTheOthersAreServed() throws Exception {
        // A shared mapping of a /dev/shm file: once unmapped, pages the kernel still holds belong to the file, not the heap.
        Path shm = Path.of("/dev/shm/weft-ioqueue-test-freed-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.write(shm, new byte[4096]);
        Arena regionArena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(shm, StandardOpenOption.READ, StandardOpenOption.WRITE);
             IoQueue q = IoQueue.allocate(8)) {
            MemorySegment region = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096, regionArena);
            IoLoop loop = IoLoop.start(q, files(), destinations().add(1, region));
            try {
                QueueProducer p = q.producer();
                assertTrue(p.await(p.publish(QueueAbi.OP_READ, DATA, 1, 0, 4096, 1), AWAIT).ok(), "while it is mapped");
                regionArena.close(); // against Destinations' rule: before the loop stopped

                Completion freed = p.await(p.publish(QueueAbi.OP_READ, DATA, 1, 0, 4096, 2), AWAIT);
                Completion other = p.await(p.publish(QueueAbi.OP_READ, DATA, DST, 0, 4096, 3), AWAIT);

                assertEquals(QueueError.DESTINATION_FREED.code(), freed.errorCode(), freed.toString());
                assertTrue(other.ok(), other.toString());
                assertEquals(1, loop.stats().errors(QueueError.DESTINATION_FREED), loop.stats().toString());
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
        } finally {
            if (regionArena.scope().isAlive()) {
                regionArena.close();
            }
            Files.deleteIfExists(shm);
        }
    }
}
