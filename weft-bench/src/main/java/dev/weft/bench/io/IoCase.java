package dev.weft.bench.io;

import dev.weft.bench.BenchCase;
import dev.weft.bench.Metric;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cases of the io suite, by the names, with the workload each one runs. Every file
 * case runs one job (one weft worker, one fio job, one request-queue producer) that keeps
 * {@link #depth()} transfers of {@link #blockBytes()} in flight.
 */
public enum IoCase implements BenchCase {

    /** Sequential 128 KiB reads of the resident file, one in flight; metric {@code throughput} (bytes/s). */
    SEQREAD_128K("seqread-128k", Kind.FILE, 128 * 1024, 1, false, false, false),
    /** Random 4 KiB reads of the resident file, 32 in flight; metric {@code iops}. */
    RANDREAD_4K_QD32("randread-4k-qd32", Kind.FILE, 4096, 32, true, false, false),
    /**
     * Random 4 KiB O_DIRECT writes, 32 in flight, to a file of their own (a direct write drops
     * the cached pages it overwrites, so it never touches the resident file); metric {@code iops}.
     */
    RANDWRITE_4K_DIRECT("randwrite-4k-direct", Kind.FILE, 4096, 32, true, true, true),
    /** Random 4 KiB O_DIRECT reads of the data file, 32 in flight (from the device); metric {@code iops}. */
    DIRECT_RANDREAD_4K_QD32("direct-randread-4k-qd32", Kind.FILE, 4096, 32, true, false, true),
    /**
     * Publish-to-complete time of one 4 KiB read through the request queue, one request at a
     * time: {@code p50}/{@code p99} with the producer publishing the next request as soon as the
     * last completed (busy; the producer spins on the status word), {@code p50-idle}/{@code p99-idle}
     * with a pause of {@link IoPlan#idleGap()} before each request, so that the loop has backed
     * off to parking (ns).
     */
    QUEUE_LATENCY("queue-latency", Kind.LATENCY, 4096, 1, true, false, false),
    /** CPU of an IoLoop serving an empty queue, as % of one core, from /proc over a window. */
    IDLE_CPU("idle-cpu", Kind.IDLE, 0, 0, false, false, false);

    /** What a case measures. */
    public enum Kind {
        /** Transfers per second or bytes per second of a file workload. */
        FILE,
        /** Request latency through the queue. */
        LATENCY,
        /** CPU of an idle loop. */
        IDLE
    }

    /** Metric of the sequential case: bytes per second. */
    public static final String THROUGHPUT = "throughput";
    /** Metric of the random cases: transfers per second. */
    public static final String IOPS = "iops";
    /** CPU of the side that does the I/O per transfer (µs); see {@link IoSuite}. */
    public static final String CPU_PER_OP = "cpu-per-op";
    /** Busy publish-to-complete median (ns). */
    public static final String P50 = "p50";
    /** Busy publish-to-complete 99th percentile (ns). */
    public static final String P99 = "p99";
    /** Idle publish-to-complete median (ns). */
    public static final String P50_IDLE = "p50-idle";
    /** Idle publish-to-complete 99th percentile (ns). */
    public static final String P99_IDLE = "p99-idle";
    /** idle-cpu's metric: % of one core. */
    public static final String CPU = "cpu";
    /** The unit of {@link #CPU}. */
    public static final String PERCENT_CORE = "%core";

    private final String id;
    private final Kind kind;
    private final int blockBytes;
    private final int depth;
    private final boolean random;
    private final boolean write;
    private final boolean direct;

    IoCase(String id, Kind kind, int blockBytes, int depth, boolean random, boolean write, boolean direct) {
        this.id = id;
        this.kind = kind;
        this.blockBytes = blockBytes;
        this.depth = depth;
        this.random = random;
        this.write = write;
        this.direct = direct;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Metric> metrics() {
        return switch (kind) {
            case FILE -> List.of(new Metric(random ? IOPS : THROUGHPUT, random ? "ops/s" : "B/s", true),
                    new Metric(CPU_PER_OP, "µs", false));
            case LATENCY -> List.of(new Metric(P50, "ns", false), new Metric(P99, "ns", false),
                    new Metric(P50_IDLE, "ns", false), new Metric(P99_IDLE, "ns", false));
            case IDLE -> List.of(new Metric(CPU, PERCENT_CORE, false));
        };
    }

    /** The metric that states the case's result: the first. */
    public String headline() {
        return metrics().getFirst().name();
    }

    /** What the case measures. */
    public Kind kind() {
        return kind;
    }

    /** Bytes per transfer. */
    public int blockBytes() {
        return blockBytes;
    }

    /** Transfers kept in flight. */
    public int depth() {
        return depth;
    }

    /** Random offsets (aligned to the block), else sequential, wrapping at the end of the file. */
    public boolean random() {
        return random;
    }

    /** Writes (to the write file), else reads (of the data file). */
    public boolean write() {
        return write;
    }

    /** Opened with O_DIRECT. */
    public boolean direct() {
        return direct;
    }

    /** The file cases, in table order. */
    public static List<IoCase> fileCases() {
        return List.of(values()).stream().filter(c -> c.kind == Kind.FILE).toList();
    }

    /**
     * The metrics of one measurement of a file case: {@code ops} transfers of
     * {@code blockBytes} in {@code nanos}, with {@code cpuNanos} of CPU (negative: not known).
     */
    public Map<String, Double> rates(long ops, long nanos, long cpuNanos) {
        if (kind != Kind.FILE) {
            throw new IllegalStateException(id + " is not a file case");
        }
        if (ops < 1 || nanos < 1) {
            throw new IllegalArgumentException(id + ": a measurement needs ops >= 1 and time > 0, had " + ops
                    + " ops in " + nanos + " ns");
        }
        double perSecond = ops * 1e9 / nanos;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(headline(), random ? perSecond : perSecond * blockBytes);
        if (cpuNanos >= 0) {
            m.put(CPU_PER_OP, cpuNanos / 1e3 / ops);
        }
        return m;
    }
}
