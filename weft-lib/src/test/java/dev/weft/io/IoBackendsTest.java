package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
    void aRingRefusedHalfwayLeaksNothing() {
        UringDriver[] first = new UringDriver[1];
        IoBackends.UringOpener secondFails = () -> {
            if (first[0] == null) {
                first[0] = UringDriver.open(); // a real ring, an eventfd
                return first[0];
            }
            throw Ring.setupError(1024, Errno.ENOMEM);
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> IoBackends.open("uring", 2, 4, secondFails, System.err));
        assertTrue(e.getMessage().contains("ENOMEM"), e.getMessage());
        // Closing a driver releases its ring and eventfd (FdLeakTest counts them at runtime level).
        assertTrue(first[0].isClosed(), "the first worker's driver was closed");
    }

    @Test
    void unknownModesAreRefusedNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IoBackends.open("epoll", 1, 4));
        assertTrue(e.getMessage().contains("'epoll'") && e.getMessage().contains("auto, uring, nio or none"),
                e.getMessage());
    }
}
