package dev.weft.io;

import dev.weft.uring.Abi;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing the backend when io_uring is refused, as a kernel with io_uring disabled refuses it. */
@Timeout(30)
class IoBackendsTest {

    /** A kernel with io_uring disabled (sysctl kernel.io_uring_disabled). */
    private static final UringKernel DISABLED = new UringKernel() {
        @Override
        public KernelFeatures probe() throws ErrnoException {
            throw Ring.setupError(2, Errno.EPERM);
        }

        @Override
        public Ring open(int entries, KernelFeatures features) throws ErrnoException {
            throw Ring.setupError(entries, Errno.EPERM);
        }
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
    void aRingRefusedHalfwayLeaksNothing() throws Exception {
        List<Ring> opened = new ArrayList<>();
        UringKernel secondFails = new UringKernel() {
            @Override
            public KernelFeatures probe() throws ErrnoException {
                return UringKernel.REAL.probe();
            }

            @Override
            public Ring open(int entries, KernelFeatures features) throws ErrnoException {
                if (opened.isEmpty()) {
                    opened.add(UringKernel.REAL.open(entries, features)); // a real ring, then an eventfd
                    return opened.get(0);
                }
                throw Ring.setupError(entries, Errno.ENOMEM);
            }
        };
        int fds = fdCount();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> IoBackends.open("uring", 2, 4, secondFails, System.err));
        assertTrue(e.getMessage().contains("ENOMEM"), e.getMessage());
        assertEquals(1, opened.size());
        assertEquals(fds, fdCount(), "the first driver's ring and eventfd were closed");
    }

    @Test
    void aKernelWithoutExtArgGetsNioSayingWhy() {
        UringKernel linux510 = SimulatedKernel.simulating("5.10");
        IoBackends.Opened o = IoBackends.open("auto", 1, 4, linux510, new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals("nio", o.backend());
            assertTrue(o.fallbackReason().contains("EXT_ARG") && o.fallbackReason().contains("5.10"),
                    o.fallbackReason());
        } finally {
            o.closeAll();
        }
    }

    @Test
    void aKernelWithoutAnOpcodeWeftSubmitsGetsNioNamingIt() throws ErrnoException {
        KernelFeatures real = UringKernel.REAL.probe();
        java.util.BitSet ops = real.opcodes();
        ops.clear(Abi.OP_LINK_TIMEOUT);
        KernelFeatures noLinkTimeout = new KernelFeatures(real.release(), ops, real.features(), real.setupFlags(),
                real.sparseBuffers(), real.providedBufferRings(), real.multishotAccept(), real.cancelAll());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> IoBackends.open("uring", 1, 4, SimulatedKernel.reporting(noLinkTimeout), System.err));
        assertTrue(e.getMessage().contains("LINK_TIMEOUT"), e.getMessage());
    }

    @Test
    void everyDriverGetsTheOneProbe() {
        int[] probes = {0};
        UringKernel counting = new UringKernel() {
            @Override
            public KernelFeatures probe() throws ErrnoException {
                probes[0]++;
                return UringKernel.REAL.probe();
            }

            @Override
            public Ring open(int entries, KernelFeatures features) throws ErrnoException {
                return UringKernel.REAL.open(entries, features);
            }
        };
        IoBackends.Opened o = IoBackends.open("uring", 3, 4, counting, System.err);
        try {
            assertEquals(1, probes[0]);
            for (var d : o.drivers()) {
                assertTrue(((UringDriver) d).kernel() == o.kernel());
            }
        } finally {
            o.closeAll();
        }
    }

    private static int fdCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    @Test
    void unknownModesAreRefusedNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IoBackends.open("epoll", 1, 4));
        assertTrue(e.getMessage().contains("'epoll'") && e.getMessage().contains("auto, uring, nio or none"),
                e.getMessage());
    }
}
