package dev.weft.ioqueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A million random and mutated slots through the claim and the decoder: each bad slot gets the
 * code an independent reading of the ABI gives it, each good one decodes to exactly its request,
 * and no decoded request reaches outside a registered destination. The slots are interleaved, so
 * every good slot comes after bad ones: a bad slot leaves nothing behind that spoils the next.
 */
@Timeout(60)
class SlotDecoderFuzzTest {

    static final int ITERATIONS = 1_000_000;

    static final int[] FILE_HANDLES = {0, 3, 7, 65535};
    static final int[] DST_HANDLES = {0, 2, 9, 65535};
    /** Three regions (address, size); destinations 0 and 2 share region 0. */
    static final long[][] REGIONS = {{0x1000_0000L, 1 << 20}, {0x7000_0000L, 4096}, {0x7fff_f000_0000L, 1 << 30}};
    /** Per destination: region, base within it, length. */
    static final long[][] DSTS = {{0, 0, 65536}, {0, 65536, 1 << 19}, {1, 0, 4096}, {2, 4096, (1 << 30) - 4096}};

    private final SplittableRandom random = new SplittableRandom(Long.getLong("weft.test.seed", 20261207L));

    private static SlotDecoder decoder() {
        int[] files = new int[65536];
        Arrays.fill(files, -1);
        for (int i = 0; i < FILE_HANDLES.length; i++) {
            files[FILE_HANDLES[i]] = i;
        }
        int[] dsts = new int[65536];
        Arrays.fill(dsts, -1);
        long[] address = new long[DSTS.length];
        long[] length = new long[DSTS.length];
        int[] buffer = new int[DSTS.length];
        for (int i = 0; i < DSTS.length; i++) {
            dsts[DST_HANDLES[i]] = i;
            buffer[i] = (int) DSTS[i][0];
            address[i] = REGIONS[buffer[i]][0] + DSTS[i][1];
            length[i] = DSTS[i][2];
        }
        return new SlotDecoder(files, dsts, address, length, buffer);
    }

    /** What the ABI says a published slot's words decode to (BigInteger arithmetic, no shortcuts). */
    private static int expected(int op, int src, int dst, int offsetLo, int offsetHi, int bytes) {
        if (op == QueueAbi.OP_FENCE) {
            return SlotDecoder.OK;
        }
        if (op != QueueAbi.OP_READ && op != QueueAbi.OP_WRITE) {
            return QueueError.BAD_OP.code();
        }
        if (indexOf(FILE_HANDLES, src) < 0) {
            return QueueError.BAD_SRC.code();
        }
        int d = indexOf(DST_HANDLES, dst);
        if (d < 0) {
            return QueueError.BAD_DST.code();
        }
        if (bytes == 0) {
            return QueueError.ZERO_LENGTH.code();
        }
        if (Integer.toUnsignedLong(bytes) > DSTS[d][2]) {
            return QueueError.PAST_DESTINATION.code();
        }
        BigInteger offset = BigInteger.valueOf(Integer.toUnsignedLong(offsetHi)).shiftLeft(32)
                .or(BigInteger.valueOf(Integer.toUnsignedLong(offsetLo)));
        if (offset.add(BigInteger.valueOf(Integer.toUnsignedLong(bytes))).compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) {
            return QueueError.OFFSET_OVERFLOW.code();
        }
        return SlotDecoder.OK;
    }

