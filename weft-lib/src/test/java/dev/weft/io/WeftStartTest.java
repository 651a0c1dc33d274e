package dev.weft.io;

import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.sched.Scheduler;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Weft.start} returns only once every worker's driver attached, and throws the first
 * attach failure having stopped every worker and closed every driver.
 */
@Timeout(60)
class WeftStartTest {

    @AfterEach
    void realKernelAgain() {
        IoBackends.useKernel(UringKernel.REAL);
    }

    /**
     * A kernel that refuses to enable the second worker's ring: the opener enables it already, on
     * this thread, so the worker's {@code ENABLE_RINGS} fails as a kernel that broke its probe's
     * promise would make it fail.
     */
    private static UringKernel secondRingRefusesToEnable(AtomicInteger opened) {
        return TestKernels.realProbe((entries, features) -> {
            Ring r = UringKernel.REAL.open(entries, features);
            if (opened.incrementAndGet() == 2) {
                r.enable();
            }
            return r;
        });
    }

    @Test
    void anAttachFailureMakesStartThrowAndLeaksNothing() throws Exception {
        int fds = fdCount();
        AtomicInteger opened = new AtomicInteger();
        IoBackends.useKernel(secondRingRefusesToEnable(opened));
        Config config = Config.builder().workers(3).io(IoMode.URING).threadNamePrefix("attach-fails").build();
        IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                IllegalStateException.class, () -> {
                    // On a runtime that starts anyway, a task never runs on the dead worker: say so.
                    try (Weft rt = Weft.start(config)) {
                        for (int i = 0; i < 6; i++) {
                            rt.spawn(() -> 1).join(Duration.ofSeconds(5));
                        }
                    }
                }));
        assertTrue(e instanceof Scheduler.AttachException, e.toString());
        assertTrue(e.getMessage().contains("attach-fails-1") && e.getMessage().contains("enable"), e.getMessage());
        assertEquals(3, opened.get());
        int after = settledFdCount(fds);
        assertTrue(after <= fds, "every ring and eventfd was closed: " + fds + " descriptors before, " + after
                + " after (earlier tests' may close meanwhile, none may stay)");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("attach-fails")) {
                t.join(5_000); // it counted its exit: only its last instructions may be left
                assertFalse(t.isAlive(), t + " runs on");
            }
        }
    }

    @Test
    void autoFallsBackToNioWhenAnAttachFails() throws Exception {
        IoBackends.useKernel(secondRingRefusesToEnable(new AtomicInteger()));
        try (Weft rt = Weft.start(Config.builder().workers(2).io(IoMode.AUTO).build())) {
            assertEquals("nio", rt.ioInfo().backend());
            assertTrue(rt.ioInfo().fallbackReason().orElseThrow().contains("could not attach"),
                    rt.ioInfo().fallbackReason().toString());
            assertEquals(42, rt.spawn(() -> 6 * 7).join(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aSimulatedOldKernelRunsTcpWithWhatItHas() throws Exception {
        for (String release : new String[] {"5.11", "5.15"}) {
            IoBackends.useKernel(SimulatedKernel.simulating(release));
            try (Weft rt = Weft.start(Config.builder().workers(2).io(IoMode.URING).build())) {
                assertEquals("io_uring", rt.ioInfo().backend());
                assertTrue(rt.ioInfo().kernel().startsWith(release), rt.ioInfo().kernel());
                assertTrue(rt.ioInfo().uses().contains("multishot accept: no (Linux 5.19): one accept SQE per call"),
                        rt.ioInfo().uses().toString());
                String got = rt.spawn(() -> {
                    try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 16)) {
                        var server = dev.weft.task.Task.spawn(() -> {
                            try (TcpStream s = l.accept()) {
                                ByteBuffer b = ByteBuffer.allocate(5); // heap: a staging buffer, no buffer ring
                                while (b.hasRemaining() && s.read(b) >= 0) {
                                    // until all five bytes came
                                }
                                b.flip();
                                s.writeAll(b);
                            }
                            return null;
                        });
                        try (TcpStream c = TcpStream.connect(l.localAddress(), Duration.ofSeconds(5))) {
                            c.writeAll(ByteBuffer.wrap("hello".getBytes()));
                            ByteBuffer back = ByteBuffer.allocate(5);
                            while (back.hasRemaining() && c.read(back) >= 0) {
                                // until the echo came
                            }
                            server.join();
                            return new String(back.array());
                        }
                    }
                }).join(Duration.ofSeconds(20));
                assertEquals("hello", got, release);
                UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                        () -> rt.registerRegion(java.lang.foreign.Arena.global().allocate(4096)));
                assertTrue(u.getMessage().contains("Linux 5.19") && u.getMessage().contains(release), u.getMessage());
            }
        }
    }

    private static int fdCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    private static int settledFdCount(int expected) throws Exception {
        int n = fdCount();
        for (int i = 0; i < 40 && n > expected; i++) {
            Thread.sleep(50);
            n = fdCount();
        }
        return n;
    }
}
