package dev.weft.ioqueue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The numbers of the I/O request queue's ABI: the slot layout, the ops, the statuses and the
 * limits. Each constant {@code X} here is {@code WEFT_IOQ_X} of the C header {@code ioqueue.h}
 * ({@link #header()}), which is their single source: {@code QueueAbiTest} checks every constant
 * against it, both ways. The error codes are {@link QueueError}'s.
 *
 * <p>A slot is {@link #SLOT_WORDS} little-endian u32 words
 * {@code [op, src, dst, offset_lo, offset_hi, bytes, status, tag]}; the protocol and its memory
 * ordering are written out in the header and in {@link IoQueue}'s class comment.
 */
public final class QueueAbi {

    private QueueAbi() {
    }

    /** The version of this ABI; it changes when a number here does. */
    public static final int ABI_VERSION = 1;

    /** Words per slot. */
    public static final int SLOT_WORDS = 8;
    /** Bytes per slot. */
    public static final int SLOT_BYTES = 32;
    /** Word index of the op. */
    public static final int WORD_OP = 0;
    /** Word index of the source file's handle. */
    public static final int WORD_SRC = 1;
    /** Word index of the destination's handle. */
    public static final int WORD_DST = 2;
    /** Word index of the file offset's low 32 bits. */
    public static final int WORD_OFFSET_LO = 3;
    /** Word index of the file offset's high 32 bits. */
    public static final int WORD_OFFSET_HI = 4;
    /** Word index of the length, and of the result once the slot is done. */
    public static final int WORD_BYTES = 5;
    /** Word index of the status. */
    public static final int WORD_STATUS = 6;
    /** Word index of the producer's tag, which the loop never touches. */
    public static final int WORD_TAG = 7;

    /** Slots of a queue when none is asked for. */
    public static final int DEFAULT_SLOTS = 64;
    /** The fewest slots a queue may have. */
    public static final int MIN_SLOTS = 1;
    /** The most slots a queue may have. */
    public static final int MAX_SLOTS = 65536;
    /** The largest file or destination handle. */
    public static final int MAX_HANDLE = 65535;

    /** Read {@code bytes} from the file at the offset into the destination at its base. */
    public static final int OP_READ = 1;
    /** Write {@code bytes} from the destination's base to the file at the offset. */
    public static final int OP_WRITE = 2;
    /** Complete once every request before it has completed; start nothing after it until then. */
    public static final int OP_FENCE = 3;

    /** Free: the producer may fill the slot. */
    public static final int STATUS_EMPTY = 0;
    /** Filled by the producer; the loop will claim it. */
    public static final int STATUS_PUBLISHED = 1;
    /** Claimed by the loop, which runs the request. */
    public static final int STATUS_CLAIMED = 2;
    /** Done; {@code bytes} holds the bytes transferred. */
    public static final int STATUS_DONE_OK = 0x10;
    /** Failed; {@code bytes} holds a {@link QueueError} code. */
    public static final int STATUS_DONE_ERROR = 0x11;

    /**
     * The text of {@code ioqueue.h}, the C header of this ABI, as shipped in weft's jar.
     *
     * @throws UncheckedIOException if the jar lacks it (a broken build)
     */
    public static String header() {
        try (InputStream in = QueueAbi.class.getResourceAsStream("ioqueue.h")) {
            if (in == null) {
                throw new UncheckedIOException(new IOException(
                        "ioqueue.h is missing from weft's jar (dev/weft/ioqueue/ioqueue.h); rebuild weft"));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading ioqueue.h from weft's jar failed", e);
        }
    }

    /**
     * Checks a queue size.
     *
     * @throws IllegalArgumentException naming the value and the fix, unless {@code slots} is a
     *                                  power of two from {@link #MIN_SLOTS} to {@link #MAX_SLOTS}
     */
    public static void checkSlots(int slots) {
        if (slots < MIN_SLOTS || slots > MAX_SLOTS || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("a queue's slots must be a power of two from " + MIN_SLOTS
                    + " to " + MAX_SLOTS + ", was " + slots + "; use " + DEFAULT_SLOTS
                    + " or another power of two such as 256 or 4096");
        }
    }

    /** The name of an op ({@code READ}), or {@code op N}. */
    public static String opName(int op) {
        return switch (op) {
            case OP_READ -> "READ";
            case OP_WRITE -> "WRITE";
            case OP_FENCE -> "FENCE";
            default -> "op " + Integer.toUnsignedString(op);
        };
    }

    /** The name of a status ({@code DONE_OK}), or {@code status 0x..}. */
    public static String statusName(int status) {
        return switch (status) {
            case STATUS_EMPTY -> "EMPTY";
            case STATUS_PUBLISHED -> "PUBLISHED";
            case STATUS_CLAIMED -> "CLAIMED";
            case STATUS_DONE_OK -> "DONE_OK";
            case STATUS_DONE_ERROR -> "DONE_ERROR";
            default -> "status 0x" + Integer.toHexString(status);
        };
    }
}
