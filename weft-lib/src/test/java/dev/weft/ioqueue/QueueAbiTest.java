package dev.weft.ioqueue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ioqueue.h is the single source of the queue's numbers: the Java constants match it, both ways. */
class QueueAbiTest {

    /** The header in the repository (the module's directory is the tests' working directory). */
    static final Path HEADER = Path.of("src/main/resources/dev/weft/ioqueue/ioqueue.h");

    private static final Pattern DEFINE = Pattern.compile("(?m)^#define\\s+WEFT_IOQ_(\\w+)\\s+(0x[0-9a-fA-F]+|\\d+)\\b");

    /** Every {@code #define WEFT_IOQ_X number} of the header, by X. */
    static Map<String, Long> headerNumbers() throws IOException {
        Map<String, Long> numbers = new LinkedHashMap<>();
        Matcher m = DEFINE.matcher(Files.readString(HEADER));
        while (m.find()) {
            String v = m.group(2);
            numbers.put(m.group(1), v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v));
        }
        return numbers;
    }

    /** QueueAbi's public int constants, by name. */
    private static Map<String, Long> abiConstants() throws IllegalAccessException {
        Map<String, Long> constants = new LinkedHashMap<>();
        for (Field f : QueueAbi.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == int.class) {
                constants.put(f.getName(), (long) f.getInt(null));
            }
        }
        return constants;
    }

    /** QueueError's codes by header name: each constant, and ERRNO_BASE, ERRNO_MAX. */
    private static Map<String, Long> errorCodes() {
        Map<String, Long> codes = new LinkedHashMap<>();
        for (QueueError e : QueueError.values()) {
            codes.put("ERR_" + e.name(), (long) e.code());
        }
        codes.put("ERR_ERRNO_BASE", (long) QueueError.ERRNO_BASE);
        codes.put("ERR_ERRNO_MAX", (long) QueueError.ERRNO_MAX);
        return codes;
    }

    @Test
    void everyNumberOfTheHeaderIsAJavaConstantOfTheSameValue() throws Exception {
        Map<String, Long> header = headerNumbers();
        Map<String, Long> java = new LinkedHashMap<>(abiConstants());
        java.putAll(errorCodes());
        assertTrue(header.size() >= 30, "the header's numbers were found: " + header);
        List<String> wrong = new ArrayList<>();
        header.forEach((name, value) -> {
            if (!value.equals(java.get(name))) {
                wrong.add("WEFT_IOQ_" + name + " = " + value + ", Java has " + java.get(name));
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyJavaConstantIsInTheHeader() throws Exception {
        Map<String, Long> header = headerNumbers();
        Map<String, Long> java = new LinkedHashMap<>(abiConstants());
        java.putAll(errorCodes());
        List<String> missing = java.keySet().stream().filter(name -> !header.containsKey(name))
                .map(name -> "WEFT_IOQ_" + name).toList();
        assertEquals(List.of(), missing);
    }

    @Test
    void theSlotIsEightWordsInTheIssuesOrder() {
        assertEquals(QueueAbi.SLOT_WORDS * Integer.BYTES, QueueAbi.SLOT_BYTES);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), List.of(QueueAbi.WORD_OP, QueueAbi.WORD_SRC, QueueAbi.WORD_DST,
                QueueAbi.WORD_OFFSET_LO, QueueAbi.WORD_OFFSET_HI, QueueAbi.WORD_BYTES, QueueAbi.WORD_STATUS,
                QueueAbi.WORD_TAG));
    }

    @Test
    void theHeaderShipsInTheJarAsItIsInTheRepository() throws IOException {
        assertEquals(Files.readString(HEADER), QueueAbi.header());
    }

    @Test
    void theHeaderWritesOutTheOrderingOfEachStep() throws IOException {
        String text = Files.readString(HEADER);
        for (String rule : List.of("P1 producer: load status with ACQUIRE", "P3 producer: store status = PUBLISHED with RELEASE",
                "L1 loop:     load status with ACQUIRE", "L2 loop:     compare-and-swap status PUBLISHED -> CLAIMED, ACQUIRE",
                "L4 loop:     store the result in bytes, then store status", "P4 producer: load status with ACQUIRE",
                "P5 producer: store status = EMPTY with RELEASE")) {
            assertTrue(text.contains(rule), "the header states: " + rule);
        }
    }

    @Test
    void errorCodesAreDistinctAndBelowTheErrnoRange() {
        long distinct = java.util.Arrays.stream(QueueError.values()).mapToInt(QueueError::code).distinct().count();
        assertEquals(QueueError.values().length, distinct);
        for (QueueError e : QueueError.values()) {
            assertTrue(e.code() > 0 && e.code() < QueueError.ERRNO_BASE, e.name());
            assertEquals(e, QueueError.of(e.code()));
        }
        assertEquals(dev.weft.uring.Errno.EBADF, QueueError.errnoOf(QueueError.fromErrno(-dev.weft.uring.Errno.EBADF)));
        assertFalse(QueueError.describe(QueueError.fromErrno(dev.weft.uring.Errno.EIO)).isEmpty());
        assertTrue(QueueError.describe(QueueError.fromErrno(dev.weft.uring.Errno.EIO)).startsWith("EIO"));
    }

    @Test
    void aSlotCountThatIsNotAPowerOfTwoUpTo65536FailsNamingIt() {
        for (int bad : new int[] {0, -64, 3, 100, 65537, 131072}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> QueueAbi.checkSlots(bad));
            assertTrue(e.getMessage().contains("was " + bad), e.getMessage());
            assertTrue(e.getMessage().contains("power of two"), e.getMessage());
        }
        for (int good : new int[] {1, 2, 64, 65536}) {
            QueueAbi.checkSlots(good);
        }
    }
}
