package dev.weft.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operation table's tokens: a slot's generation moves on by one per completed use and is never 0. */
class OperationTableTest {

    @Test
    void generationsCycleThroughEveryNonZeroValue() {
        try (OperationTable table = new OperationTable()) {
            long first = table.track(new UringOp());
            int slot = (int) first;
            assertEquals(1, (int) (first >>> 32), "a fresh slot starts at generation 1");
            assertNotNull(table.take(first, 0));
            long second = table.track(new UringOp());
            assertEquals(slot, (int) second, "the freed slot is reused");
            assertEquals(2, (int) (second >>> 32), "the generation after 1 is 2 (every value is used, odd and even)");
            assertNull(table.take(first, 0), "a stale token finds nothing");
            assertTrue(table.inFlight(second));
            assertNotNull(table.take(second, 0));
            assertFalse(table.inFlight(second));
        }
    }

    @Test
    void generationWrapsToOneNeverZero() {
        assertEquals(3, OperationTable.nextGeneration(2));
        assertEquals(0x7fff_ffff, OperationTable.nextGeneration(0x7fff_fffe));
        assertEquals(1, OperationTable.nextGeneration(0x7fff_ffff), "wraps past the top to 1, skipping 0");
    }
}
