package dev.weft.bench.actors;

/**
 * The little work a message of fj-throughput and fj-create costs, the same on every
 * implementation: a few rounds of integer mixing of the message's number, whose result the actor
 * keeps (so that it cannot be left out).
 */
final class SavinaWork {

    /** Sink for results, so that no JIT drops the work. */
    static volatile long sink;

    private SavinaWork() {
    }

    /** The work of one message. */
    static long step(long x) {
        long h = x * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < 8; i++) {
            h ^= h >>> 31;
            h *= 0xBF58476D1CE4E5B9L;
        }
        return h;
    }
}
