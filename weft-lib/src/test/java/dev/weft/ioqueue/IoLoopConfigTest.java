package dev.weft.ioqueue;

import dev.weft.idle.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the loop runs by default, and the configuration mistakes it names. */
class IoLoopConfigTest {

    @Test
    void theIdleLoopSpins64TimesThenParksFrom10MicrosecondsDoublingTo100() {
        Backoff b = IoLoopConfig.IDLE_BACKOFF;

        assertEquals(Backoff.Phase.SPINNING, b.phase(0));
        assertEquals(Backoff.Phase.SPINNING, b.phase(63));
        assertEquals(Backoff.Phase.PARKING, b.phase(64), "no yields between spinning and parking");
        assertEquals(List.of(10_000L, 20_000L, 40_000L, 80_000L, 100_000L, 100_000L),
                List.of(b.parkNanos(64), b.parkNanos(65), b.parkNanos(66), b.parkNanos(67), b.parkNanos(68),
                        b.parkNanos(1_000)));
    }

    @Test
    void theDefaultUsesTheIdleBackoff() {
        assertSame(IoLoopConfig.IDLE_BACKOFF, IoLoopConfig.DEFAULT.backoff());
        assertEquals(64, IoLoopConfig.DEFAULT.ringEntries());
        assertEquals("weft-ioloop", IoLoopConfig.DEFAULT.threadName());
    }

    @Test
    void aRingSizeThatIsNotAPowerOfTwoUpTo32768FailsNamingIt() {
        for (int bad : new int[] {0, 3, 100, 65536}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IoLoopConfig.DEFAULT.withRingEntries(bad));
            assertTrue(e.getMessage().contains("was " + bad), e.getMessage());
        }
    }

    @Test
    void aNegativeDrainTimeoutFailsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IoLoopConfig.DEFAULT.withDrainTimeout(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("PT-1S"), e.getMessage());
    }
}
