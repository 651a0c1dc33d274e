package dev.weft.bench.device;

import dev.weft.bench.BenchCase;
import dev.weft.bench.Metric;

import java.util.List;

/**
 * The device suite's cases. Names are stable: other tooling compares runs by them.
 */
public enum DeviceCase implements BenchCase {

    /** One producer submits N tasks, flushes, and waits until all ran. */
    SUBMIT_1P("submit-1p", "tasks", Metrics.THROUGHPUT),
    /** Two producers submit N tasks in all, flush, and the driver waits until all ran. */
    SUBMIT_2P("submit-2p", "tasks", Metrics.THROUGHPUT),
    /** Back-to-back calls that return a value from the service; latency of each. */
    ROUNDTRIP("roundtrip", "calls", Metrics.P50, Metrics.P99),
    /** 32 tasks, flush, wait for the 32nd to run; repeated. Latency per burst and task rate. */
    BURST32("burst32", "bursts", Metrics.P50, Metrics.P99, Metrics.THROUGHPUT);

    private final String id;
    private final String sizeUnit;
    private final List<Metric> metrics;

    DeviceCase(String id, String sizeUnit, Metric... metrics) {
        this.id = id;
        this.sizeUnit = sizeUnit;
        this.metrics = List.of(metrics);
    }

    /** The stable name in tables and JSON. */
    @Override
    public String id() {
        return id;
    }

    /** What a measurement's size counts. */
    public String sizeUnit() {
        return sizeUnit;
    }

    /** The metrics a measurement returns, in table order. */
    @Override
    public List<Metric> metrics() {
        return metrics;
    }

    /** The metrics of the device cases. */
    public static final class Metrics {
        /** Tasks per second. */
        public static final Metric THROUGHPUT = new Metric("throughput", "ops/s", true);
        /** Median latency. */
        public static final Metric P50 = new Metric("p50", "ns", false);
        /** 99th-percentile latency. */
        public static final Metric P99 = new Metric("p99", "ns", false);

        private Metrics() {
        }
    }
}
