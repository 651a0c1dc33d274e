package dev.weft.ioqueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue's memory: its sizes, its file, and the words as the ABI lays them out. */
class IoQueueTest {

    @TempDir
    Path dir;

    @Test
    void anAllocatedQueueHasEverySlotEmpty() {
        try (IoQueue q = IoQueue.allocate(64)) {
            assertEquals(64, q.slots());
            assertEquals(64L * QueueAbi.SLOT_BYTES, q.memory().byteSize());
            for (int s = 0; s < 64; s++) {
                assertEquals(QueueAbi.STATUS_EMPTY, q.statusAcquire(s));
            }
        }
    }

    @Test
    void aSlotCountOutOfRangeFailsNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IoQueue.allocate(100));
        assertTrue(e.getMessage().contains("was 100"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IoQueue.map(dir.resolve("q"), 131072));
        assertTrue(e.getMessage().contains("was 131072"), e.getMessage());
    }

    @Test
    void wordsAreLittleEndianU32sAtTheirSlotAndIndex() {
        try (IoQueue q = IoQueue.allocate(4)) {
            q.setWord(2, QueueAbi.WORD_TAG, 0x11223344);
            long at = 2L * QueueAbi.SLOT_BYTES + QueueAbi.WORD_TAG * 4L;
            byte[] bytes = q.memory().asSlice(at, 4).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11}, bytes);
        }
    }

    @Test
    void mappingCreatesTheFileAtTheQueuesSizeAndSharesIt() throws IOException {
        Path file = dir.resolve("queue");
        try (IoQueue a = IoQueue.map(file, 8); IoQueue b = IoQueue.map(file, 8)) {
            assertEquals(8L * QueueAbi.SLOT_BYTES, Files.size(file));
            a.setStatusRelease(5, QueueAbi.STATUS_PUBLISHED);
            assertEquals(QueueAbi.STATUS_PUBLISHED, b.statusAcquire(5), "two mappings of the file see one queue");
        }
    }

    @Test
    void mappingAFileOfAnotherSizeFailsNamingBothSizes() throws IOException {
        Path file = dir.resolve("queue");
        Files.write(file, new byte[128 * QueueAbi.SLOT_BYTES]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IoQueue.map(file, 64));
        assertTrue(e.getMessage().contains("4096 bytes (128 slots)"), e.getMessage());
        assertTrue(e.getMessage().contains("64 slots has 2048"), e.getMessage());
    }

    @Test
    void givenMemoryMustBeNativeAlignedAndLargeEnough() {
        assertThrows(IllegalArgumentException.class, () -> IoQueue.of(MemorySegment.ofArray(new byte[2048]), 64));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(4096, 64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IoQueue.of(m.asSlice(1), 8));
            assertTrue(e.getMessage().contains("4-byte aligned"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> IoQueue.of(m, 256));
            assertTrue(e.getMessage().contains("needs 8192 bytes"), e.getMessage());
            IoQueue q = IoQueue.of(m, 128);
            q.close(); // the caller's memory stays the caller's
            assertEquals(0, m.get(java.lang.foreign.ValueLayout.JAVA_INT, 0));
        }
    }
}
