package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.WorkerStats;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static dev.weft.net.NetTesting.join;
import static dev.weft.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sends and receives through heap buffers cost a copy, not memory: bursts of many at once leave
 * the native memory where it was, by the runtime's own accounting ({@link WorkerStats#stagingBytes})
 * and by the process's resident anonymous memory, which counts it independently.
 */
class HeapBufferMemoryTest {

    private static final int PAIRS = 1_000;
    private static final int BURSTS = 10;
    private static final int MESSAGE = 64 * 1024;
    /** The most staging memory a worker keeps between bursts: 16 buffers of 64 KiB. */
    /** StagingBuffers.KEPT_BYTES: 16 large buffers of 64 KiB and 256 small ones of 16 KiB. */
    private static final long KEPT_PER_WORKER = 16L * 64 * 1024 + 256L * 16 * 1024;
    /** Slack for the JVM's own growth (heap, JIT) over the bursts; a leak of the old kind is 64 MiB a burst. */
    private static final long RSS_SLACK = 96L << 20;

    private Weft rt;
    /** The heap buffers, made once: the Java heap's own growth stays out of the resident-memory figure. */
    private final List<ByteBuffer> inputs = new ArrayList<>();
    private final List<ByteBuffer> outputs = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    @Test
    @Timeout(120)
    void burstsOfHeapSendsAndReceivesLeaveNativeMemoryWhereItWas() throws Exception {
        rt = NetTesting.start(IoMode.URING, 2);
        for (int i = 0; i < PAIRS; i++) {
            inputs.add(ByteBuffer.allocate(MESSAGE));
            outputs.add(ByteBuffer.allocate(MESSAGE));
        }
        List<TcpStream> clients = new ArrayList<>();
        List<TcpStream> servers = new ArrayList<>();
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, PAIRS)) {
                for (int i = 0; i < PAIRS; i++) {
                    JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
                    clients.add(TcpStream.connect(l.localAddress(), CONNECT));
                    servers.add(join(accepted));
                }
            }
        });
        try {
            long rssAfterFirst = 0;
            // A worker maps its provided buffers when it first receives into a heap buffer, which
            // the first burst may not make every worker do; once mapped they are a fixed amount.
            long[] providedOnce = new long[rt.stats().workers().size()];
            for (int burst = 1; burst <= BURSTS; burst++) {
                burst(clients, servers);
                long staging = 0;
                for (WorkerStats w : rt.stats().workers()) {
                    assertTrue(w.stagingBytes() <= KEPT_PER_WORKER, "after burst " + burst + " worker "
                            + w.index() + " holds " + w.stagingBytes() + " bytes of staging buffers");
                    staging += w.stagingBytes();
                    if (providedOnce[w.index()] == 0) {
                        providedOnce[w.index()] = w.providedBytes();
                    } else {
                        assertEquals(providedOnce[w.index()], w.providedBytes(), "after burst " + burst
                                + " worker " + w.index() + "'s provided buffers, a fixed amount once mapped");
                    }
                }
                long rss = rssAnonBytes();
                if (burst == 1) {
                    rssAfterFirst = rss;
                } else {
                    assertTrue(rss - rssAfterFirst < RSS_SLACK, "resident anonymous memory grew by "
                            + ((rss - rssAfterFirst) >> 20) + " MiB from burst 1 to burst " + burst
                            + " (staging held now: " + staging + " bytes)");
                }
            }
        } finally {
            run(rt, () -> {
                for (TcpStream s : clients) {
                    s.close();
                }
                for (TcpStream s : servers) {
                    s.close();
                }
            });
        }
    }

    /**
     * Without provided buffers (before Linux 5.19; forced here) a heap read waits for data without
     * holding a staging buffer: it waits for readability, then receives and copies. The bytes,
     * end of stream and a read timeout come out as on the other paths.
     */
    @Test
    @Timeout(60)
    void idleHeapReadsHoldNoStagingMemory() throws Exception {
        System.setProperty("weft.io.noProvidedBuffers", "true");
        try {
            rt = NetTesting.start(IoMode.URING, 2);
        } finally {
            System.clearProperty("weft.io.noProvidedBuffers");
        }
        int pairs = 200;
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, pairs)) {
                List<TcpStream> clients = new ArrayList<>();
                List<JoinHandle<byte[]>> reads = new ArrayList<>();
                long before = operations();
                for (int i = 0; i < pairs; i++) {
                    JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
                    clients.add(TcpStream.connect(l.localAddress(), CONNECT));
                    TcpStream s = join(accepted);
                    reads.add(Task.spawn(() -> {
                        try (s) {
                            ByteBuffer in = ByteBuffer.allocate(3000);
                            s.readFully(in);
                            assertEquals(-1, s.read(ByteBuffer.allocate(1)), "end of stream");
                            return in.array();
                        }
                    }));
                }
                while (operations() < before + 2L * pairs) { // a connect and a wait per read (accepts: at least one)
                    Thread.sleep(1);
                }
                long staging = rt.stats().workers().stream().mapToLong(WorkerStats::stagingBytes).sum();
                assertTrue(staging <= 2 * KEPT_PER_WORKER, pairs + " heap reads waiting for data hold "
                        + staging + " bytes of staging memory, more than the kept buffers (connects use them)");
                byte[] msg = NetTesting.pattern(3000, 7);
                for (TcpStream c : clients) {
                    c.writeAll(ByteBuffer.wrap(msg));
                    c.close();
                }
                for (JoinHandle<byte[]> r : reads) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(msg, join(r));
                }
                JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT); TcpStream s = join(accepted)) {
                    s.readTimeout(java.time.Duration.ofMillis(50));
                    org.junit.jupiter.api.Assertions.assertThrows(IoTimeoutException.class,
                            () -> s.read(ByteBuffer.allocate(16)));
                }
            }
        });
    }

    private long operations() {
        return rt.stats().workers().stream().mapToLong(WorkerStats::ioOperations).sum();
    }

    /** Every pair at once: the server side waits in a heap read, the client side sends a heap buffer. */
    private void burst(List<TcpStream> clients, List<TcpStream> servers) throws Exception {
        run(rt, () -> {
            List<JoinHandle<Integer>> done = new ArrayList<>();
            for (int i = 0; i < PAIRS; i++) {
                TcpStream s = servers.get(i);
                ByteBuffer in = inputs.get(i).clear();
                done.add(Task.spawn(() -> {
                    s.readFully(in);
                    return in.position();
                }));
            }
            for (int i = 0; i < PAIRS; i++) {
                TcpStream c = clients.get(i);
                ByteBuffer out = outputs.get(i).clear();
                done.add(Task.spawn(() -> {
                    c.writeAll(out);
                    return out.position();
                }));
            }
            for (JoinHandle<Integer> h : done) {
                assertEquals(MESSAGE, join(h));
            }
        });
    }

    /** {@code RssAnon} of this process: resident memory not backed by a file (heap, malloc, anonymous mappings). */
    private static long rssAnonBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no RssAnon in /proc/self/status");
    }
}
