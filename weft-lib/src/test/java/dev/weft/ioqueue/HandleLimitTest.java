package dev.weft.ioqueue;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handles are bounded ({@link QueueAbi#MAX_HANDLE}): the decoder's tables are dense arrays indexed
 * by handle, so a handle of two billion must be refused where it is given, naming the value and the
 * limit, instead of making the loop allocate gigabytes.
 */
class HandleLimitTest {

    static final int HUGE = 2_000_000_000;

    @Test
    void aFileHandleOfTwoBillionIsRefusedNamingItAndTheLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SourceFiles().add(HUGE, Path.of("data"), SourceFiles.Access.READ));
        assertTrue(e.getMessage().contains("file handle 2000000000 is outside 0..65535"), e.getMessage());
    }

    @Test
    void aDestinationHandleOfTwoBillionIsRefusedNamingItAndTheLimit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment region = arena.allocate(4096, 4096);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Destinations().add(HUGE, region));
            assertTrue(e.getMessage().contains("destination handle 2000000000 is outside 0..65535"), e.getMessage());
        }
    }

    @Test
    void aNegativeHandleIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SourceFiles().add(-1, Path.of("data"), SourceFiles.Access.READ));
        assertTrue(e.getMessage().contains("file handle -1 is outside 0..65535"), e.getMessage());
    }

    @Test
    void theLargestHandleDecodesAndTheDecodersTablesStopThere() {
        try (Arena arena = Arena.ofConfined()) {
            SlotDecoder d = SlotDecoder.of(
                    new SourceFiles().add(QueueAbi.MAX_HANDLE, Path.of("data"), SourceFiles.Access.READ),
                    new Destinations().add(QueueAbi.MAX_HANDLE, arena.allocate(4096, 4096)));

            assertEquals(SlotDecoder.OK, d.decode(QueueAbi.OP_READ, QueueAbi.MAX_HANDLE, QueueAbi.MAX_HANDLE, 0, 0, 16));
            assertEquals(QueueError.BAD_SRC.code(), d.decode(QueueAbi.OP_READ, HUGE, QueueAbi.MAX_HANDLE, 0, 0, 16));
            assertEquals(QueueError.BAD_DST.code(), d.decode(QueueAbi.OP_READ, QueueAbi.MAX_HANDLE, HUGE, 0, 0, 16));
            assertEquals(2 * (QueueAbi.MAX_HANDLE + 1), d.handleTableEntries(), "one entry per possible handle, no more");
        }
    }
}
