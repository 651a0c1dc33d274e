package dev.weft.bench.io;

import dev.weft.ioqueue.Completion;
import dev.weft.ioqueue.IoQueue;
import dev.weft.ioqueue.QueueAbi;
import dev.weft.ioqueue.QueueProducer;
import org.HdrHistogram.Histogram;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code weft-ioqueue}: the request queue fed by weft's Java {@link QueueProducer} on a thread of
 * its own, against an {@link dev.weft.ioqueue.IoLoop} in this JVM with its default idle back-off (a
 * new queue and loop per measurement, so that no loop idles beside the other implementations).
 * The loop's thread is pinned to CPU 0 and the producer's to CPU 1 when {@code pin} (as a server
 * and its load generator: see BENCHMARKS.md). The producer keeps the case's queue depth of
 * requests in flight, collecting the oldest and publishing the next; it spins on the slot's
 * status ({@link QueueProducer#poll}) rather than parking, since it has a CPU of its own. CPU per
 * transfer is the loop thread's (from /proc), the producer's not counted.
 *
 * <p>The direct cases name sources added with {@code SourceFiles.addDirect} (O_DIRECT). idle-cpu:
 * the loop's thread's CPU over a window with nothing published, as % of one core.
 */
final class WeftQueueImpl implements IoImpl {

    /** The stable name. */
    static final String NAME = "weft-ioqueue";
    /** The producer thread's name, before its number. */
    static final String PRODUCER = "wb-io-prod";
    /** The loop thread's name, before its number. */
    static final String LOOP = "wb-io-loop";
    /** idle-cpu's explanation, beside its metric: the idle loop's parks per second. */
    static final String PARKS_PER_SECOND = "parks/s";
    /** idle-cpu's explanation, beside its metric: the loop's CPU per park, µs. */
    static final String CPU_PER_PARK = "cpu-per-park-µs";

    private final boolean pin;
    private Arena arena;
    private MemorySegment region;
    private IoFiles files;

    /** @param pin whether to pin the loop to CPU 0 and the producer to CPU 1 */
    WeftQueueImpl(boolean pin) {
        this.pin = pin;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return System.getProperty("os.name", "").equals("Linux") ? Optional.empty()
                : Optional.of("the request queue needs io_uring, which is Linux-only");
    }

    @Override
    public Optional<String> unsupported(IoCase c) {
        return Optional.empty();
    }

    @Override
    public String open(IoFiles files) throws Exception {
        this.files = files;
        arena = Arena.ofShared();
        region = arena.allocate((long) QueueServer.DESTINATIONS * QueueServer.DESTINATION_BYTES, 4096);
        try (IoQueue queue = IoQueue.allocate(QueueServer.SLOTS); QueueServer server = start(queue)) {
            if (!server.loop().isRunning()) { // a loop that cannot run here fails now, not in every case
                throw new IllegalStateException("the IoLoop stopped at once: " + server.loop().failure());
            }
        }
        return "IoLoop (default back-off) in this JVM" + (pin ? " on CPU 0" : "") + ", a new queue and loop per measurement" + ", QueueProducer on a thread"
                + (pin ? " on CPU 1" : "") + " spinning on poll, " + QueueServer.SLOTS + " slots";
    }

    private QueueServer start(IoQueue queue) throws Exception {
        return QueueServer.start(queue, files, region, LOOP, pin ? "0" : null);
    }

    @Override
    public Map<String, Double> measure(IoCase c, Duration length, IoPlan plan) throws Exception {
        try (IoQueue queue = IoQueue.allocate(QueueServer.SLOTS); QueueServer server = start(queue)) {
            QueueProducer producer = queue.producer();
            return switch (c.kind()) {
                case FILE -> onProducer(() -> transfers(server, producer, c, length), length);
                case LATENCY -> onProducer(() -> latency(producer, plan), plan.idleGap()
                        .multipliedBy(plan.idleRequests() * 4L).plusSeconds(plan.busyRequests() / 10_000 + 1));
                case IDLE -> idle(server, plan.idleWindow());
            };
        }
    }

    /** Runs {@code body} on a new producer thread (pinned to CPU 1 if pinning). */
    private <T> T onProducer(Callable<T> body, Duration length) throws Exception {
        String name = OsThreads.uniqueName(PRODUCER);
        FutureTask<T> task = new FutureTask<>(() -> {
            if (pin) {
                OsThreads.pin(OsThreads.one(name), "1");
            }
            return body.call();
        });
        Thread t = Thread.ofPlatform().name(name).daemon(true).start(task);
        try {
            return task.get(length.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            t.interrupt();
            t.join(Duration.ofSeconds(5));
        }
    }

    private Map<String, Double> transfers(QueueServer server, QueueProducer producer, IoCase c, Duration length)
            throws Exception {
        int depth = c.depth();
        int op = c.write() ? QueueAbi.OP_WRITE : QueueAbi.OP_READ;
        int src = QueueServer.source(c);
        int block = c.blockBytes();
        IoFiles.Offsets offsets = files.offsets(c, 7);
        long[] tickets = new long[depth];
        long cpu0 = server.cpuNanos();
        long start = System.nanoTime();
        long deadline = start + length.toNanos();
        for (int i = 0; i < depth; i++) {
            tickets[i] = producer.publish(op, src, i, offsets.next(), block, i);
        }
        long ops = 0;
        int last = 0;
        for (int i = 0; ; i = i + 1 == depth ? 0 : i + 1) {
            check(c, spin(producer, tickets[i]), block);
            ops++;
            if (System.nanoTime() - deadline >= 0) {
                last = i;
                break;
            }
            tickets[i] = producer.publish(op, src, i, offsets.next(), block, i);
        }
        for (int k = 1; k < depth; k++) { // the others still in flight, oldest first
            check(c, spin(producer, tickets[(last + k) % depth]), block);
            ops++;
        }
        long nanos = System.nanoTime() - start;
        return c.rates(ops, nanos, server.cpuNanos() - cpu0);
    }

    private static void check(IoCase c, Completion done, int block) {
        if (!done.ok() || done.bytes() != block) {
            throw new IllegalStateException(c.id() + ": a request of " + block + " bytes completed " + done);
        }
    }

    /** Polls the ticket until it is done, spinning. */
    private static Completion spin(QueueProducer producer, long ticket) throws InterruptedException {
        for (;;) {
            Completion done = producer.poll(ticket);
            if (done != null) {
                return done;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for ticket " + ticket);
            }
            Thread.onSpinWait();
        }
    }

    private Map<String, Double> latency(QueueProducer producer, IoPlan plan) throws InterruptedException {
        IoCase c = IoCase.QUEUE_LATENCY;
        IoFiles.Offsets offsets = files.offsets(c, 11);
        Histogram busy = new Histogram(3);
        Histogram idle = new Histogram(3);
        for (int i = 0; i < plan.busyRequests(); i++) {
            busy.recordValue(once(producer, offsets));
        }
        for (int i = 0; i < plan.idleRequests(); i++) {
            LockSupport.parkNanos(plan.idleGap().toNanos());
            idle.recordValue(once(producer, offsets));
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(IoCase.P50, (double) busy.getValueAtPercentile(50));
        m.put(IoCase.P99, (double) busy.getValueAtPercentile(99));
        m.put(IoCase.P50_IDLE, (double) idle.getValueAtPercentile(50));
        m.put(IoCase.P99_IDLE, (double) idle.getValueAtPercentile(99));
        return m;
    }

    /** One 4 KiB read, publish to complete, ns. */
    private static long once(QueueProducer producer, IoFiles.Offsets offsets) throws InterruptedException {
        IoCase c = IoCase.QUEUE_LATENCY;
        long t0 = System.nanoTime();
        long ticket = producer.publish(QueueAbi.OP_READ, QueueServer.DATA, 0, offsets.next(), c.blockBytes(), 0);
        Completion done = spin(producer, ticket);
        long ns = System.nanoTime() - t0;
        check(c, done, c.blockBytes());
        return ns;
    }

    /**
     * The idle loop's CPU over {@code window}, as % of one core, and what it is made of: its parks
     * per second ({@link #PARKS_PER_SECOND}; its dozes are parks too) and the CPU each costs
     * ({@link #CPU_PER_PARK}, µs).
     */
    private static Map<String, Double> idle(QueueServer server, Duration window) throws Exception {
        Thread.sleep(200); // past the back-off's spinning, into its parks
        long parks0 = parks(server);
        long cpu0 = server.cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(window);
        long cpu = server.cpuNanos() - cpu0;
        long nanos = System.nanoTime() - t0;
        long parks = parks(server) - parks0;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(IoCase.CPU, 100.0 * cpu / nanos);
        m.put(PARKS_PER_SECOND, parks * 1e9 / nanos);
        if (parks > 0) {
            m.put(CPU_PER_PARK, cpu / 1e3 / parks);
        }
        return m;
    }

    /** The loop's idle parks and dozes so far. */
    private static long parks(QueueServer server) {
        var stats = server.loop().stats();
        return stats.idleParks() + stats.dozes();
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }
}
