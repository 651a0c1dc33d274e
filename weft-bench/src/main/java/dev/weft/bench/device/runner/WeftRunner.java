package dev.weft.bench.device.runner;

import dev.weft.device.DeviceHandle;
import dev.weft.device.DeviceId;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * weft's device runner through its public API: {@code DeviceHandle.submit}, {@code flush},
 * {@code submitBlocking} and {@code shutdown}, on a device used for this one measurement.
 */
public final class WeftRunner implements ServiceRunner {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final DeviceId device;
    private final CounterService service = new CounterService();
    private final DeviceHandle<CounterService> handle;

    /** Opens the service on {@code device}, which must never have been used. */
    public WeftRunner(DeviceId device) {
        this.device = device;
        this.handle = DeviceHandle.open(device, CounterService.class, id -> service);
    }

    @Override
    public String impl() {
        return WEFT;
    }

    @Override
    public CounterService service() {
        return service;
    }

    @Override
    public void submit(Consumer<? super CounterService> body) {
        handle.submit(body);
    }

    @Override
    public void flush() {
        handle.flush();
    }

    @Override
    public <R> R call(Function<? super CounterService, ? extends R> body) {
        return handle.submitBlocking(body);
    }

    @Override
    public void close() {
        if (!DeviceHandle.shutdown(device, STOP_TIMEOUT)) {
            throw new IllegalStateException("weft runner of " + device + " did not stop within "
                    + STOP_TIMEOUT);
        }
    }
}
