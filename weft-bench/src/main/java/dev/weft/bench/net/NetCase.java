package dev.weft.bench.net;

import dev.weft.bench.BenchCase;
import dev.weft.bench.Metric;

import java.util.Arrays;
import java.util.List;

/**
 * The net suite's cases: 100 connections echoing pipelined messages of 64 bytes or 4 KiB, served
 * by 2 worker threads or by 1 ({@code -1w}); and 100 connections kept open with nothing sent
 * ({@code idle-100c}), for the CPU an idle server uses. Names are stable: other tooling compares
 * runs by them.
 */
public enum NetCase implements BenchCase {

    /** 64-byte messages, 2 workers. */
    ECHO_64B_100C("echo-64b-100c", Kind.ECHO, 64, 2),
    /** 4 KiB messages, 2 workers. */
    ECHO_4K_100C("echo-4k-100c", Kind.ECHO, 4096, 2),
    /** 64-byte messages, 1 worker. */
    ECHO_64B_100C_1W("echo-64b-100c-1w", Kind.ECHO, 64, 1),
    /** 4 KiB messages, 1 worker. */
    ECHO_4K_100C_1W("echo-4k-100c-1w", Kind.ECHO, 4096, 1),
    /** 100 connections open and silent, 2 workers: the CPU the server uses while idle. */
    IDLE_100C("idle-100c", Kind.IDLE, 0, 2);

    /** What a case measures, and so how the suite measures it. */
    public enum Kind {
        /** Echoed messages: the {@link LoadGenerator} drives the server; throughput and latency. */
        ECHO,
        /** Silent connections: the {@link IdleMeter} measures the CPU used meanwhile. */
        IDLE
    }

    /** Connections opened to the server in every case. */
    public static final int CONNECTIONS = 100;
    /**
     * Messages in flight per connection for small messages: 16 x 64 B = 1 KiB per connection, so
     * one read on the server finds several messages and the per-read cost is spread over them,
     * as with pipelined requests; 1,600 messages in flight over 100 connections.
     */
    public static final int SMALL_PIPELINE_DEPTH = 16;
    /**
     * Messages in flight per connection for 4 KiB messages: 4 x 4 KiB = 16 KiB per connection,
     * within the default socket buffers, so neither side ever blocks on a full buffer; 1.6 MiB in
     * flight over 100 connections.
     */
    public static final int LARGE_PIPELINE_DEPTH = 4;

    /** The metric name of the echo rate. */
    public static final String THROUGHPUT = "throughput";
    /** The metric name of the median latency. */
    public static final String P50 = "p50";
    /** The metric name of the 99th percentile latency. */
    public static final String P99 = "p99";
    /** The metric name of the server process's CPU time per message echoed, in µs. */
    public static final String CPU_PER_OP = "cpu-per-op";
    /** The metric name of the whole JVM's CPU time while idle, as a percentage of one core. */
    public static final String CPU = "cpu";
    /** The metric name of the server's own threads' CPU time while idle, as a percentage of one core. */
    public static final String CPU_THREADS = "cpu-threads";
    /** The unit of {@link #CPU} and {@link #CPU_THREADS}: CPU time over wall time, x 100. */
    public static final String PERCENT_CORE = "%core";

    /**
     * The metrics of an echo case: throughput (messages echoed per second), send-to-echo latency
     * p50 and p99, and the server process's CPU time per message.
     */
    public static final List<Metric> ECHO_METRICS = List.of(new Metric(THROUGHPUT, "msgs/s", true),
            new Metric(P50, "ns", false), new Metric(P99, "ns", false), new Metric(CPU_PER_OP, "µs", false));

    /** The metrics of the idle case: the JVM's CPU, then that of the server's threads. */
    public static final List<Metric> IDLE_METRICS = List.of(new Metric(CPU, PERCENT_CORE, false),
            new Metric(CPU_THREADS, PERCENT_CORE, false));

    private final String id;
    private final Kind kind;
    private final int messageBytes;
    private final int workers;

    NetCase(String id, Kind kind, int messageBytes, int workers) {
        this.id = id;
        this.kind = kind;
        this.messageBytes = messageBytes;
        this.workers = workers;
    }

    /** The stable name in tables and JSON. */
    @Override
    public String id() {
        return id;
    }

    /** What the case measures. */
    public Kind kind() {
        return kind;
    }

    /** {@link #ECHO_METRICS} or {@link #IDLE_METRICS}, by kind. */
    @Override
    public List<Metric> metrics() {
        return kind == Kind.ECHO ? ECHO_METRICS : IDLE_METRICS;
    }

    /** Bytes per message; 0 for the idle case, which sends none. */
    public int messageBytes() {
        return messageBytes;
    }

    /** Worker (event-loop) threads every server gets. */
    public int workers() {
        return workers;
    }

    /** Messages in flight per connection. */
    public int pipelineDepth() {
        return messageBytes <= 64 ? SMALL_PIPELINE_DEPTH : LARGE_PIPELINE_DEPTH;
    }

    /**
     * The load the generator applies in this case.
     *
     * @throws IllegalStateException for the idle case, which the generator does not drive
     */
    public LoadGenerator.Load load() {
        if (kind != Kind.ECHO) {
            throw new IllegalStateException(id + " sends no message: the load generator does not drive it");
        }
        return new LoadGenerator.Load(CONNECTIONS, messageBytes, pipelineDepth());
    }

    /** The cases of {@code kind}, in declaration order. */
    public static List<NetCase> of(Kind kind) {
        return Arrays.stream(values()).filter(c -> c.kind == kind).toList();
    }
}
