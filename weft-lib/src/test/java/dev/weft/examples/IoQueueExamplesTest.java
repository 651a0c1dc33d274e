package dev.weft.examples;

import dev.weft.ioqueue.Completion;
import dev.weft.ioqueue.Destinations;
import dev.weft.ioqueue.IoLoop;
import dev.weft.ioqueue.IoLoopConfig;
import dev.weft.ioqueue.IoLoopException;
import dev.weft.ioqueue.IoQueue;
import dev.weft.ioqueue.QueueAbi;
import dev.weft.ioqueue.QueueProducer;
import dev.weft.ioqueue.SourceFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The javadoc examples of {@code dev.weft.ioqueue}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoQueueExamplesTest {

    @TempDir
    Path dir;

    private Path dataFile() throws Exception {
        byte[] b = new byte[65536];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 251);
        }
        return Files.write(dir.resolve("data.bin"), b);
    }

    /** {@link IoLoop}'s javadoc; the completion and what landed. */
    static Object[] ioLoop(Path dataFile, Arena arena) throws Exception {
        IoQueue queue = IoQueue.allocate(64);
        SourceFiles files = new SourceFiles().add(1, dataFile, SourceFiles.Access.READ);
        MemorySegment buffer = arena.allocate(65536, 4096);
        Destinations destinations = new Destinations().add(0, buffer);
        IoLoop loop = IoLoop.start(queue, files, destinations, IoLoopConfig.DEFAULT);

        QueueProducer producer = queue.producer();
        long ticket = producer.publish(QueueAbi.OP_READ, 1, 0, 0, 4096, 7);
        Completion done = producer.await(ticket);   // done.bytes() bytes landed in buffer

        Optional<IoLoopException> failure = loop.stop();
        queue.close();
        return new Object[] {done, failure, buffer.asSlice(0, 4096).toArray(JAVA_BYTE)};
    }

    @Test
    void theIoLoopExampleReadsAPageIntoTheBuffer() throws Exception {
        Path data = dataFile();
        try (Arena arena = Arena.ofShared()) {
            Object[] r = ioLoop(data, arena);
            Completion done = (Completion) r[0];
            assertTrue(done.ok(), done.toString());
            assertEquals(4096, done.bytes());
            assertEquals(7, done.tag());
            assertTrue(((Optional<?>) r[1]).isEmpty());
            byte[] want = new byte[4096];
            System.arraycopy(Files.readAllBytes(data), 0, want, 0, 4096);
            assertArrayEquals(want, (byte[]) r[2]);
        }
    }

    /** {@link SourceFiles}' javadoc. */
    static SourceFiles sourceFiles() {
        SourceFiles files = new SourceFiles()
                .add(1, Path.of("data.bin"), SourceFiles.Access.READ)
                .add(2, Path.of("log.bin"), SourceFiles.Access.READ_WRITE);
        return files;
    }

    @Test
    void theSourceFilesExampleNamesTwoFiles() {
        assertEquals(2, sourceFiles().size());
    }

    /** {@link Destinations}' javadoc. */
    static Destinations destinations(Arena arena) {
        MemorySegment region = arena.allocate(1 << 20, 4096);
        Destinations destinations = new Destinations()
                .add(0, region, 0, 4096)            // the first page
                .add(1, region, 4096, 65536);       // the next 64 KiB
        return destinations;
    }

    @Test
    void theDestinationsExampleNamesTwoPartsOfOneRegion() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(2, destinations(arena).size());
        }
    }

    /** {@link QueueProducer}'s javadoc: a read, then a fence behind it. */
    static Completion producer(IoQueue queue) throws Exception {
        QueueProducer producer = queue.producer();
        long read = producer.publish(QueueAbi.OP_READ, 1, 0, 0, 4096, 1);
        long fence = producer.publish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 2);
        producer.await(fence);                        // the read has completed too
        Completion r = producer.await(read);
        return r;
    }

    @Test
    void theProducerExampleCollectsTheReadAfterItsFence() throws Exception {
        Path data = dataFile();
        try (Arena arena = Arena.ofShared(); IoQueue queue = IoQueue.allocate(8)) {
            IoLoop loop = IoLoop.start(queue, new SourceFiles().add(1, data, SourceFiles.Access.READ),
                    new Destinations().add(0, arena.allocate(4096, 4096)));
            try {
                Completion r = producer(queue);
                assertTrue(r.ok(), r.toString());
                assertEquals(4096, r.bytes());
            } finally {
                assertTrue(loop.stop().isEmpty());
            }
        }
    }

    /** {@code dev.weft.ioqueue}'s package javadoc (and the README's): write, fence, read back. */
    static void ioqueuePackage(Path queueFile, Path dataFile, MemorySegment buffer) throws Exception {
        try (IoQueue queue = IoQueue.map(queueFile, 64)) {   // a file under /dev/shm, say
            IoLoop loop = IoLoop.start(queue,
                    new SourceFiles().add(1, dataFile, SourceFiles.Access.READ_WRITE),
                    new Destinations().add(0, buffer));
            QueueProducer producer = queue.producer();
            long write = producer.publish(QueueAbi.OP_WRITE, 1, 0, 4096, 512, 0);
            long fence = producer.publish(QueueAbi.OP_FENCE, 0, 0, 0, 0, 0);
            long read = producer.publish(QueueAbi.OP_READ, 1, 0, 0, 512, 0);
            producer.await(write);
            producer.await(fence);
            Completion r = producer.await(read);
            loop.stop();
        }
    }

    @Test
    void thePackageExampleWritesThenReadsBack() throws Exception {
        Path data = dataFile();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(4096, 4096);
            buffer.fill((byte) 0x5a);
            ioqueuePackage(dir.resolve("queue"), data, buffer);
            byte[] file = Files.readAllBytes(data);
            for (int i = 0; i < 512; i++) {
                assertEquals((byte) 0x5a, file[4096 + i], "the write landed at 4096");
                assertEquals((byte) (i % 251), buffer.get(JAVA_BYTE, i), "the read brought back offset 0");
            }
        }
    }
}
