package dev.weft.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One device's entry in the process-wide registry: its configuration, its two runners (started on
 * first use), and whether it is shut down. Creating and stopping runners is rare and takes this
 * entry's monitor; finding a started runner is one volatile read.
 */
final class Device {

    private static final ConcurrentHashMap<DeviceId, Device> REGISTRY = new ConcurrentHashMap<>();

    private final DeviceId id;
    /** Written under this entry's monitor, read without it. */
    private volatile DeviceRunner upstream;
    private volatile DeviceRunner downstream;
    private volatile boolean shutDown;
    private DeviceConfig config = DeviceConfig.DEFAULT;

    private Device(DeviceId id) {
        this.id = id;
    }

    static Device of(DeviceId id) {
        Objects.requireNonNull(id, "device");
        return REGISTRY.computeIfAbsent(id, Device::new);
    }

    /** The runner of this stage, started if it was not. */
    DeviceRunner runner(Stage stage) {
        DeviceRunner r = stage == Stage.UPSTREAM ? upstream : downstream;
        if (r != null && !shutDown) {
            return r;
        }
        synchronized (this) {
            if (shutDown) {
                throw DeviceRunner.shutDown(id);
            }
            r = stage == Stage.UPSTREAM ? upstream : downstream;
            if (r == null) {
                r = new DeviceRunner(id, stage, config);
                if (stage == Stage.UPSTREAM) {
                    upstream = r;
                } else {
                    downstream = r;
                }
            }
            return r;
        }
    }

    /** The started runners, upstream first. Caller holds this entry's monitor. */
    private List<DeviceRunner> started() {
        List<DeviceRunner> started = new ArrayList<>(2);
        if (upstream != null) {
            started.add(upstream);
        }
        if (downstream != null) {
            started.add(downstream);
        }
        return started;
    }

    synchronized void configure(DeviceConfig newConfig) {
        Objects.requireNonNull(newConfig, "config");
        if (shutDown) {
            throw DeviceRunner.shutDown(id);
        }
        if (!started().isEmpty()) {
            throw new IllegalStateException(id + " is already in use with " + config
                    + "; call DeviceHandle.configure before the device's first open, insert or exclusive");
        }
        config = newConfig;
    }

    /** Marks the device shut down and closes its runners' channels; returns the runners. */
    synchronized List<DeviceRunner> shutDown() {
        shutDown = true;
        List<DeviceRunner> started = started();
        started.forEach(DeviceRunner::stop);
        return started;
    }

    synchronized List<RunnerStats> stats() {
        return started().stream().map(DeviceRunner::stats).toList();
    }
}
