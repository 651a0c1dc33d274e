package dev.weft.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTest {

    @Test
    void valueIsTheMedianOfAnOddNumberOfRounds() {
        Result r = Result.measured("c", "weft", "p50", "ns", false, List.of(30.0, 10.0, 20.0));
        assertEquals(20.0, r.value());
        assertEquals(10.0, r.min());
        assertEquals(30.0, r.max());
        assertEquals(3, r.runs());
    }

    @Test
    void valueIsTheMeanOfTheMiddleTwoOfAnEvenNumberOfRounds() {
        Result r = Result.measured("c", "weft", "p50", "ns", false, List.of(40.0, 10.0, 20.0, 30.0));
        assertEquals(25.0, r.value());
    }

    @Test
    void advantageIsAboveOneWhenWeftIsBetterWhicheverWayTheMetricGoes() {
        Result fastWeft = Result.measured("c", "weft", "throughput", "ops/s", true, List.of(200.0));
        Result slowPeer = Result.measured("c", "abq", "throughput", "ops/s", true, List.of(100.0));
        assertEquals(2.0, fastWeft.advantageOver(slowPeer));

        Result quickWeft = Result.measured("c", "weft", "p50", "ns", false, List.of(100.0));
        Result slowerPeer = Result.measured("c", "abq", "p50", "ns", false, List.of(300.0));
        assertEquals(3.0, quickWeft.advantageOver(slowerPeer));
    }

    @Test
    void overlappingSpreadsAreNoise() {
        Result a = Result.measured("c", "weft", "p50", "ns", false, List.of(100.0, 120.0));
        Result b = Result.measured("c", "abq", "p50", "ns", false, List.of(115.0, 140.0));
        Result c = Result.measured("c", "abq", "p50", "ns", false, List.of(130.0, 140.0));
        assertTrue(a.spreadOverlaps(b));
        assertFalse(a.spreadOverlaps(c));
    }

    @Test
    void measuredValuesMustBeFinite() {
        assertThrows(IllegalArgumentException.class,
                () -> Result.measured("c", "weft", "p50", "ns", false, List.of(Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class,
                () -> Result.measured("c", "weft", "p50", "ns", false, List.of()));
    }
}
