package dev.weft.ioqueue;

import com.sun.nio.file.ExtendedOpenOption;
import dev.weft.uring.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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

import static dev.weft.ioqueue.QueueTesting.AWAIT;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sources added with {@link SourceFiles#addDirect}: opened with O_DIRECT, aligned requests only. */
@Timeout(60)
class IoLoopDirectTest {

    static final int FILE_SIZE = 1 << 20;
    static final int DATA = 1;
    static final int WRITABLE = 2;
    static final int DST = 0;

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    private MemorySegment region;
    private IoQueue queue;
    private IoLoop loop;
    private Path writable;

    @BeforeEach
    void start() throws Exception {
        Path data = QueueTesting.dataFile(dir, "data", FILE_SIZE);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            ch.size();
        } catch (IOException e) {
            Assumptions.abort("the temporary directory's file system has no O_DIRECT: " + e);
        }
        writable = Files.write(dir.resolve("writable"), new byte[FILE_SIZE]);
        region = arena.allocate(8192, 4096);
        queue = IoQueue.allocate(64);
        loop = IoLoop.start(queue,
                new SourceFiles().addDirect(DATA, data, SourceFiles.Access.READ)
                        .addDirect(WRITABLE, writable, SourceFiles.Access.READ_WRITE),
                new Destinations().add(DST, region));
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop();
        }
        if (queue != null) {
            queue.close();
        }
        arena.close();
    }

    private Completion run(int op, int src, long offset, int bytes) throws Exception {
        QueueProducer p = queue.producer();
        return p.await(p.publish(op, src, DST, offset, bytes, 5), AWAIT);
    }

    @Test
    void anAlignedReadOfADirectSourceLandsInTheDestination() throws Exception {
        Completion c = run(QueueAbi.OP_READ, DATA, 8192, 4096);

        assertTrue(c.ok(), c.toString());
        assertEquals(4096, c.bytes());
        assertTrue(QueueTesting.holdsPattern(region, 0, 8192, 4096));
    }

    @Test
    void aMisalignedRequestOnADirectSourceCompletesEinvalAndTheLoopGoesOn() throws Exception {
        // A buffered read of 100 bytes would succeed: EINVAL says the file is open with O_DIRECT.
        Completion bad = run(QueueAbi.OP_READ, DATA, 0, 100);

        assertTrue(!bad.ok(), bad.toString());
        assertEquals(QueueError.fromErrno(Errno.EINVAL), bad.errorCode());
        Completion good = run(QueueAbi.OP_READ, DATA, 4096, 4096);
        assertTrue(good.ok() && good.bytes() == 4096, good.toString());
    }

    @Test
    void anAlignedWriteToADirectSourceReachesTheFile() throws Exception {
        for (long i = 0; i < 4096; i++) {
            region.set(JAVA_BYTE, i, (byte) (i * 13 + 1));
        }

        Completion c = run(QueueAbi.OP_WRITE, WRITABLE, 12288, 4096);

        assertTrue(c.ok() && c.bytes() == 4096, c.toString());
        byte[] file = Files.readAllBytes(writable);
        for (int i = 0; i < 4096; i++) {
            assertEquals((byte) (i * 13 + 1), file[12288 + i], "byte " + i);
        }
    }
}
