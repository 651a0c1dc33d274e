package dev.weft.bench.io;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The files a run measures on.
 *
 * @param data       the data file, kept resident in the page cache: every read case reads it
 * @param dataBytes  its size
 * @param write      the file the direct writes go to (not resident: a direct write drops the
 *                   cached pages it overwrites)
 * @param writeBytes its size
 */
record IoFiles(Path data, long dataBytes, Path write, long writeBytes) {

    IoFiles {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(write, "write");
    }

    /** The file case {@code c} works on. */
    Path fileOf(IoCase c) {
        return c.write() ? write : data;
    }

    /** The size of the file case {@code c} works on. */
    long bytesOf(IoCase c) {
        return c.write() ? writeBytes : dataBytes;
    }

    /** Block-aligned offsets of case {@code c} on its file: random, or sequential from a cursor. */
    Offsets offsets(IoCase c, long seed) {
        return new Offsets(bytesOf(c) / c.blockBytes(), c.blockBytes(), c.random(), seed);
    }

    /**
     * Offsets of one stream of transfers: uniformly random blocks (xorshift, no repeat-avoidance,
     * as fio's norandommap), or blocks in order wrapping at the end. One per thread or task.
     */
    static final class Offsets {
        private final long blocks;
        private final int blockBytes;
        private final boolean random;
        private long state;
        private long next;

        Offsets(long blocks, int blockBytes, boolean random, long seed) {
            if (blocks < 1) {
                throw new IllegalArgumentException("a file of no whole block of " + blockBytes + " bytes");
            }
            this.blocks = blocks;
            this.blockBytes = blockBytes;
            this.random = random;
            this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        }

        /** The next offset. */
        long next() {
            if (!random) {
                long at = next;
                next = next + 1 == blocks ? 0 : next + 1;
                return at * blockBytes;
            }
            long x = state;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            state = x;
            return Math.floorMod(x, blocks) * blockBytes;
        }
    }
}
