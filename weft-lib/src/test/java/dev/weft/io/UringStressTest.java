package dev.weft.io;

import dev.weft.net.IoTimeoutException;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The io_uring driver's two cross-thread protocols under load. A lost wake-up shows as a join or
 * latch that does not finish within its bound.
 * <ul>
 *   <li>A worker asleep in {@code io_uring_enter} is woken through its eventfd after a waker
 *       CASes its state and reads its {@code parked} flag (Worker, WakeHandle).</li>
 *   <li>A multishot accept hands descriptors to acceptors on any worker ({@link AcceptQueue}).</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UringStressTest {

    /**
     * Spawns from outside, each timed against workers falling asleep (a random pause of 0 to
     * 200 µs first): every one runs. Without I/O in flight the workers sleep on their park
     * permits.
     */
    @Test
    void everySpawnIntoAnIdleRuntimeRuns() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).io(IoMode.URING).build())) {
            spawnAgainstSleepers(rt);
        }
    }

    /**
     * The same with reads pending on every worker, so that the workers sleep inside
     * {@code io_uring_enter} and a wake-up must come through the eventfd.
     */
    @Test
    void everySpawnIntoARuntimeAsleepInTheKernelRuns() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).io(IoMode.URING).build());
             java.net.ServerSocket peer = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> peers = new ArrayList<>();
            List<JoinHandle<Integer>> readers = new ArrayList<>();
            for (int i = 0; i < 8; i++) { // spread over both workers by stealing
                readers.add(rt.spawn(() -> {
                    try (TcpStream s = TcpStream.connect((InetSocketAddress) peer.getLocalSocketAddress(),
                            Duration.ofSeconds(5))) {
                        return s.read(ByteBuffer.allocate(1)); // pending until the peers close
                    }
                }));
                peers.add(peer.accept());
            }
            spawnAgainstSleepers(rt);
            for (Socket p : peers) {
                p.close();
            }
            for (JoinHandle<Integer> r : readers) {
                assertEquals(-1, r.join(Duration.ofSeconds(10)));
            }
        }
    }

    private static void spawnAgainstSleepers(Weft rt) throws Exception {
        {
            int n = 20_000;
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < n; i++) {
                int pause = ThreadLocalRandom.current().nextInt(200_000);
                if (pause > 20_000) {
                    LockSupport.parkNanos(pause);
                }
                JoinHandle<Integer> h = rt.spawn(ran::incrementAndGet);
                if ((i & 7) == 0) {
                    h.join(Duration.ofSeconds(10)); // a lost wake-up would hang here
                }
            }
            for (int spins = 0; ran.get() < n && spins < 10_000; spins++) {
                Thread.sleep(1); // the last spawns, not joined, finish
            }
            assertEquals(n, ran.get());
        }
    }

    /**
     * 400 connections from platform threads against 6 acceptor tasks, some of them waiting with
     * short timeouts and trying again: every connection is accepted exactly once.
     */
    @Test
    void everyConnectionIsAcceptedOnce() throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).io(IoMode.URING).build())) {
            int connections = 400;
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(connections);
            CountDownLatch bound = new CountDownLatch(1);
            InetSocketAddress[] address = new InetSocketAddress[1];
            JoinHandle<Void> server = rt.spawn(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 1024)) {
                    address[0] = l.localAddress();
                    bound.countDown();
                    List<JoinHandle<Void>> acceptors = new ArrayList<>();
                    for (int a = 0; a < 6; a++) {
                        boolean impatient = a % 2 == 0;
                        acceptors.add(rt.spawn(() -> {
                            while (all.getCount() > 0) {
                                TcpStream s;
                                try {
                                    s = impatient ? l.accept(Duration.ofMillis(1)) : l.accept(Duration.ofMillis(200));
                                } catch (IoTimeoutException e) {
                                    continue;
                                }
                                try (s) {
                                    ByteBuffer b = ByteBuffer.allocate(4);
                                    s.readFully(b);
                                    if (!seen.add(b.getInt(0))) {
                                        duplicates.incrementAndGet();
                                    }
                                }
                                all.countDown();
                            }
                            return null;
                        }));
                    }
                    for (JoinHandle<Void> h : acceptors) {
                        h.join(Duration.ofSeconds(60));
                    }
                }
                return null;
            });
            assertTrue(bound.await(10, TimeUnit.SECONDS));
            List<Thread> clients = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < 4; t++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    int id;
                    while ((id = next.getAndIncrement()) < connections) {
                        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), address[0].getPort())) {
                            c.getOutputStream().write(ByteBuffer.allocate(4).putInt(0, id).array());
                            c.getInputStream().read(); // until the server closes
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
            }
            assertTrue(all.await(60, TimeUnit.SECONDS), "connections left unaccepted: " + all.getCount());
            for (Thread c : clients) {
                c.join(10_000);
            }
            server.join(Duration.ofSeconds(30));
            assertEquals(connections, seen.size());
            assertEquals(0, duplicates.get());
        }
    }
}
