package dev.weft.io;

import dev.weft.uring.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registered-file table's slots and generations, over rings that a test plays. */
@Timeout(30)
class FileTableTest {

    /** Two rings that answer at once, recording every install as "ring:slot=fd"; ring {@code refusing} refuses fds. */
    private static final class Rings implements FileTable.Rings {
        final List<String> installs = new ArrayList<>();
        int refusing = -1;
        int createResult = 0;
        int creates;

        @Override
        public int count() {
            return 2;
        }

        @Override
        public void create(int index, int slots, IntConsumer done) {
            creates++;
            done.accept(createResult);
        }

        @Override
        public void install(int index, int slot, int fd, IntConsumer done) {
            installs.add(index + ":" + slot + "=" + fd);
            done.accept(index == refusing && fd >= 0 ? -Errno.EBADF : 1);
        }
    }

    @Test
    void registrationsTakeDistinctSlotsOnEveryRing() throws Exception {
        Rings rings = new Rings();
        FileTable t = new FileTable(4, rings);
        long a = t.register(10);
        long b = t.register(11);
        assertNotEquals(FileTable.slot(a), FileTable.slot(b));
        assertTrue(t.live(a) && t.live(b));
        assertEquals(List.of("0:0=10", "1:0=10", "0:1=11", "1:1=11"), rings.installs);
        assertEquals(2, rings.creates, "one table per ring, made once");
    }

    @Test
    void aReleasedIdIsStaleAndItsSlotComesBackWithANewGeneration() throws Exception {
        Rings rings = new Rings();
        FileTable t = new FileTable(1, rings);
        long first = t.register(10);
        t.release(first);
        assertFalse(t.live(first), "released: its id names nothing");
        assertTrue(rings.installs.containsAll(List.of("0:0=-1", "1:0=-1")), "emptied on every ring: " + rings.installs);
        long second = t.register(11);
        assertEquals(FileTable.slot(first), FileTable.slot(second));
        assertNotEquals(FileTable.generation(first), FileTable.generation(second));
        assertFalse(t.live(first), "the old id does not name the new file");
        assertTrue(t.live(second));
        t.release(first); // stale: does nothing
        assertTrue(t.live(second));
    }

    @Test
    void aFullTableSaysSo() throws Exception {
        FileTable t = new FileTable(1, new Rings());
        t.register(10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.register(11));
        assertTrue(e.getMessage().contains("full (1 slots)"), e.getMessage());
    }

    @Test
    void aRingThatRefusesLeavesTheSlotFreeAndEmptiedWhereItTook() throws Exception {
        Rings rings = new Rings();
        rings.refusing = 1;
        FileTable t = new FileTable(1, rings);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.register(10));
        assertTrue(e.getMessage().contains("worker 1") && e.getMessage().contains("EBADF"), e.getMessage());
        assertTrue(rings.installs.contains("0:0=-1"), "ring 0 took it and was emptied: " + rings.installs);
        rings.refusing = -1;
        long id = t.register(12);
        assertEquals(0, FileTable.slot(id), "the slot was not lost");
    }

    @Test
    void aKernelWithoutEmptyFileSlotsIsUnsupportedEveryTime() {
        Rings rings = new Rings();
        rings.createResult = -Errno.EINVAL;
        FileTable t = new FileTable(4, rings);
        UnsupportedOperationException first = assertThrows(UnsupportedOperationException.class, () -> t.register(10));
        assertTrue(first.getMessage().contains("Linux 5.19") && first.getMessage().contains("EINVAL"), first.getMessage());
        UnsupportedOperationException again = assertThrows(UnsupportedOperationException.class, () -> t.register(10));
        assertEquals(first.getMessage(), again.getMessage());
        assertEquals(2, rings.creates, "asked once");
    }
}