    private static int indexOf(int[] handles, int handle) {
        for (int i = 0; i < handles.length; i++) {
            if (handles[i] == handle) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everySlotGetsItsCodeAndNoRequestReachesOutsideADestination() {
        SlotDecoder decoder = decoder();
        Map<QueueError, Integer> seen = new EnumMap<>(QueueError.class);
        int ok = 0;
        int notReady = 0;
        try (IoQueue q = IoQueue.allocate(64)) {
            int[] w = new int[QueueAbi.SLOT_WORDS];
            for (int i = 0; i < ITERATIONS; i++) {
                int slot = i & 63;
                fill(w);
                for (int k = 0; k < QueueAbi.SLOT_WORDS; k++) {
                    q.setWord(slot, k, w[k]);
                }
                int status = w[QueueAbi.WORD_STATUS];
                int got = decoder.claim(q, slot);
                int iteration = i;
                Supplier<String> slotText = () -> "iteration " + iteration + ", words " + Arrays.toString(w);
                if (status == QueueAbi.STATUS_EMPTY || status == QueueAbi.STATUS_DONE_OK
                        || status == QueueAbi.STATUS_DONE_ERROR) {
                    assertEquals(SlotDecoder.NOT_READY, got, slotText);
                    assertEquals(status, q.statusAcquire(slot), slotText);
                    notReady++;
                    continue;
                }
                assertEquals(QueueAbi.STATUS_CLAIMED, q.statusAcquire(slot), slotText);
                int want = status == QueueAbi.STATUS_PUBLISHED
                        ? expected(w[0], w[1], w[2], w[3], w[4], w[5]) : QueueError.NOT_PUBLISHED.code();
                if (got != want) {
                    fail(slotText.get() + ": decoded to " + got + ", the ABI says " + want);
                }
                if (got == SlotDecoder.OK) {
                    ok++;
                    if (w[0] != QueueAbi.OP_FENCE) {
                        checkInside(decoder, w, slotText);
                    }
                } else {
                    seen.merge(QueueError.of(got), 1, Integer::sum);
                }
            }
        }
        for (QueueError e : new QueueError[] {QueueError.BAD_OP, QueueError.BAD_SRC, QueueError.BAD_DST,
                QueueError.ZERO_LENGTH, QueueError.PAST_DESTINATION, QueueError.OFFSET_OVERFLOW, QueueError.NOT_PUBLISHED}) {
            assertTrue(seen.getOrDefault(e, 0) >= 1000, "the fuzz reached " + e + " often: " + seen);
        }
        assertTrue(ok >= 100_000, "the fuzz decoded many good slots: " + ok);
        assertTrue(notReady >= 10_000, "the fuzz met many slots that are not ready: " + notReady);
    }

    /** The decoded request is exactly the slot's, and lies inside its destination and region. */
    private static void checkInside(SlotDecoder d, int[] w, Supplier<String> slotText) {
        int dst = indexOf(DST_HANDLES, w[QueueAbi.WORD_DST]);
        long[] region = REGIONS[(int) DSTS[dst][0]];
        long base = region[0] + DSTS[dst][1];
        assertEquals(w[0], d.op, slotText);
        assertEquals(indexOf(FILE_HANDLES, w[1]), d.file, slotText);
        assertEquals((int) DSTS[dst][0], d.buffer, slotText);
        assertEquals(base, d.address, slotText);
        assertEquals(Integer.toUnsignedLong(w[5]), d.length, slotText);
        assertEquals(((long) w[4] << 32) | Integer.toUnsignedLong(w[3]), d.offset, slotText);
        assertTrue(d.length >= 1 && d.address + d.length <= base + DSTS[dst][2], () -> slotText.get() + ": inside the destination");
        assertTrue(d.address >= region[0] && d.address + d.length <= region[0] + region[1],
                () -> slotText.get() + ": inside the region");
        assertTrue(d.offset >= 0 && d.offset + d.length >= d.offset, () -> slotText.get() + ": a valid file offset");
    }

    /** A slot: all random words, or a valid request with one to three words mutated. */
    private void fill(int[] w) {
        if (random.nextInt(8) == 0) {
            for (int k = 0; k < w.length; k++) {
                w[k] = random.nextInt();
            }
            if (random.nextBoolean()) {
                w[QueueAbi.WORD_STATUS] = QueueAbi.STATUS_PUBLISHED;
            }
            return;
        }
        int d = random.nextInt(DSTS.length);
        w[QueueAbi.WORD_OP] = random.nextBoolean() ? QueueAbi.OP_READ : random.nextInt(16) == 0 ? QueueAbi.OP_FENCE : QueueAbi.OP_WRITE;
        w[QueueAbi.WORD_SRC] = FILE_HANDLES[random.nextInt(FILE_HANDLES.length)];
        w[QueueAbi.WORD_DST] = DST_HANDLES[d];
        long offset = random.nextLong(1L << 40);
        w[QueueAbi.WORD_OFFSET_LO] = (int) offset;
        w[QueueAbi.WORD_OFFSET_HI] = (int) (offset >>> 32);
        w[QueueAbi.WORD_BYTES] = 1 + (int) random.nextLong(DSTS[d][2]);
        w[QueueAbi.WORD_STATUS] = QueueAbi.STATUS_PUBLISHED;
        w[QueueAbi.WORD_TAG] = random.nextInt();
        int mutations = random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int word = random.nextInt(QueueAbi.WORD_TAG); // the tag is never looked at
            w[word] = interesting(word, d);
        }
    }

    /** A value near an edge for {@code word}. */
    private int interesting(int word, int d) {
        int len = (int) DSTS[d][2];
        int[] edges = switch (word) {
            case QueueAbi.WORD_OP -> new int[] {0, 1, 2, 3, 4, -1, 0x10};
            case QueueAbi.WORD_SRC, QueueAbi.WORD_DST -> new int[] {0, 1, 2, 3, 7, 9, 65534, 65535, 65536, -1, Integer.MIN_VALUE};
            case QueueAbi.WORD_BYTES -> new int[] {0, 1, len - 1, len, len + 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};
            case QueueAbi.WORD_OFFSET_HI -> new int[] {0, 0x7fffffff, 0x80000000, -1, 0x7ffffffe};
            case QueueAbi.WORD_OFFSET_LO -> new int[] {0, -1, -len, 1 - len, -4096};
            case QueueAbi.WORD_STATUS -> new int[] {QueueAbi.STATUS_EMPTY, QueueAbi.STATUS_CLAIMED, QueueAbi.STATUS_DONE_OK,
                    QueueAbi.STATUS_DONE_ERROR, 3, 0x12, -1};
            default -> new int[] {random.nextInt()};
        };
        return random.nextInt(4) == 0 ? random.nextInt() : edges[random.nextInt(edges.length)];
    }
}
