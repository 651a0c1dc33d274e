package dev.weft.ioqueue;

/**
 * Claims the slot at the loop's cursor and turns its words into a request the loop can submit,
 * or into the error code it completes with. The queue is untrusted input: whatever the words
 * hold, a request that decodes {@link #OK} names a registered file and lies entirely inside a
 * registered destination ({@code SlotDecoderFuzzTest} checks this on random and mutated slots).
 *
 * <p>The claim (L1, L2 of {@code ioqueue.h}): EMPTY, DONE_OK and DONE_ERROR are not ready (the
 * loop waits there); PUBLISHED is claimed by a CAS to CLAIMED; any other status is claimed by a
 * CAS from the value seen and decodes to {@link QueueError#NOT_PUBLISHED}. A failed CAS (the word
 * changed meanwhile) is not ready: the loop looks again. The loop itself knows the slots it holds
 * CLAIMED and does not ask about them.
 *
 * <p>Decoding (L3) reads each request word once and checks, in order: the op; for READ and
 * WRITE the source handle, the destination handle, a length of 0, a length past the destination,
 * an offset (unsigned 64-bit) that with the length overflows a signed 64-bit file offset. FENCE
 * ignores the other words. One instance per loop, used by its thread only: the decoded request
 * is left in its fields, so decoding allocates nothing.
 *
 * <p>The handle tables are dense arrays indexed by handle, sized by the largest handle given: at
 * most {@link QueueAbi#MAX_HANDLE} + 1 entries each, as {@link SourceFiles} and {@link Destinations}
 * refuse a larger handle, naming it and the limit ({@code HandleLimitTest}).
 */
final class SlotDecoder {

    /** {@link #claim}: the slot holds nothing to claim yet. */
    static final int NOT_READY = -1;
    /** {@link #claim}, {@link #decode}: a valid request, now in the fields below. */
    static final int OK = 0;

    /** Fixed-file index by source handle, -1 where none. */
    private final int[] fileIndex;
    /** Destination index by handle, -1 where none. */
    private final int[] dstIndex;
    private final long[] dstAddress;
    private final long[] dstLength;
    private final int[] dstBuffer;

    // The decoded request, valid after OK.
    /** {@link QueueAbi#OP_READ}, {@link QueueAbi#OP_WRITE} or {@link QueueAbi#OP_FENCE}. */
    int op;
    /** The fixed-file index of the source. */
    int file;
    /** The fixed-buffer index of the destination's region. */
    int buffer;
    /** The destination's base address. */
    long address;
    /** The length, {@code 1..destination length}. */
    int length;
    /** The file offset, {@code >= 0}, with {@code offset + length} not overflowing. */
    long offset;

    /**
     * @param fileIndex  fixed-file index by source handle, -1 where the handle is not registered
     * @param dstIndex   destination index by handle, -1 where not registered
     * @param dstAddress each destination's base address
     * @param dstLength  each destination's length, {@code 1..2^31-1}
     * @param dstBuffer  each destination's fixed-buffer index
     */
    SlotDecoder(int[] fileIndex, int[] dstIndex, long[] dstAddress, long[] dstLength, int[] dstBuffer) {
        this.fileIndex = fileIndex.clone();
        this.dstIndex = dstIndex.clone();
        this.dstAddress = dstAddress.clone();
        this.dstLength = dstLength.clone();
        this.dstBuffer = dstBuffer.clone();
    }

    /** Entries in the two handle tables, for tests of their bound. */
    int handleTableEntries() {
        return fileIndex.length + dstIndex.length;
    }

    /** The decoder for these files (by handle, their fixed-file index) and destinations. */
    static SlotDecoder of(SourceFiles files, Destinations destinations) {
        int[] fi = new int[files.maxHandle() + 1];
        java.util.Arrays.fill(fi, -1);
        for (int i = 0; i < files.size(); i++) {
            fi[files.handle(i)] = i;
        }
        int n = destinations.size();
        int[] di = new int[destinations.maxHandle() + 1];
        java.util.Arrays.fill(di, -1);
        long[] addr = new long[n];
        long[] len = new long[n];
        int[] buf = new int[n];
        for (int i = 0; i < n; i++) {
            di[destinations.handle(i)] = i;
            addr[i] = destinations.address(i);
            len[i] = destinations.length(i);
            buf[i] = destinations.regionIndex(i);
        }
        return new SlotDecoder(fi, di, addr, len, buf);
    }

    /**
     * Claims slot {@code slot} of {@code queue} if it is ready, and decodes it.
     *
     * @return {@link #NOT_READY} (nothing claimed), {@link #OK} (claimed; the request is in the
     *         fields), or an error code (claimed; the slot must complete DONE_ERROR with it)
     */
    int claim(IoQueue queue, int slot) {
        int status = queue.statusAcquire(slot);
        switch (status) {
            case QueueAbi.STATUS_EMPTY, QueueAbi.STATUS_DONE_OK, QueueAbi.STATUS_DONE_ERROR -> {
                return NOT_READY;
            }
            case QueueAbi.STATUS_PUBLISHED -> {
                if (!queue.casStatus(slot, QueueAbi.STATUS_PUBLISHED, QueueAbi.STATUS_CLAIMED)) {
                    return NOT_READY;
                }
                return decode(queue.word(slot, QueueAbi.WORD_OP), queue.word(slot, QueueAbi.WORD_SRC),
                        queue.word(slot, QueueAbi.WORD_DST), queue.word(slot, QueueAbi.WORD_OFFSET_LO),
                        queue.word(slot, QueueAbi.WORD_OFFSET_HI), queue.word(slot, QueueAbi.WORD_BYTES));
            }
            default -> {
                if (!queue.casStatus(slot, status, QueueAbi.STATUS_CLAIMED)) {
                    return NOT_READY;
                }
                return QueueError.NOT_PUBLISHED.code();
            }
        }
    }

    /**
     * Decodes a request's words (each read once by the caller).
     *
     * @return {@link #OK} with the request in the fields, or the code of the first check that fails
     */
    int decode(int op, int src, int dst, int offsetLo, int offsetHi, int bytes) {
        if (op == QueueAbi.OP_FENCE) {
            this.op = op;
            return OK;
        }
        if (op != QueueAbi.OP_READ && op != QueueAbi.OP_WRITE) {
            return QueueError.BAD_OP.code();
        }
        // Handles are u32: a negative int is a handle above 2^31, never registered.
        if (src < 0 || src >= fileIndex.length || fileIndex[src] < 0) {
            return QueueError.BAD_SRC.code();
        }
        if (dst < 0 || dst >= dstIndex.length || dstIndex[dst] < 0) {
            return QueueError.BAD_DST.code();
        }
        if (bytes == 0) {
            return QueueError.ZERO_LENGTH.code();
        }
        int d = dstIndex[dst];
        long length = Integer.toUnsignedLong(bytes);
        if (length > dstLength[d]) {
            return QueueError.PAST_DESTINATION.code();
        }
        long off = ((long) offsetHi << 32) | Integer.toUnsignedLong(offsetLo);
        // off < 0: 2^63 or more as unsigned. The end, off + length, must stay <= Long.MAX_VALUE.
        if (off < 0 || off > Long.MAX_VALUE - length) {
            return QueueError.OFFSET_OVERFLOW.code();
        }
        this.op = op;
        this.file = fileIndex[src];
        this.buffer = dstBuffer[d];
        this.address = dstAddress[d];
        this.length = (int) length; // <= the destination's length, itself < 2^31
        this.offset = off;
        return OK;
    }
}
