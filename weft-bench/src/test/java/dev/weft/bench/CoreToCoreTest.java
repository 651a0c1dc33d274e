package dev.weft.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CoreToCoreTest {

    @Test
    void aRunHandsTheBatonBackAndForthAndReportsAPositiveTime() {
        double nanos = CoreToCore.once(1_000); // returns only after all 1,000 round trips
        assertTrue(nanos > 0 && Double.isFinite(nanos), "round trip " + nanos + " ns");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("weft-bench-core-to-core") && t.isAlive()),
                "the echo thread ended");
    }
}
