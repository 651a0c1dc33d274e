package dev.weft.io;

import dev.weft.fs.FsTesting;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generation rule of registered files on real rings: a file closed gives its slot back, the
 * next file registered takes the slot with a new generation, the closed file's id no longer
 * names anything, and a read through the slot gets the new file's bytes, never the old one's.
 */
@Timeout(60)
class RegisteredFileSlotTest {

    private static final OpenSpec READ = new OpenSpec(true, false, false, false, false, false, false);
    private FsTesting files;

    @BeforeEach
    void directory() throws IOException {
        files = FsTesting.create();
    }

    @AfterEach
    void clean() {
        files.close();
    }

    private static byte[] readAll(UringFile f, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        assertEquals(n, f.read(b, 0), "one read of a small file");
        byte[] out = new byte[n];
        b.flip().get(out);
        return out;
    }

    @Test
    void aSlotGivenBackServesTheNextFileUnderANewGenerationAndTheOldIdIsStale() throws Exception {
        byte[] first = "the first file".getBytes();
        byte[] second = "THE SECOND FILE".getBytes();
        Path a = files.file("a", first);
        Path b = files.file("b", second);
        try (Weft rt = Weft.start(Config.builder().workers(2).io(IoMode.URING).build())) {
            Assumptions.assumeTrue(rt.ioInfo().backend().equals("io_uring"), "needs the io_uring backend");
            dev.weft.net.NetTesting.call(rt, () -> {
                UringFile fa = UringFile.open(a, READ);
                try {
                    fa.register();
                } catch (UnsupportedOperationException e) {
                    fa.close();
                    Assumptions.abort("this kernel has no table of empty file slots: " + e.getMessage());
                }
                long idA = fa.registration();
                assertArrayEquals(first, readAll(fa, first.length), "read through the slot");
                fa.close();
                assertFalse(fa.isRegistered(), "closing gave the slot back");

                UringFile fb = UringFile.open(b, READ);
                try {
                    fb.register();
                    long idB = fb.registration();
                    assertEquals(FileTable.slot(idA), FileTable.slot(idB), "the freed slot is taken again");
                    assertNotEquals(FileTable.generation(idA), FileTable.generation(idB), "under a new generation");
                    assertTrue(fb.isRegistered());
                    assertArrayEquals(second, readAll(fb, second.length),
                            "the slot holds the second file on the ring that reads it");
                    assertEquals(-dev.weft.uring.Errno.EBADF, fa.read(ByteBuffer.allocateDirect(4), 0),
                            "the closed file's operations name nothing");
                } finally {
                    fb.close();
                }
                return null;
            });
        }
    }
    /**
     * Slots are per runtime: a file registered with one runtime and read from a task of another
     * names its descriptor there, not the other runtime's slot of the same number (which holds a
     * file of its own).
     */
    @Test
    void aFileRegisteredWithOneRuntimeIsReadByItsOwnDescriptorFromAnother() throws Exception {
        byte[] mine = "registered with the first runtime".getBytes();
        byte[] theirs = "REGISTERED WITH THE SECOND RUNTIME".getBytes();
        Path a = files.file("mine", mine);
        Path b = files.file("theirs", theirs);
        try (Weft first = Weft.start(Config.builder().workers(1).io(IoMode.URING).build());
             Weft second = Weft.start(Config.builder().workers(1).io(IoMode.URING).build())) {
            Assumptions.assumeTrue(first.ioInfo().backend().equals("io_uring"), "needs the io_uring backend");
            UringFile fa = dev.weft.net.NetTesting.call(first, () -> {
                UringFile f = UringFile.open(a, READ);
                try {
                    f.register();
                } catch (UnsupportedOperationException e) {
                    f.close();
                    Assumptions.abort("this kernel has no table of empty file slots: " + e.getMessage());
                }
                return f;
            });
            UringFile fb = dev.weft.net.NetTesting.call(second, () -> {
                UringFile f = UringFile.open(b, READ);
                f.register();
                return f;
            });
            try {
                assertEquals(FileTable.slot(fa.registration()), FileTable.slot(fb.registration()),
                        "each runtime's first registration takes its slot 0");
                byte[] read = dev.weft.net.NetTesting.call(second, () -> readAll(fa, mine.length));
                assertArrayEquals(mine, read, "the first runtime's file, read from a task of the second");
            } finally {
                fa.close();
                fb.close();
            }
        }
    }
}
