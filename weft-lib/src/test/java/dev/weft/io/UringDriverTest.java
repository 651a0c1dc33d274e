package dev.weft.io;

import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UringDriverTest {

    private Weft scheduler;

    @BeforeEach
    void start() {
        scheduler = Weft.start(Config.builder().workers(2).io(IoMode.URING).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.close();
        scheduler.awaitTermination(Duration.ofSeconds(10));
    }

    /**
     * A worker that never runs dry (a task yielding in a loop) still submits and reaps I/O between
     * ticks: the read completes and ends the loop. Deferred completions need the worker to ask.
     */
    @Test
    @Timeout(60)
    void ioCompletesWhileTheWorkerIsBusy() throws Exception {
        scheduler.close();
        scheduler.awaitTermination(Duration.ofSeconds(10));
        scheduler = Weft.start(Config.builder().workers(1).io(IoMode.URING).build());
        try (java.net.ServerSocket peer = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var done = new java.util.concurrent.atomic.AtomicBoolean();
            var spinner = scheduler.spawn(() -> {
                long spins = 0;
                while (!done.get()) {
                    Thread.yield();
                    spins++;
                }
                return spins;
            });
            var reader = scheduler.spawn(() -> {
                try (TcpStream s = TcpStream.connect((InetSocketAddress) peer.getLocalSocketAddress(),
                        Duration.ofSeconds(5))) {
                    ByteBuffer b = ByteBuffer.allocate(5);
                    s.readFully(b);
                    done.set(true);
                    return new String(b.array(), StandardCharsets.UTF_8);
                }
            });
            try (java.net.Socket c = peer.accept()) {
                c.getOutputStream().write("ready".getBytes(StandardCharsets.UTF_8));
                assertEquals("ready", reader.join(Duration.ofSeconds(10)));
                spinner.join(Duration.ofSeconds(10));
            }
        }
    }

    /**
     * A CQE whose token names a slot with another generation (an operation that ended long ago)
     * is counted and ignored: nobody is woken, and the slot's real operations go on.
     */
    @Test
    @Timeout(60)
    void staleGenerationIsIgnored() throws Exception {
        var h = scheduler.spawn(() -> {
            UringDriver d = UringDriver.current();
            long before = d.staleCompletions();
            for (int slot = 0; slot < 4; slot++) {
                long sqe = d.ring().nextSqe();
                d.ring().prepare(sqe, dev.weft.uring.Abi.OP_NOP, -1, 0, 0, 0, (0x7ffffffeL << 32) | slot);
            }
            // The worker submits and reaps between tasks; the NOP CQEs find no matching operation.
            // Wait for them here, on this worker, without parking (a park could move this task).
            long stale = before;
            for (int i = 0; i < 1_000_000 && stale < before + 4; i++) {
                Thread.yield();
                stale = d.staleCompletions();
            }
            return stale - before;
        });
        assertEquals(4L, h.join(Duration.ofSeconds(30)));
        echoesOverLoopback(); // real operations still complete in those slots
    }

    @Test
    @Timeout(60)
    void echoesOverLoopback() throws Exception {
        var h = scheduler.spawn(() -> {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 16)) {
                var server = scheduler.spawn(() -> {
                    try (TcpStream s = l.accept()) {
                        ByteBuffer b = ByteBuffer.allocate(64);
                        int n;
                        while ((n = s.read(b)) > 0) {
                            b.flip();
                            s.writeAll(b);
                            b.clear();
                        }
                    }
                    return null;
                });
                List<String> got = new ArrayList<>();
                try (TcpStream c = TcpStream.connect(l.localAddress(), Duration.ofSeconds(5))) {
                    for (int i = 0; i < 100; i++) {
                        byte[] msg = ("hello " + i).getBytes(StandardCharsets.UTF_8);
                        c.writeAll(ByteBuffer.wrap(msg));
                        ByteBuffer in = ByteBuffer.allocate(msg.length);
                        c.readFully(in);
                        got.add(new String(in.array(), StandardCharsets.UTF_8));
                    }
                    c.shutdownOutput();
                    server.join(Duration.ofSeconds(5));
                }
                return got;
            }
        });
        List<String> got = h.join(Duration.ofSeconds(20));
        assertEquals(100, got.size());
        assertEquals("hello 99", got.get(99));
        // 100 round trips: at least a send and a receive each, on each side, counted per worker
        long ops = scheduler.stats().total(dev.weft.runtime.WorkerStats::ioOperations);
        org.junit.jupiter.api.Assertions.assertTrue(ops >= 400, "I/O operations counted: " + ops);
        assertEquals("io_uring", scheduler.stats().ioBackend());
    }
}
