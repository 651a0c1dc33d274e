package dev.weft.bench.device;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImplClassLoaderTest {

    @Test
    void eachImplementationGetsItsOwnCopyOfTheWorkloadAndRunnerClasses() throws Exception {
        WorkloadDriver weft = DeviceSuite.isolatedDriver("weft");
        WorkloadDriver jctools = DeviceSuite.isolatedDriver("jctools");

        assertNotSame(weft.getClass(), jctools.getClass());
        assertNotSame(weft.getClass().getClassLoader(), jctools.getClass().getClassLoader());
        Class<?> runnerA = Class.forName("dev.weft.bench.device.runner.PeerRunner", false,
                weft.getClass().getClassLoader());
        Class<?> runnerB = Class.forName("dev.weft.bench.device.runner.PeerRunner", false,
                jctools.getClass().getClassLoader());
        assertNotSame(runnerA, runnerB);
    }

    @Test
    void theSuiteAndTheLibrariesAreShared() throws Exception {
        ClassLoader loader = DeviceSuite.isolatedDriver("abq").getClass().getClassLoader();

        assertSame(WorkloadDriver.class, Class.forName(WorkloadDriver.class.getName(), false, loader));
        assertSame(BenchDevices.class, Class.forName(BenchDevices.class.getName(), false, loader));
        assertSame(dev.weft.device.DeviceHandle.class,
                Class.forName("dev.weft.device.DeviceHandle", false, loader));
    }

    @Test
    void onlyTheRunnerAndWorkloadPackagesAreIsolated() {
        assertTrue(ImplClassLoader.isolated("dev.weft.bench.device.runner.PeerRunner"));
        assertTrue(ImplClassLoader.isolated("dev.weft.bench.device.workload.Workloads"));
        assertFalse(ImplClassLoader.isolated("dev.weft.bench.device.DeviceSuite"));
        assertFalse(ImplClassLoader.isolated("org.jctools.queues.MpscArrayQueue"));
    }
}
