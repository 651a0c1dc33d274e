package dev.weft.ioqueue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Helpers of the queue's tests: files with known bytes, and waiting for a slot without a producer. */
final class QueueTesting {

    static final Duration AWAIT = Duration.ofSeconds(20);

    private QueueTesting() {
    }

    /** The byte at {@code position} of every test file made by {@link #dataFile}. */
    static byte pattern(long position) {
        return (byte) (position * 31 + (position >>> 8) + 7);
    }

    /** A file of {@code size} bytes of {@link #pattern}. */
    static Path dataFile(Path dir, String name, int size) throws IOException {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = pattern(i);
        }
        return Files.write(dir.resolve(name), b);
    }

    /** Whether {@code length} bytes of {@code m} from {@code at} are the pattern from {@code position}. */
    static boolean holdsPattern(MemorySegment m, long at, long position, int length) {
        for (int i = 0; i < length; i++) {
            if (m.get(JAVA_BYTE, at + i) != pattern(position + i)) {
                return false;
            }
        }
        return true;
    }

    /** Waits until slot {@code slot} is done (no producer: raw slots); its status. */
    static int awaitDone(IoQueue q, int slot) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        for (;;) {
            int s = q.statusAcquire(slot);
            if (s == QueueAbi.STATUS_DONE_OK || s == QueueAbi.STATUS_DONE_ERROR) {
                return s;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("slot " + slot + " is still " + QueueAbi.statusName(s));
            }
            Thread.sleep(1);
        }
    }

    /** Open descriptors of this process ({@code /proc/self/fd}). */
    static long fdCount() throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
