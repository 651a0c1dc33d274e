package dev.weft.bench.http;

import dev.weft.bench.BenchCase;
import dev.weft.bench.Metric;
import java.util.List;

/**
 * The cases of the http suite: what {@code wrk} asks for, over how many connections, and how
 * many requests it writes at once on each. The issue's {@code plaintext} case runs at two
 * concurrencies; a result names one case, so each concurrency is a case of its own,
 * {@code plaintext-c16} and {@code plaintext-c100}.
 */
public enum HttpCase implements BenchCase {

    /** {@code GET /plaintext} ({@code Hello, World!}) over 16 connections, one request in flight on each. */
    PLAINTEXT_C16("plaintext-c16", "/plaintext", 16, 1),
    /** {@code GET /plaintext} over 100 connections, one request in flight on each. */
    PLAINTEXT_C100("plaintext-c100", "/plaintext", 100, 1),
    /** {@code GET /plaintext} over 100 connections, 16 requests written at once on each. */
    PLAINTEXT_PIPELINED("plaintext-pipelined", "/plaintext", 100, 16),
    /** {@code GET /json} ({@code {"message":"Hello, World!"}}) over 100 connections. */
    JSON("json", "/json", 100, 1),
    /** A 4 KiB file ({@link BenchFiles#SMALL}) over 100 connections. */
    STATIC_4K("static-4k", "/" + BenchFiles.SMALL, 100, 1),
    /** A 1 MiB file ({@link BenchFiles#LARGE}) over 16 connections. */
    STATIC_1M("static-1m", "/" + BenchFiles.LARGE, 16, 1);

    /** Requests answered per second over the measured period. */
    public static final String THROUGHPUT = "throughput";
    /** Median latency, as wrk measures it: from writing a request to the end of its response. */
    public static final String P50 = "p50";
    /** 99th-percentile latency. */
    public static final String P99 = "p99";
    /** Microseconds of the server's CPU time (all its processes, user + system) per request. */
    public static final String CPU_PER_OP = "cpu-per-op";

    private static final List<Metric> METRICS = List.of(new Metric(THROUGHPUT, "req/s", true),
            new Metric(P50, "ns", false), new Metric(P99, "ns", false), new Metric(CPU_PER_OP, "µs", false));
    private static final List<Metric> PIPELINED_METRICS = List.of(METRICS.get(0), METRICS.get(3));

    private final String id;
    private final String path;
    private final int connections;
    private final int depth;

    HttpCase(String id, String path, int connections, int depth) {
        this.id = id;
        this.path = path;
        this.connections = connections;
        this.depth = depth;
    }

    @Override
    public String id() {
        return id;
    }

    /**
     * {@code throughput}, {@code p50}, {@code p99}, {@code cpu-per-op}; a pipelined case has no
     * latencies: wrk times a batch of requests there, from its write to the last response, and
     * its correction for coordinated omission spaces that histogram by the interval of one
     * response, which leaves its percentiles meaningless (often 0).
     */
    @Override
    public List<Metric> metrics() {
        return depth > 1 ? PIPELINED_METRICS : METRICS;
    }

    /** Whether this case reports latencies ({@link #P50}, {@link #P99}). */
    public boolean hasLatency() {
        return depth == 1;
    }

    /** The request target. */
    public String path() {
        return path;
    }

    /** The connections wrk keeps open. */
    public int connections() {
        return connections;
    }

    /** The requests wrk writes at once on a connection (1: not pipelined). */
    public int depth() {
        return depth;
    }
}
