package dev.weft.bench.device.workload;

import dev.weft.bench.device.BenchDevices;
import dev.weft.bench.device.WorkloadDriver;
import dev.weft.bench.device.runner.CounterService;
import dev.weft.bench.device.runner.PeerRunner;
import dev.weft.bench.device.runner.ServiceRunner;
import dev.weft.bench.device.runner.ServiceRunners;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The device cases, for one implementation. Each measurement opens a fresh runner, primes it with
 * one untimed call (so that no implementation pays for its thread start in the timed part),
 * measures, verifies the service's count (a lost or repeated task fails the measurement), and
 * closes the runner, joining its thread.
 *
 * <p>Task bodies are the same constants for every implementation; they capture nothing, so a
 * submission allocates only the implementation's task object.
 */
public final class Workloads implements WorkloadDriver {

    /** Tasks per burst in {@code burst32}: one weft buffer. */
    public static final int BURST = PeerRunner.BATCH;

    static final Consumer<CounterService> INCREMENT = s -> s.count++;
    static final Consumer<CounterService> INCREMENT_AND_PUBLISH = CounterService::incrementAndPublish;
    static final Function<CounterService, Long> COUNT = s -> s.count;
    static final Function<CounterService, Long> INCREMENT_AND_GET = s -> ++s.count;

    /** Latencies above this are recorded as this (a minute: a hang, not a latency). */
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String impl;
    /** Set by {@link #cancel}; checked every few hundred operations, and cleared by measure. */
    private volatile boolean cancelled;

    /** The cases for {@code impl} ({@code weft} or a peer's name). */
    public Workloads(String impl) {
        this.impl = impl;
    }

    @Override
    public void check() {
        try (ServiceRunner runner = open()) {
            runner.submit(INCREMENT);
            long ran = runner.call(COUNT);
            if (ran != 1) {
                throw new IllegalStateException(impl + " ran " + ran + " tasks of 1 submitted");
            }
        }
    }

    @Override
    public Map<String, Double> measure(String caseName, long size) throws Exception {
        if (size < 1) {
            throw new IllegalArgumentException(caseName + ": size must be >= 1, was " + size);
        }
        cancelled = false;
        return switch (caseName) {
            case "submit-1p" -> submit(1, size);
            case "submit-2p" -> submit(2, size);
            case "roundtrip" -> roundTrip(size);
            case "burst32" -> bursts(size);
            default -> throw new IllegalArgumentException("unknown device case '" + caseName
                    + "'; known: submit-1p, submit-2p, roundtrip, burst32");
        };
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    private void checkCancelled() {
        if (cancelled) {
            throw new CancellationException(impl + ": measurement cancelled");
        }
    }

    private ServiceRunner open() {
        ServiceRunner runner = ServiceRunners.open(impl, BenchDevices.next());
        runner.call(COUNT);
        return runner;
    }

    /**
     * {@code producers} threads submit {@code tasks} in all (an equal share each) and flush; the
     * time runs from releasing them to the return of a call queued after they finished, which
     * runs after all their tasks.
     */
    private Map<String, Double> submit(int producers, long tasks) throws Exception {
        long each = Math.max(1, tasks / producers);
        long total = each * producers;
        try (ServiceRunner runner = open()) {
            CountDownLatch ready = new CountDownLatch(producers);
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] threads = new Thread[producers];
            for (int i = 0; i < producers; i++) {
                threads[i] = new Thread(() -> {
                    ready.countDown();
                    try {
                        go.await();
                        for (long j = 0; j < each; j++) {
                            if ((j & 1023) == 0 && cancelled) {
                                break;
                            }
                            runner.submit(INCREMENT);
                        }
                        runner.flush();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "weft-bench-producer-" + impl + "-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            long ran = runner.call(COUNT);
            long elapsed = System.nanoTime() - start;
            checkCancelled();
            if (failure.get() != null) {
                throw new IllegalStateException(impl + ": a producer failed", failure.get());
            }
            if (ran != total) {
                throw new IllegalStateException(impl + " ran " + ran + " of " + total
                        + " submitted tasks");
            }
            return Map.of("throughput", total * 1e9 / elapsed);
        }
    }

    /** Back-to-back calls from one thread, each timed on its own. */
    private Map<String, Double> roundTrip(long calls) {
        Histogram latencies = new Histogram(HIGHEST_NANOS, 3);
        try (ServiceRunner runner = open()) {
            long last = 0;
            for (long i = 0; i < calls; i++) {
                if ((i & 255) == 0) {
                    checkCancelled();
                }
                long start = System.nanoTime();
                last = runner.call(INCREMENT_AND_GET);
                latencies.recordValue(Math.min(System.nanoTime() - start, HIGHEST_NANOS));
            }
            if (last != calls) {
                throw new IllegalStateException(impl + ": the last of " + calls
                        + " calls saw count " + last);
            }
        }
        return Map.of("p50", (double) latencies.getValueAtPercentile(50),
                "p99", (double) latencies.getValueAtPercentile(99));
    }

    /**
     * One thread submits {@link #BURST} tasks, flushes, and waits until the last of them ran; again
     * and again. Each burst is timed; throughput counts tasks over all bursts.
     */
    private Map<String, Double> bursts(long bursts) {
        Histogram latencies = new Histogram(HIGHEST_NANOS, 3);
        long elapsed;
        try (ServiceRunner runner = open()) {
            CounterService service = runner.service();
            long start = System.nanoTime();
            for (long b = 1; b <= bursts; b++) {
                if ((b & 15) == 0) {
                    checkCancelled();
                }
                long burstStart = System.nanoTime();
                for (int k = 1; k < BURST; k++) {
                    runner.submit(INCREMENT);
                }
                runner.submit(INCREMENT_AND_PUBLISH);
                runner.flush();
                service.awaitPublished(b * BURST);
                latencies.recordValue(Math.min(System.nanoTime() - burstStart, HIGHEST_NANOS));
            }
            elapsed = System.nanoTime() - start;
            long ran = runner.call(COUNT);
            if (ran != bursts * BURST) {
                throw new IllegalStateException(impl + " ran " + ran + " of " + bursts * BURST
                        + " tasks submitted in bursts");
            }
        }
        return Map.of("p50", (double) latencies.getValueAtPercentile(50),
                "p99", (double) latencies.getValueAtPercentile(99),
                "throughput", bursts * BURST * 1e9 / elapsed);
    }
}
