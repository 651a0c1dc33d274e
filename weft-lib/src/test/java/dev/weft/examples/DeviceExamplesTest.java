package dev.weft.examples;

import dev.weft.device.DeviceHandle;
import dev.weft.device.DeviceId;
import dev.weft.device.ServiceStage;
import dev.weft.device.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The javadoc examples of {@code dev.weft.device}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceExamplesTest {

    /** A device service whose free memory shrinks with every job. */
    static final class Kernels {
        final DeviceId id;
        int jobs;

        Kernels(DeviceId id) {
            this.id = id;
        }

        void enqueue(int job) {
            jobs += job;
        }

        int freeMemory() {
            return 100 - jobs;
        }
    }

    static int freeAfterTheJob;

    /** {@code dev.weft.device}'s package javadoc (device 0:1: the README's example shuts 0:0 down for good). */
    static void devicePackage() {
        int job = 3;
        DeviceId gpu = new DeviceId(0, 1);
        DeviceHandle<Kernels> kernels = DeviceHandle.open(gpu, Kernels.class, id -> new Kernels(id));

        kernels.submit(k -> k.enqueue(job));              // fire and forget, in order per thread
        kernels.flush();                                   // eligible to run now
        int free = kernels.submitBlocking(k -> k.freeMemory());   // waits for the answer

        DeviceHandle.shutdown(gpu, Duration.ofSeconds(5)); // runs what is queued, then stops
        freeAfterTheJob = free;
    }

    @Test
    void theDevicePackageExampleAnswersAfterTheJob() {
        devicePackage();
        assertEquals(97, freeAfterTheJob);
    }

    /** {@link ServiceStage}'s javadoc. */
    @ServiceStage(Stage.DOWNSTREAM)
    final class Readback {
        long bytesRead;
    }

    @Test
    void theServiceStageExampleRunsOnTheDownstreamRunner() {
        DeviceId device = new DeviceId(1, 1);
        DeviceHandle<Readback> readback = DeviceHandle.open(device, Readback.class, id -> new Readback());
        try {
            assertEquals(Stage.DOWNSTREAM, readback.stage());
            assertTrue(readback.submitBlocking(r -> Thread.currentThread().getName()).startsWith("weft-device-D-"));
        } finally {
            DeviceHandle.shutdown(device, Duration.ofSeconds(5));
        }
    }
}
