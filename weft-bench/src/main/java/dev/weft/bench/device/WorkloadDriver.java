package dev.weft.bench.device;

import java.util.Map;

/**
 * The device cases for one implementation. The suite sees implementations only through this
 * interface, which its class loader shares with every implementation's own copy of the workload
 * and runner classes.
 */
public interface WorkloadDriver {

    /**
     * Opens a runner, runs one task through it and closes it.
     *
     * @throws Exception when the implementation cannot run here (a missing class, a failure)
     */
    void check() throws Exception;

    /**
     * Runs one measurement of a case on a fresh runner and returns its metrics by name.
     *
     * @param caseName a {@link DeviceCase#id()}
     * @param size     tasks ({@code submit-*}), calls ({@code roundtrip}) or bursts
     *                 ({@code burst32})
     * @throws Exception when the measurement fails (a lost task counts as failing)
     */
    Map<String, Double> measure(String caseName, long size) throws Exception;

    /**
     * Asks the measurement running now to stop early: it then ends its runner and throws a
     * {@link java.util.concurrent.CancellationException}. Any thread. A measurement stuck in a
     * call that never completes cannot notice.
     */
    void cancel();
}
