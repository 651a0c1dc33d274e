package dev.weft.bench.io;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OsThreadsTest {

    @Test
    void theCpuTimeIsSchedstatsFirstField() {
        assertEquals(2623125L, OsThreads.schedstatNanos("2623125 26858663 3\n"));
        assertThrows(IllegalArgumentException.class, () -> OsThreads.schedstatNanos("n/a"));
    }

    @Test
    void aThreadIsFoundByItsNameAndItsCpuTimeIsWhatItSpun() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Void> spun = new CompletableFuture<>();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread t = Thread.ofPlatform().name("wb-io-test-spin").daemon(true).start(() -> {
            while (mx.getCurrentThreadCpuTime() < 20_000_000L) { // 20 ms of its own CPU, however long that takes
                Thread.onSpinWait();
            }
            spun.complete(null);
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            spun.get(30, TimeUnit.SECONDS);
            long tid = OsThreads.one("wb-io-test-spin");
            assertTrue(OsThreads.cpuNanos(tid) >= 20_000_000L, "the thread spun 20 ms of CPU; schedstat says "
                    + OsThreads.cpuNanos(tid) + " ns");
        } finally {
            stop.countDown();
            t.join(5_000);
        }
    }

    @Test
    void uniqueNamesFitTheKernelsFifteenBytesAndDiffer() {
        String a = OsThreads.uniqueName("wb-io-a-long-prefix");
        String b = OsThreads.uniqueName("wb-io-a-long-prefix");

        assertTrue(a.length() <= 15 && b.length() <= 15, a + " " + b);
        assertTrue(a.startsWith("wb-io-a") && !a.equals(b), a + " " + b);
    }

    @Test
    void aNameNoThreadHasIsAnError() {
        assertThrows(java.io.IOException.class, () -> OsThreads.one("wb-io-nobody"));
    }
}
