package dev.weft.fs;

import dev.weft.net.NetTesting;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.weft.net.NetTesting.pattern;
import static dev.weft.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FileHandle#register()}: transfers through the registered slot, and the NIO backend's refusal. */
@Timeout(60)
class RegisteredFileTest {

    private Weft rt;
    private FsTesting files;

    @BeforeEach
    void directory() throws Exception {
        files = FsTesting.create();
    }

    @AfterEach
    void stop() throws Exception {
        NetTesting.stop(rt);
        files.close();
    }

    @Test
    void aRegisteredFileIsReadAndWrittenThroughItsSlotUntilItCloses() throws Exception {
        Path p = files.path("registered");
        byte[] content = pattern(100_000, 1);
        rt = NetTesting.start(IoMode.URING);
        run(rt, () -> {
            FileHandle f = FileHandle.open(p, FileOption.READ, FileOption.WRITE, FileOption.CREATE);
            try {
                assertFalse(f.isRegistered());
                try {
                    f.register();
                } catch (UnsupportedOperationException e) {
                    org.junit.jupiter.api.Assumptions.abort("this kernel has no registered files: " + e.getMessage());
                }
                assertTrue(f.isRegistered());
                f.register(); // idempotent
                f.writeAll(ByteBuffer.wrap(content), 0);
                f.fdatasync();
                ByteBuffer back = ByteBuffer.allocateDirect(content.length);
                f.readFully(back, 0);
                assertArrayEquals(content, NetTesting.bytes(back.flip()));
                assertEquals(content.length, f.size());
            } finally {
                f.close();
            }
            assertFalse(f.isRegistered(), "closing gave the slot back");
            assertThrows(java.nio.channels.ClosedChannelException.class, f::register);
        });
        assertArrayEquals(content, Files.readAllBytes(p));
    }

    @Test
    void theNioBackendHasNoRegisteredFilesAndSaysSo() throws Exception {
        Path p = files.file("nio", pattern(10, 2));
        rt = NetTesting.start(IoMode.NIO);
        run(rt, () -> {
            try (FileHandle f = FileHandle.open(p)) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, f::register);
                assertTrue(e.getMessage().contains("io_uring"), e.getMessage());
                assertFalse(f.isRegistered());
            }
        });
    }
}
