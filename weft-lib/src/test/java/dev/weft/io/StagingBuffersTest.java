package dev.weft.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bounded staging pool: what it keeps, what it frees, and its accounting against a counting allocator. */
class StagingBuffersTest {

    /** Real mappings, counted. */
    static final class CountingMemory implements StagingBuffers.Memory {
        long maps;
        long unmaps;

        @Override
        public MemorySegment map(long bytes) {
            maps++;
            return StagingBuffers.ANONYMOUS.map(bytes);
        }

        @Override
        public void unmap(MemorySegment mapping) {
            unmaps++;
            StagingBuffers.ANONYMOUS.unmap(mapping);
        }

        long live() {
            return maps - unmaps;
        }
    }

    @Test
    @Timeout(10)
    void aBurstBeyondTheKeptBuffersIsFreedWhenItEnds() {
        CountingMemory m = new CountingMemory();
        StagingBuffers pool = new StagingBuffers(64 * 1024, 4, m);
        for (int burst = 0; burst < 10; burst++) {
            List<MemorySegment> taken = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                MemorySegment s = pool.acquire(1);
                s.set(JAVA_LONG, s.byteSize() - 8, i); // writable to its end
                taken.add(s);
            }
            assertEquals(100L * 64 * 1024, pool.bytesHeld(), "every taken buffer is counted");
            taken.forEach(pool::release);
            assertEquals(4, m.live(), "after burst " + burst + " only the kept buffers stay mapped");
            assertEquals(4L * 64 * 1024, pool.bytesHeld());
        }
        assertEquals(100 + 9 * 96, m.maps, "the kept buffers are reused: a later burst maps only its surplus");
        pool.close();
        assertEquals(0, m.live(), "close unmaps the kept buffers");
        assertEquals(0, pool.bytesHeld());
    }

    @Test
    @Timeout(10)
    void shortLengthsGetSmallBuffersKeptInTheirOwnNumber() {
        CountingMemory m = new CountingMemory();
        StagingBuffers pool = new StagingBuffers(4096, 8, 64 * 1024, 2, m);
        for (int burst = 0; burst < 10; burst++) {
            List<MemorySegment> taken = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                MemorySegment s = pool.acquire(i == 0 ? 4096 : 100);
                assertEquals(4096, s.byteSize(), "a length that fits a small buffer gets one");
                taken.add(s);
            }
            MemorySegment big = pool.acquire(4097);
            assertEquals(64 * 1024, big.byteSize());
            taken.add(big);
            assertEquals(8L * 4096 + 64 * 1024, pool.bytesHeld());
            taken.forEach(pool::release);
            assertEquals(9, m.live(), "after burst " + burst + " every buffer is kept: 8 small, 1 large");
        }
        assertEquals(9, m.maps, "later bursts reuse the kept buffers of each size");
        pool.close();
        assertEquals(0, m.live());
        assertEquals(0, pool.bytesHeld());
    }

    @Test
    @Timeout(10)
    void aBufferGivenBackAfterCloseIsUnmapped() {
        CountingMemory m = new CountingMemory();
        StagingBuffers pool = new StagingBuffers(4096, 8, m);
        MemorySegment s = pool.acquire(1);
        pool.close();
        pool.release(s);
        assertEquals(0, m.live());
        assertEquals(0, pool.bytesHeld());
    }

    @Test
    @Timeout(10)
    void aFailedMappingTakesNothing() {
        StagingBuffers pool = new StagingBuffers(4096, 8, new StagingBuffers.Memory() {
            @Override
            public MemorySegment map(long bytes) {
                throw new OutOfMemoryError("no mapping (injected)");
            }

            @Override
            public void unmap(MemorySegment mapping) {
            }
        });
        assertThrows(OutOfMemoryError.class, () -> pool.acquire(1));
        assertEquals(0, pool.bytesHeld());
    }

    @Test
    void badSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StagingBuffers(0, 1, StagingBuffers.ANONYMOUS));
        assertThrows(IllegalArgumentException.class, () -> new StagingBuffers(1, -1, StagingBuffers.ANONYMOUS));
        assertThrows(IllegalArgumentException.class, () -> new StagingBuffers(8192, 1, 4096, 1, StagingBuffers.ANONYMOUS));
    }
}
