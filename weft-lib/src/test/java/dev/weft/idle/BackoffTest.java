package dev.weft.idle;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void stepsGoFromSpinningToYieldingToParking() {
        Backoff b = new Backoff(3, 2, 10, 1_000);
        assertEquals(Backoff.Phase.SPINNING, b.phase(0));
        assertEquals(Backoff.Phase.SPINNING, b.phase(2));
        assertEquals(Backoff.Phase.YIELDING, b.phase(3));
        assertEquals(Backoff.Phase.YIELDING, b.phase(4));
        assertEquals(Backoff.Phase.PARKING, b.phase(5));
        assertFalse(b.parks(4));
        assertTrue(b.parks(5));
    }

    @Test
    void parkPeriodDoublesUpToTheMaximum() {
        Backoff b = new Backoff(0, 0, 10, 100);
        assertEquals(10, b.parkNanos(0));
        assertEquals(20, b.parkNanos(1));
        assertEquals(40, b.parkNanos(2));
        assertEquals(80, b.parkNanos(3));
        assertEquals(100, b.parkNanos(4));
        assertEquals(100, b.parkNanos(1_000_000));
    }

    @Test
    void idleReturnsTheNextStep() {
        Backoff b = new Backoff(1, 1, 1, 1);
        assertEquals(1, b.idle(0));
        assertEquals(2, b.idle(1));
        assertEquals(3, b.idle(2)); // parks for 1 ns
    }

    @Test
    void badParametersAreNamedWithTheirValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Backoff(-1, 0, 1, 1));
        assertTrue(e.getMessage().contains("maxSpins") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Backoff(0, -2, 1, 1));
        assertTrue(e.getMessage().contains("maxYields") && e.getMessage().contains("-2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 0, 0, 1));
        assertTrue(e.getMessage().contains("minParkNanos"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 0, 10, 5));
        assertTrue(e.getMessage().contains("maxParkNanos") && e.getMessage().contains("5"), e.getMessage());
    }
}
