package dev.weft.ioqueue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decoder's checks, one behaviour each; {@link SlotDecoderFuzzTest} drives it with a million slots. */
class SlotDecoderTest {

    static final int FILE = 3;
    static final int DST = 9;
    static final long DST_ADDRESS = 0x10_0000L;
    static final long DST_LENGTH = 8192;

    /** Source handle 3 is fixed file 5; destination handle 9 is 8 KiB at 0x100000 in fixed buffer 2. */
    static SlotDecoder decoder() {
        int[] files = new int[16];
        Arrays.fill(files, -1);
        files[FILE] = 5;
        int[] dsts = new int[16];
        Arrays.fill(dsts, -1);
        dsts[DST] = 0;
        return new SlotDecoder(files, dsts, new long[] {DST_ADDRESS}, new long[] {DST_LENGTH}, new int[] {2});
    }

    private final SlotDecoder d = decoder();

    private int decode(int op, int src, int dst, long offset, int bytes) {
        return d.decode(op, src, dst, (int) offset, (int) (offset >>> 32), bytes);
    }

    @Test
    void aValidReadNamesTheFixedFileTheBufferAndTheDestinationsBase() {
        assertEquals(SlotDecoder.OK, decode(QueueAbi.OP_READ, FILE, DST, 0x1_0000_0000L + 512, 4096));
        assertEquals(QueueAbi.OP_READ, d.op);
        assertEquals(5, d.file);
        assertEquals(2, d.buffer);
        assertEquals(DST_ADDRESS, d.address);
        assertEquals(4096, d.length);
        assertEquals(0x1_0000_0000L + 512, d.offset);
    }

    @Test
    void aFenceIgnoresItsOtherWords() {
        assertEquals(SlotDecoder.OK, d.decode(QueueAbi.OP_FENCE, -1, -1, -1, -1, 0));
        assertEquals(QueueAbi.OP_FENCE, d.op);
    }

    @Test
    void anUnknownOpIsBadOp() {
        for (int op : new int[] {0, 4, 0x10, -1}) {
            assertEquals(QueueError.BAD_OP.code(), decode(op, FILE, DST, 0, 1));
        }
    }

    @Test
    void anUnregisteredSourceIsBadSrc() {
        for (int src : new int[] {0, 4, 15, 16, 65535, -1}) {
            assertEquals(QueueError.BAD_SRC.code(), decode(QueueAbi.OP_READ, src, DST, 0, 1));
        }
    }

    @Test
    void anUnregisteredDestinationIsBadDst() {
        for (int dst : new int[] {0, 8, 16, -1}) {
            assertEquals(QueueError.BAD_DST.code(), decode(QueueAbi.OP_WRITE, FILE, dst, 0, 1));
        }
    }

    @Test
    void aZeroLengthIsZeroLength() {
        assertEquals(QueueError.ZERO_LENGTH.code(), decode(QueueAbi.OP_READ, FILE, DST, 0, 0));
    }

    @Test
    void aLengthPastTheDestinationIsPastDestinationEvenAsAnUnsignedWord() {
        assertEquals(SlotDecoder.OK, decode(QueueAbi.OP_READ, FILE, DST, 0, (int) DST_LENGTH));
        assertEquals(QueueError.PAST_DESTINATION.code(), decode(QueueAbi.OP_READ, FILE, DST, 0, (int) DST_LENGTH + 1));
        assertEquals(QueueError.PAST_DESTINATION.code(), decode(QueueAbi.OP_READ, FILE, DST, 0, -1));
    }

    @Test
    void anOffsetWhoseEndPassesTheLargestFileOffsetIsOffsetOverflow() {
        assertEquals(SlotDecoder.OK, decode(QueueAbi.OP_READ, FILE, DST, Long.MAX_VALUE - 16, 16));
        assertEquals(QueueError.OFFSET_OVERFLOW.code(), decode(QueueAbi.OP_READ, FILE, DST, Long.MAX_VALUE - 15, 16));
        assertEquals(QueueError.OFFSET_OVERFLOW.code(), decode(QueueAbi.OP_READ, FILE, DST, Long.MIN_VALUE, 1));
        assertEquals(QueueError.OFFSET_OVERFLOW.code(), decode(QueueAbi.OP_READ, FILE, DST, -1L, 1));
    }

    @Test
    void theFirstFailingCheckGivesTheCode() {
        assertEquals(QueueError.BAD_OP.code(), decode(9, 99, 99, -1, 0));
        assertEquals(QueueError.BAD_SRC.code(), decode(QueueAbi.OP_READ, 99, 99, -1, 0));
        assertEquals(QueueError.BAD_DST.code(), decode(QueueAbi.OP_READ, FILE, 99, -1, 0));
        assertEquals(QueueError.ZERO_LENGTH.code(), decode(QueueAbi.OP_READ, FILE, DST, -1, 0));
        assertEquals(QueueError.PAST_DESTINATION.code(), decode(QueueAbi.OP_READ, FILE, DST, -1, -1));
    }

    @Test
    void claimingTakesOnlyAPublishedSlotAndLeavesItClaimed() {
        try (IoQueue q = IoQueue.allocate(4)) {
            for (int status : new int[] {QueueAbi.STATUS_EMPTY, QueueAbi.STATUS_DONE_OK, QueueAbi.STATUS_DONE_ERROR}) {
                q.setStatusRelease(1, status);
                assertEquals(SlotDecoder.NOT_READY, d.claim(q, 1));
                assertEquals(status, q.statusAcquire(1), "a slot that is not ready is left as it is");
            }
            q.setWord(1, QueueAbi.WORD_OP, QueueAbi.OP_FENCE);
            q.setStatusRelease(1, QueueAbi.STATUS_PUBLISHED);
            assertEquals(SlotDecoder.OK, d.claim(q, 1));
            assertEquals(QueueAbi.STATUS_CLAIMED, q.statusAcquire(1));
        }
    }

    @Test
    void aSlotWithAnyOtherStatusIsClaimedAsNotPublished() {
        try (IoQueue q = IoQueue.allocate(4)) {
            for (int status : new int[] {QueueAbi.STATUS_CLAIMED, 3, 0x12, -1}) {
                q.setStatusRelease(2, status);
                assertEquals(QueueError.NOT_PUBLISHED.code(), d.claim(q, 2));
                assertEquals(QueueAbi.STATUS_CLAIMED, q.statusAcquire(2));
            }
        }
    }
}
