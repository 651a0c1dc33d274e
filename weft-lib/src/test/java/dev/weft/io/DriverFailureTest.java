package dev.weft.io;

import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A driver that meets an error it cannot go on from (an {@code io_uring_enter} error, a throwing
 * control message) fails its waiters and every later operation with an I/O error, keeps the
 * memory the kernel may still write, and leaves the runtime running tasks and able to shut down.
 */
@Timeout(60)
class DriverFailureTest {

    private static final int READERS = 4;
    private static final Duration JOIN = Duration.ofSeconds(20);

    /** Rings the test kernel opened, in order, with their fault switch. */
    private final List<Ring> rings = new CopyOnWriteArrayList<>();

    @AfterEach
    void realKernelAgain() {
        IoBackends.useKernel(UringKernel.REAL);
    }

    private void recordRings() {
        recordRings(UringKernel.REAL);
    }

    /** Runtimes started from now on probe {@code kernel} and open real rings with what it reports, recorded. */
    private void recordRings(UringKernel kernel) {
        IoBackends.useKernel(new UringKernel() {
            @Override
            public KernelFeatures probe() throws ErrnoException {
                return kernel.probe();
            }

            @Override
            public Ring open(int entries, KernelFeatures features) throws ErrnoException {
                Ring r = kernel.open(entries, features);
                rings.add(r);
                return r;
            }
        });
    }

    /**
     * Lets the readers reach the kernel (one that has not started yet fails at its start: the
     * same outcome), installs {@code fault} on the one worker's ring, and wakes the worker, which
     * then enters again and meets it.
     */
    private void injectIntoTheWorkersRing(Weft rt, Ring.EnterFault fault) throws Exception {
        Thread.sleep(200);
        rings.get(0).injectEnterFault(fault);
        assertEquals(7, rt.spawn(() -> 7).join(JOIN));
    }

    /**
     * On this kernel (one cancel-all request), as on 5.11 (no CANCEL_ALL: one cancel per
     * operation), and as on 5.11 with 2-entry rings (more cancels than the SQ holds: sent in turns).
     */
    @ParameterizedTest
    @ValueSource(strings = {"this machine", "5.11", "5.11, 2-entry rings"})
    void anEnterErrorFailsEveryWaiterAndLaterCallsWhileTasksStillRun(String kernel) throws Exception {
        UringKernel old = SimulatedKernel.simulating("5.11");
        recordRings(kernel.equals("this machine") ? UringKernel.REAL
                : kernel.equals("5.11") ? old
                : TestKernels.opening(old, (entries, features) -> old.open(2, features)));
        try (Weft rt = Weft.start(Config.builder().workers(1).io(IoMode.URING).build());
             Connections c = Connections.open(rt, READERS)) {
            List<JoinHandle<Void>> readers = c.readers(rt);
            readers.add(rt.spawn(() -> {
                c.listener.accept().close(); // an acceptor waiting too
            }));
            AtomicInteger calls = new AtomicInteger();
            injectIntoTheWorkersRing(rt, () -> calls.getAndIncrement() == 0 ? -Errno.EBADF : 0); // once

            for (JoinHandle<Void> r : readers) {
                assertFailedByTheDriver(r, "EBADF");
            }
            IOException failure = rt.ioFailure().orElseThrow();
            assertTrue(failure.getMessage().contains("io_uring_enter") && failure.getMessage().contains("EBADF"),
                    failure.getMessage());
            assertTrue(rt.stats().ioFailure().contains("EBADF"), rt.stats().ioFailure());

            // Later calls fail at once, naming the failure; tasks without I/O still run.
            JoinHandle<Void> later = rt.spawn(() -> {
                TcpStream.connect(c.address, Duration.ofSeconds(5)).close();
            });
            assertFailedByTheDriver(later, "EBADF");
            assertEquals(42, rt.spawn(() -> 6 * 7).join(JOIN));
            boolean undrained = rt.spawn(() -> UringDriver.current().undrained()).join(JOIN);
            assertFalse(undrained, "the cancelled reads were reaped before anything was freed");
            rt.close();
            assertTrue(rt.isTerminated());
        }
    }

