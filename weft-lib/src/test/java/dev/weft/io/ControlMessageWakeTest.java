package dev.weft.io;

import dev.weft.net.NetTesting;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A control message that makes a task runnable on its worker (it counts down the latch the task
 * waits for, as a registered-file or region update's acknowledgement does) gets that task run,
 * also when the message reaches the worker while it sleeps in its driver's park: the park runs the
 * message and then returns, so that the worker looks at its queue instead of sleeping again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ControlMessageWakeTest {

    private static final int ROUNDS = 20;

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    void aTaskUnparkedByAMessageToItsSleepingWorkerRuns(IoMode mode) throws Exception {
        rt = NetTesting.start(mode, 1);
        for (int round = 0; round < ROUNDS; round++) {
            CountDownLatch ack = new CountDownLatch(1);
            CompletableFuture<IoDriver> driver = new CompletableFuture<>();
            JoinHandle<Boolean> waiter = rt.spawn(() -> {
                driver.complete(IoDriver.current("test"));
                return ack.await(10, TimeUnit.SECONDS); // the only way out before then: the message
            });
            IoDriver d = driver.get(10, TimeUnit.SECONDS);
            Thread.sleep(20); // the worker has nothing to run: let it go to sleep in its driver
            if (d instanceof UringDriver u) {
                u.control(ack::countDown);
            } else {
                ((NioDriver) d).control(ack::countDown);
            }
            assertEquals(true, NetTesting.join(waiter), "round " + round + " on " + mode
                    + ": the task the control message unparked did not run until its own timeout");
        }
    }
}
