package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing the backend when io_uring is refused, as a kernel with io_uring disabled refuses it. */
@Timeout(30)
class IoBackendsTest {

    private static final IoBackends.UringOpener DISABLED = () -> {
        throw Ring.setupError(1024, Errno.EPERM);
    };

    @Test
    void autoFallsBackToNioSayingWhyOnce() {
        boolean saidBefore = IoBackends.fallbackSaid();
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
        for (int i = 0; i < 2; i++) {
            IoBackends.Opened o = IoBackends.open("auto", 2, 4, DISABLED, out);
            try {
                assertEquals("nio", o.backend());
                assertEquals(2, o.drivers().size());
                assertTrue(o.fallbackReason().contains("EPERM"), o.fallbackReason());
                assertTrue(o.fallbackReason().contains("io_uring_disabled"), o.fallbackReason());
            } finally {
                o.closeAll();
            }
        }
        long lines = said.toString(StandardCharsets.UTF_8).lines().count();
        assertEquals(saidBefore ? 0 : 1, lines, "said: " + said);
        assertTrue(IoBackends.fallbackSaid());
    }

    @Test
    void forcedUringFailsWithTheErrnoAndAHint() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> IoBackends.open("uring", 2, 4, DISABLED, System.err));
        assertTrue(e.getMessage().contains("EPERM"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dweft.io=nio"), e.getMessage());
    }

    @Test
    void aRingRefusedHalfwayLeaksNothing() throws IOException {
        long before = openDescriptors();
        AtomicInteger opened = new AtomicInteger();
        IoBackends.UringOpener secondFails = () -> {
            if (opened.getAndIncrement() == 0) {
                return UringDriver.open(); // a real ring, an eventfd
            }
            throw Ring.setupError(1024, Errno.ENOMEM);
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> IoBackends.open("uring", 2, 4, secondFails, System.err));
        assertTrue(e.getMessage().contains("ENOMEM"), e.getMessage());
        assertEquals(before, openDescriptors(), "the first worker's ring and eventfd were closed");
    }

    @Test
    void unknownModesAreRefusedNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IoBackends.open("epoll", 1, 4));
        assertTrue(e.getMessage().contains("'epoll'") && e.getMessage().contains("auto, uring, nio or none"),
                e.getMessage());
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
