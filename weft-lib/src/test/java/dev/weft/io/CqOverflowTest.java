package dev.weft.io;

import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.runtime.WorkerStats;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker whose completion queue fills counts it in its stats, and loses no completion. */
@Timeout(60)
class CqOverflowTest {

    @AfterEach
    void realKernelAgain() {
        IoBackends.useKernel(UringKernel.REAL);
    }

    @Test
    void aFullCompletionQueueIsCountedAndLosesNothing() throws Exception {
        IoBackends.useKernel(TestKernels.realProbe((entries, features) -> UringKernel.REAL.open(2, features))); // rings of 2 SQ entries
        int n = 64;
        try (Weft rt = Weft.start(Config.builder().workers(1).io(IoMode.URING).build())) {
            CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
            JoinHandle<List<JoinHandle<Integer>>> acceptor = rt.spawn(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), n)) {
                    bound.complete(l.localAddress());
                    List<JoinHandle<Integer>> readers = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        TcpStream server = l.accept();
                        readers.add(Task.spawn(() -> {
                            try (server) {
                                ByteBuffer b = ByteBuffer.allocateDirect(1);
                                return server.read(b) == 1 ? (int) b.get(0) : -1;
                            }
                        }));
                    }
                    return readers;
                }
            });
            List<Socket> clients = new ArrayList<>();
            try {
                InetSocketAddress address = bound.get(10, TimeUnit.SECONDS);
                for (int i = 0; i < n; i++) {
                    clients.add(new Socket(address.getAddress(), address.getPort()));
                }
                List<JoinHandle<Integer>> readers = acceptor.join(Duration.ofSeconds(10));
                Thread.sleep(200); // every reader waits in a RECV
                CountDownLatch spinning = new CountDownLatch(1);
                JoinHandle<Void> spinner = rt.spawn(() -> { // holds the one worker: completions pile up
                    spinning.countDown();
                    long end = System.nanoTime() + 300_000_000L;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                });
                spinning.await();
                for (Socket c : clients) {
                    c.getOutputStream().write(1); // n completions at once, for 8 CQ slots
                }
                spinner.join(Duration.ofSeconds(10));
                int sum = 0;
                for (JoinHandle<Integer> r : readers) {
                    sum += r.join(Duration.ofSeconds(10));
                }
                assertEquals(n, sum, "every read completed");
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
            }
            WorkerStats w = rt.stats().workers().get(0);
            assertTrue(w.cqOverflows() > 0, w.toString());
            assertEquals(0, w.cqDropped(), w.toString());
        }
    }
}
