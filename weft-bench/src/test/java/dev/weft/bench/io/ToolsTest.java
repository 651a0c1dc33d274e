package dev.weft.bench.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolsTest {

    @Test
    void aProgramIsOnThePathWhenAnExecutableOfItsNameIsInOneOfItsDirectories(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.createFile(bin.resolve("fio"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createFile(bin.resolve("notes"));
        String path = dir.resolve("empty") + File.pathSeparator + bin;

        assertTrue(Tools.onPath("fio", path));
        assertFalse(Tools.onPath("notes", path), "not executable");
        assertFalse(Tools.onPath("gcc", path));
        assertFalse(Tools.onPath("fio", null));
    }

    @Test
    void aMissingProgramsReasonNamesTheDebianPackage() {
        assertEquals("gcc is not installed and apt-get could not install it (Debian: apt-get install -y gcc)",
                Tools.missing("gcc", "gcc", true));
    }
}
