package dev.weft.device;

import java.util.concurrent.atomic.AtomicInteger;

/** Test helper: every test gets device ids nobody else used (the registry is process-wide). */
final class Devices {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Devices() {
    }

    static DeviceId fresh() {
        return new DeviceId(7, NEXT.getAndIncrement());
    }
}
