package dev.weft.bench.device;

import dev.weft.device.DeviceId;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out device ids for benchmark runners: a device cannot be used again after shutdown, so
 * every weft runner the bench opens gets one never used before. One counter for the whole JVM
 * (this class is shared by every implementation's class loader).
 */
public final class BenchDevices {

    /** The device type of benchmark devices, away from the types applications use. */
    public static final int TYPE = 900;

    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

    private BenchDevices() {
    }

    /** A device id not handed out before in this JVM. */
    public static DeviceId next() {
        return new DeviceId(TYPE, NEXT_INDEX.getAndIncrement());
    }
}