    @Test
    void aDriverThatCannotEnterAnyMoreFailsItsWaitersAndKeepsTheirMemory() throws Exception {
        recordRings();
        try (Weft rt = Weft.start(Config.builder().workers(1).io(IoMode.URING).build());
             Connections c = Connections.open(rt, READERS)) {
            List<JoinHandle<Void>> readers = c.readers(rt);
            injectIntoTheWorkersRing(rt, () -> -Errno.ENOMEM); // for good

            for (JoinHandle<Void> r : readers) {
                assertFailedByTheDriver(r, "ENOMEM");
            }
            UringDriver driver = rt.spawn(UringDriver::current).join(JOIN);
            assertTrue(driver.undrained(), "no CQE could be reaped, so the memory is kept");
            long provided = driver.providedBytes();
            assertTrue(provided > 0, "the heap reads' provided buffers are in the kernel");
            rt.close(); // does not hang, and frees nothing the kernel may still write
            assertTrue(rt.isTerminated());
            assertTrue(UringDriver.keptForGood(driver), "the closed driver is kept, with its memory");
            assertEquals(provided, driver.providedBytes(), "no provided buffer was freed at close");
            assertTrue(driver.keptOperations() >= 1, "the stuck reads stay reachable after close");
        }
    }

    @Test
    void aTaskWhoseOwnSubmitMeetsTheErrorFailsTheDriverThere() throws Exception {
        // Rings of 2 SQ entries: the third of three reads queued back to back must submit the
        // first two itself, inside its task, and that submit fails.
        IoBackends.useKernel(TestKernels.opening(UringKernel.REAL, (entries, features) -> {
            Ring r = UringKernel.REAL.open(2, features);
            rings.add(r);
            return r;
        }));
        try (Weft rt = Weft.start(Config.builder().workers(1).io(IoMode.URING).build());
             Connections c = Connections.open(rt, 3)) {
            java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
            rings.get(0).injectEnterFault(() ->
                    Thread.currentThread().isVirtual() && fired.compareAndSet(false, true) ? -Errno.EBADF : 0);
            List<JoinHandle<Void>> readers = rt.spawn(() -> c.readers(rt)).join(JOIN); // spawned by a task: one worker, in a row
            for (JoinHandle<Void> r : readers) {
                assertFailedByTheDriver(r, "EBADF");
            }
            assertTrue(fired.get(), "a task's own submit met the error");
            boolean undrained = rt.spawn(() -> UringDriver.current().undrained()).join(JOIN);
            assertFalse(undrained);
        }
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aThrowingControlMessageFailsTheRuntimesIoOnEveryWorker(IoMode mode) throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).io(mode).build());
             Connections c = Connections.open(rt, READERS)) {
            List<JoinHandle<Void>> readers = c.readers(rt);
            Thread.sleep(200);
            rt.spawn(() -> {
                Runnable injected = () -> {
                    throw new IllegalStateException("injected control-message failure");
                };
                if (IoDriver.current("test") instanceof NioDriver nio) {
                    nio.control(injected);
                } else {
                    UringDriver.current().control(injected);
                }
            }).join(JOIN);

            for (JoinHandle<Void> r : readers) { // wherever each read waits
                assertFailedByTheDriver(r, "injected control-message failure");
            }
            assertTrue(rt.ioFailure().isPresent());
            assertEquals(42, rt.spawn(() -> 6 * 7).join(JOIN));
            rt.close();
            assertTrue(rt.isTerminated());
        }
    }

    /** {@code h} failed with the driver's failure, whose message names {@code cause}. */
    private static void assertFailedByTheDriver(JoinHandle<?> h, String cause) throws InterruptedException {
        JoinException e = assertThrows(JoinException.class, () -> h.join(JOIN));
        DriverFailedException failed = assertInstanceOf(DriverFailedException.class, e.getCause(),
                () -> "expected the driver's failure, got " + e.getCause());
        assertTrue(failed.getMessage().contains(cause), failed.getMessage());
    }

    /** A listener and {@code n} accepted connections whose clients (plain JDK sockets) send nothing. */
    private static final class Connections implements AutoCloseable {
        final InetSocketAddress address;
        final List<TcpStream> accepted;
        final List<Socket> clients = new ArrayList<>();
        final TcpListener listener;

        private Connections(TcpListener listener, InetSocketAddress address, List<TcpStream> accepted) {
            this.listener = listener;
            this.address = address;
            this.accepted = accepted;
        }

        static Connections open(Weft rt, int n) throws Exception {
            CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
            CompletableFuture<TcpListener> listening = new CompletableFuture<>();
            JoinHandle<List<TcpStream>> acceptor = rt.spawn(() -> {
                TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), n);
                listening.complete(l);
                bound.complete(l.localAddress());
                List<TcpStream> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(l.accept());
                }
                return list;
            });
            InetSocketAddress address = bound.get(10, TimeUnit.SECONDS);
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                clients.add(new Socket(address.getAddress(), address.getPort()));
            }
            Connections c = new Connections(listening.get(), address, acceptor.join(JOIN));
            c.clients.addAll(clients);
            return c;
        }

        /** One task per connection, each waiting in a read that only the failure ends. */
        List<JoinHandle<Void>> readers(Weft rt) {
            List<JoinHandle<Void>> readers = new ArrayList<>();
            for (int i = 0; i < accepted.size(); i++) {
                TcpStream s = accepted.get(i);
                ByteBuffer b = i % 2 == 0 ? ByteBuffer.allocateDirect(16) : ByteBuffer.allocate(16);
                readers.add(rt.spawn(() -> {
                    s.read(b);
                    throw new AssertionError("the read returned: nothing was sent");
                }));
            }
            return readers;
        }

        @Override
        public void close() throws IOException {
            for (Socket s : clients) {
                s.close();
            }
            for (TcpStream s : accepted) {
                s.close();
            }
            listener.close();
        }
    }

    @Test
    void aMessageThatThrowsDoesNotStopTheOthers() {
        List<String> ran = new ArrayList<>();
        ControlMailbox box = new ControlMailbox(() -> { });
        box.post(() -> ran.add("first"));
        box.post(() -> {
            throw new IllegalStateException("second");
        });
        box.post(() -> ran.add("third"));
        IllegalStateException e = assertThrows(IllegalStateException.class, box::runPending);
        assertEquals("second", e.getMessage());
        assertEquals(List.of("first", "third"), ran);
        assertFalse(box.pending());
    }

    @Test
    void enterErrorsThatOnlyInterruptDoNotFailTheDriver() throws Exception {
        recordRings();
        try (Weft rt = Weft.start(Config.builder().workers(1).io(IoMode.URING).build())) {
            AtomicInteger calls = new AtomicInteger();
            rings.get(0).injectEnterFault(() -> switch (calls.getAndIncrement()) {
                case 0 -> -Errno.EINTR;
                case 1 -> -Errno.EAGAIN;
                case 2 -> -Errno.EBUSY;
                default -> 0;
            });
            CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
            JoinHandle<Integer> server = rt.spawn(() -> {
                try (TcpListener l = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 1)) {
                    bound.complete(l.localAddress());
                    try (TcpStream s = l.accept()) {
                        ByteBuffer b = ByteBuffer.allocate(4);
                        s.readFully(b);
                        return b.getInt(0);
                    }
                }
            });
            InetSocketAddress address = bound.get(10, TimeUnit.SECONDS);
            try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                client.getOutputStream().write(new byte[] {0, 0, 1, 2});
                assertEquals(258, server.join(JOIN));
            }
            assertTrue(calls.get() >= 3, "the faults were met: " + calls.get());
            assertTrue(rt.ioFailure().isEmpty(), () -> "failed: " + rt.ioFailure());
        }
    }
}
