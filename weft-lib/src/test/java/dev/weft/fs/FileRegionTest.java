package dev.weft.fs;

import dev.weft.net.NetTesting;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.RegionId;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.weft.net.NetTesting.pattern;
import static dev.weft.net.NetTesting.run;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fixed-buffer file transfers on registered regions ({@code READ_FIXED}, {@code WRITE_FIXED}):
 * the bytes land where they should, a stale or unknown region is refused, and the NIO backend
 * says it has none.
 */
@Timeout(60)
class FileRegionTest {

    private Weft rt;
    private FsTesting files;
    private final Arena arena = Arena.ofShared();

    @BeforeEach
    void directory() throws Exception {
        files = FsTesting.create();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            NetTesting.stop(rt);
            files.close();
        } finally {
            arena.close(); // after the runtime: no ring points at the memory any more
        }
    }

    private Weft uring() {
        rt = Weft.start(Config.builder().workers(2).io(IoMode.URING).maxRegions(8).build());
        Assumptions.assumeFalse(rt.ioInfo().uses().stream().anyMatch(l -> l.startsWith("sparse fixed-buffer table: no")),
                "kernel " + rt.ioInfo().kernel() + " has no registered regions");
        return rt;
    }

    @Test
    void aRegionIsWrittenToTheFileAndReadBackIntoAnotherPlaceOfIt() throws Exception {
        Path p = files.path("fixed");
        byte[] content = pattern(40_000, 1);
        Weft w = uring();
        MemorySegment mem = arena.allocate(128 * 1024, 4096);
        MemorySegment.copy(content, 0, mem, JAVA_BYTE, 1000, content.length);
        RegionId id = w.registerRegion(mem);
        run(w, () -> {
            try (FileHandle f = FileHandle.open(p, FileOption.READ, FileOption.WRITE, FileOption.CREATE)) {
                int written = 0;
                while (written < content.length) {
                    written += f.write(id, 1000 + written, content.length - written, 5000 + written);
                }
                int read = 0;
                while (read < content.length) {
                    int n = f.read(id, 64 * 1024 + read, content.length - read, 5000 + read);
                    assertTrue(n > 0, "read " + n);
                    read += n;
                }
                assertEquals(-1, f.read(id, 0, 100, 5000 + content.length), "the end of the file");
            }
        });
        w.unregisterRegion(id);
        assertArrayEquals(content, mem.asSlice(64 * 1024, content.length).toArray(JAVA_BYTE));
        byte[] onDisk = Files.readAllBytes(p);
        assertArrayEquals(content, Arrays.copyOfRange(onDisk, 5000, 5000 + content.length));
    }

    /**
     * {@link FileOption#DIRECT} on a region: aligned fixed transfers round-trip; a region offset
     * whose address is misaligned fails before submission, naming the address and the alignment,
     * and gives the region's use back (its unregister does not wait for it).
     */
    @Test
    void directFixedTransfersAreAlignedOrRefusedNamingTheAddressAndTheRegionStaysFree() throws Exception {
        Path p = files.path("direct-fixed");
        Weft w = uring();
        MemorySegment mem = arena.allocate(64 * 1024, 4096);
        byte[] content = pattern(8192, 7);
        MemorySegment.copy(content, 0, mem, JAVA_BYTE, 0, content.length);
        RegionId id = w.registerRegion(mem);
        run(w, () -> {
            FileHandle f;
            try {
                f = FileHandle.open(p, FileOption.READ, FileOption.WRITE, FileOption.CREATE, FileOption.DIRECT);
            } catch (FileException e) {
                Assumptions.assumeFalse(e.errno() == dev.weft.uring.Errno.EINVAL, "no O_DIRECT here: " + e.getMessage());
                throw e;
            }
            try (f) {
                DirectAlignment a = f.directAlignment().orElseThrow();
                Assumptions.assumeTrue(a.memory() <= 4096 && a.offset() <= 4096, "alignment " + a);
                assertEquals(content.length, f.write(id, 0, content.length, 0));
                assertEquals(content.length, f.read(id, 16 * 1024, content.length, 0));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> f.read(id, 16 * 1024 + 1, 4096, 0));
                assertTrue(e.getMessage().contains("0x" + Long.toHexString(mem.address() + 16 * 1024 + 1))
                        && e.getMessage().contains("multiple of " + a.memory()), e.getMessage());
            }
        });
        w.unregisterRegion(id); // would wait for a use the refused read kept
        assertArrayEquals(content, mem.asSlice(16 * 1024, content.length).toArray(JAVA_BYTE));
    }

    @Test
    void anUnregisteredRegionOrARangeOutsideItIsRefused() throws Exception {
        Path p = files.file("stale", pattern(100, 2));
        Weft w = uring();
        MemorySegment mem = arena.allocate(4096, 4096);
        RegionId id = w.registerRegion(mem);
        run(w, () -> {
            try (FileHandle f = FileHandle.open(p, FileOption.READ, FileOption.WRITE)) {
                IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                        () -> f.read(id, 4000, 200, 0));
                assertTrue(outside.getMessage().contains("outside"), outside.getMessage());
            }
        });
        w.unregisterRegion(id);
        run(w, () -> {
            try (FileHandle f = FileHandle.open(p, FileOption.READ, FileOption.WRITE)) {
                IllegalArgumentException stale = assertThrows(IllegalArgumentException.class, () -> f.read(id, 0, 100, 0));
                assertTrue(stale.getMessage().contains("not registered"), stale.getMessage());
                assertThrows(IllegalArgumentException.class, () -> f.write(id, 0, 100, 0));
            }
        });
        assertArrayEquals(pattern(100, 2), Files.readAllBytes(p), "nothing was written from a stale region");
    }

    @Test
    void theNioBackendHasNoRegionsAndSaysSo() throws Exception {
        Path p = files.file("nio", pattern(100, 3));
        rt = NetTesting.start(IoMode.NIO);
        run(rt, () -> {
            try (FileHandle f = FileHandle.open(p)) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> f.read(new RegionId(0, 1), 0, 10, 0));
                assertTrue(e.getMessage().contains("io_uring"), e.getMessage());
            }
        });
    }
}
