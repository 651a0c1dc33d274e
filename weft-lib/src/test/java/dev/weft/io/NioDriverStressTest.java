package dev.weft.io;

import dev.weft.runtime.RuntimeStats;
import dev.weft.runtime.WorkerStats;
import dev.weft.sched.Scheduler;
import dev.weft.task.JoinHandle;
import dev.weft.uring.ErrnoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.weft.io.NioTesting.ANY_LOOPBACK;
import static dev.weft.io.NioTesting.io;
import static dev.weft.io.NioTesting.join;
import static dev.weft.io.NioTesting.readFully;
import static dev.weft.io.NioTesting.writeFully;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The NIO driver under load: many connections parked on one worker, descriptors released after
 * many connections close, and an idle runtime woken from outside. A lost wake-up shows as a join
 * that does not return within its bound.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NioDriverStressTest {

    /**
     * {@code connections} clients and their echo handlers, all tasks of {@code s}: each client
     * does {@code rounds} round trips; returns the bytes echoed. Everything is closed after.
     */
    private static long echoMany(Scheduler s, int connections, int rounds) throws Exception {
        return join(s.spawn(() -> {
            SocketHandle l = io().listen(ANY_LOOPBACK, connections, SocketConfig.DEFAULTS);
            InetSocketAddress address = l.localAddress();
            JoinHandle<Void> acceptor = s.spawn(() -> {
                for (int i = 0; i < connections; i++) {
                    SocketHandle c = io().accept(l, IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS);
                    s.spawn(() -> NioTesting.echo(c));
                }
                return null;
            });
            List<JoinHandle<Long>> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int id = i;
                clients.add(s.spawn(() -> client(address, id, rounds)));
            }
            long total = 0;
            for (JoinHandle<Long> c : clients) {
                total += join(c, s, "a client");
            }
            join(acceptor, s, "the acceptor");
            l.close();
            return total;
        }), s, "the echo test");
    }

    private static long client(InetSocketAddress address, int id, int rounds) throws IOException {
        SocketHandle c = io().connect(address, IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS);
        try {
            long echoed = 0;
            ByteBuffer out = ByteBuffer.allocate(64);
            ByteBuffer in = ByteBuffer.allocate(64);
            for (int r = 0; r < rounds; r++) {
                out.clear();
                while (out.hasRemaining()) {
                    out.putInt(id * 1000 + r);
                }
                out.flip();
                writeFully(c, out);
                in.clear();
                readFully(c, in); // parks until the echo handler, a task on this worker too, answers
                in.flip();
                while (in.hasRemaining()) {
                    if (in.getInt() != id * 1000 + r) {
                        throw new ErrnoException("client " + id + " read another connection's bytes", 5);
                    }
                }
                echoed += 64;
            }
            c.shutdownOutput();
            if (io().read(c, ByteBuffer.allocate(1), IoDriver.NO_TIMEOUT) != 0) {
                throw new IOException("client " + id + " expected EOF");
            }
            return echoed;
        } finally {
            c.close();
        }
    }

    @Test
    void aHundredConnectionsEchoOnOneWorker() throws Exception {
        Scheduler s = NioTesting.start(1);
        try {
            assertEquals(100L * 5 * 64, echoMany(s, 100, 5));
            assertEquals(0, NioTesting.waiters(s));
        } finally {
            NioTesting.stop(s);
        }
    }

    @Test
    void fiftyConnectionsLeakNoFileDescriptors() throws Exception {
        Scheduler s = NioTesting.start(2);
        try {
            echoMany(s, 5, 1); // warm up: classes, native libraries, the JDK's lazily opened files
            int before = NioTesting.settledFds();
            assertEquals(50L * 3 * 64, echoMany(s, 50, 3));
            // Closed channels keep their descriptor until every selector that held a key drops
            // it in its next select; close() wakes those workers, so this settles quickly.
            NioTesting.fdsBackTo(before, NioTesting::openFds);
        } finally {
            NioTesting.stop(s);
        }
    }

    @Test
    void anIdleRuntimeOnNioWakesForEachOfTenThousandSpawnsFromOutside() throws Exception {
        Scheduler s = NioTesting.start(2);
        try {
            // A task parked in a read keeps a key registered, so the workers sleep in select.
            SocketHandle[] p = join(s.spawn(() -> {
                SocketHandle l = io().listen(ANY_LOOPBACK, 4, SocketConfig.DEFAULTS);
                SocketHandle c = io().connect(l.localAddress(), IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS);
                SocketHandle a = io().accept(l, IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS);
                l.close();
                return new SocketHandle[] {a, c};
            }), s, "pair");
            JoinHandle<Integer> parked = s.spawn(() -> io().read(p[1], ByteBuffer.allocate(1), IoDriver.NO_TIMEOUT));
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 10_000; i++) {
                if ((i & 7) == 0) {
                    // Workers spin about 90 µs before they park: some spawns land while they
                    // fall asleep, others while they sit in select.
                    long until = System.nanoTime() + random.nextLong(300_000);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
                int v = i;
                JoinHandle<Integer> h = s.spawn(() -> v);
                try {
                    assertEquals(v, h.join(Duration.ofSeconds(10)));
                } catch (TimeoutException e) {
                    fail("spawn " + i + " from outside never ran: a lost wake-up; " + s.stats(RuntimeStats::new, WorkerStats::new));
                }
            }
            p[0].close();
            assertEquals(0, join(parked, s, "the parked reader"), "EOF after the peer closed");
            p[1].close();
        } finally {
            NioTesting.stop(s);
        }
    }
}
