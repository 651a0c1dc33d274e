package dev.weft.bench.net;

import java.util.List;

/**
 * The net suite's cases: 100 connections echoing pipelined messages of 64 bytes or 4 KiB, served
 * by 2 worker threads or by 1 ({@code -1w}). Names are stable: other tooling compares runs by
 * them.
 */
public enum NetCase {

    /** 64-byte messages, 2 workers. */
    ECHO_64B_100C("echo-64b-100c", 64, 2),
    /** 4 KiB messages, 2 workers. */
    ECHO_4K_100C("echo-4k-100c", 4096, 2),
    /** 64-byte messages, 1 worker. */
    ECHO_64B_100C_1W("echo-64b-100c-1w", 64, 1),
    /** 4 KiB messages, 1 worker. */
    ECHO_4K_100C_1W("echo-4k-100c-1w", 4096, 1);

    /** Connections the load generator opens in every case. */
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

    /**
     * A metric of every case.
     *
     * @param name           the stable name in tables and JSON
     * @param unit           its unit
     * @param higherIsBetter whether a larger value is better
     */
    public record Metric(String name, String unit, boolean higherIsBetter) {
    }

    /** Throughput (messages echoed per second), then send-to-echo latency p50 and p99. */
    public static final List<Metric> METRICS = List.of(new Metric(THROUGHPUT, "msgs/s", true),
            new Metric(P50, "ns", false), new Metric(P99, "ns", false));

    private final String id;
    private final int messageBytes;
    private final int workers;

    NetCase(String id, int messageBytes, int workers) {
        this.id = id;
        this.messageBytes = messageBytes;
        this.workers = workers;
    }

    /** The stable name in tables and JSON. */
    public String id() {
        return id;
    }

    /** Bytes per message. */
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

    /** The load the generator applies in this case. */
    public LoadGenerator.Load load() {
        return new LoadGenerator.Load(CONNECTIONS, messageBytes, pipelineDepth());
    }
}
