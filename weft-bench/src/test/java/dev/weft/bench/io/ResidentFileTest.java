package dev.weft.bench.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResidentFileTest {

    @Test
    void aLockedFileIsWholeInThePageCacheAndSaysHow(@TempDir Path dir) throws Exception {
        try (ResidentFile f = ResidentFile.create(dir.resolve("data"), 1 << 20, true)) {
            assertEquals(1 << 20, Files.size(f.path()));
            // mlock is allowed 1 MiB under the default RLIMIT_MEMLOCK (8 MiB), root or not.
            assertEquals(ResidentFile.Residency.MLOCK, f.residency(), f.how());
            assertTrue(f.how().contains("mlock"), f.how());
            assertEquals(1.0, f.residentShare());
        }
    }

    @Test
    void closingDeletesTheFile(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("data");
        ResidentFile f = ResidentFile.create(path, 64 * 1024, true);
        f.close();

        assertFalse(Files.exists(path));
    }

    @Test
    void theContentIsNotZeros(@TempDir Path dir) throws Exception {
        try (ResidentFile f = ResidentFile.create(dir.resolve("data"), 8192, false)) {
            byte[] bytes = Files.readAllBytes(f.path());
            assertNotEquals(0, bytes[100] | bytes[5000] | bytes[8000]);
            assertEquals(ResidentFile.Residency.NONE, f.residency());
        }
    }

    @Test
    void aSizeThatIsNotWholePagesIsRefusedNamingIt(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResidentFile.create(dir.resolve("data"), 5000, true));
        assertTrue(e.getMessage().contains("5000"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("data")));
    }
}
