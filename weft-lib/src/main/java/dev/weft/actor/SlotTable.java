package dev.weft.actor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The table of a runtime's actors: slot index to the {@link Proc} that holds it, or to the
 * {@link Tombstone} of the last actor that held it. What makes {@link Pid}s never alias.
 *
 * <h2>Layout</h2>
 * Up to {@value #MAX_CHUNKS} chunks of {@value #CHUNK} slots, made as the table grows and never
 * moved, so a lookup is two array reads without a lock: the chunk (acquire), then the slot
 * (acquire). A slot is written with a release store, after the actor in it is fully built.
 *
 * <h2>Generations</h2>
 * Each slot's entry knows the generation it was made for. {@link #allocate} hands out a free slot
 * with the generation after its tombstone's (0 for a fresh slot); {@link #lookup} returns the
 * actor only if its generation is the pid's, so a pid of an ended actor finds either its
 * tombstone or a later actor of another generation, and in both cases no live actor. A slot
 * would have to be reused 2<sup>32</sup> times for a generation to come round again.
 *
 * <h2>Free slots</h2>
 * Allocation and release take the table's lock (spawn and exit, never send or receive). Freed
 * slots are reused oldest first, so a tombstone stays readable for as long as possible: a
 * monitor set on an actor that has just ended still learns its outcome.
 */
final class SlotTable {

    static final int CHUNK_BITS = 12;
    static final int CHUNK = 1 << CHUNK_BITS;
    static final int MAX_CHUNKS = 4096;
    /** The most actors alive at once in one runtime. */
    static final int MAX_SLOTS = CHUNK * MAX_CHUNKS;

    /** What an ended actor leaves in its slot until the slot is reused. */
    record Tombstone(int generation, Outcome outcome) {
    }

    private final Object[][] chunks = new Object[MAX_CHUNKS][];
    private final Object lock = new Object();
    /** Freed slots, oldest first: a ring of {@code freeCount} entries from {@code freeHead}. Lock. */
    private int[] free = new int[64];
    private int freeHead;
    private int freeCount;
    /** Slots ever handed out: the next fresh one. Lock. */
    private int fresh;

    /**
     * Takes a slot: the oldest freed one, else a fresh one.
     *
     * @return the slot in the high 32 bits, its new generation in the low 32
     * @throws IllegalStateException if {@value #MAX_SLOTS} actors are alive
     */
    long allocate() {
        synchronized (lock) {
            if (freeCount > 0) {
                int slot = free[freeHead];
                freeHead = (freeHead + 1) & (free.length - 1);
                freeCount--;
                Object old = entry(slot);
                int gen = old instanceof Tombstone t ? t.generation() + 1 : 0;
                return ((long) slot << 32) | (gen & 0xFFFF_FFFFL);
            }
            if (fresh == MAX_SLOTS) {
                throw new IllegalStateException("the actor table is full: " + MAX_SLOTS + " actors are alive;"
                        + " let some end before spawning more");
            }
            int slot = fresh++;
            int c = slot >>> CHUNK_BITS;
            if (CHUNKS.getAcquire(chunks, c) == null) {
                CHUNKS.setRelease(chunks, c, new Object[CHUNK]);
            }
            return (long) slot << 32;
        }
    }

    /** Puts the actor spawned in a slot from {@link #allocate} into it. */
    void put(int slot, Proc proc) {
        SLOTS.setRelease(chunk(slot), slot & (CHUNK - 1), proc);
    }

    /** Ends a slot's actor: leaves its tombstone and frees the slot for reuse. */
    void release(int slot, Tombstone tombstone) {
        SLOTS.setRelease(chunk(slot), slot & (CHUNK - 1), tombstone);
        synchronized (lock) {
            if (freeCount == free.length) {
                int[] bigger = new int[free.length * 2];
                for (int i = 0; i < freeCount; i++) {
                    bigger[i] = free[(freeHead + i) & (free.length - 1)];
                }
                free = bigger;
                freeHead = 0;
            }
            free[(freeHead + freeCount) & (free.length - 1)] = slot;
            freeCount++;
        }
    }

    /** The live actor of {@code slot} and {@code generation}, or null. Lock-free. */
    Proc lookup(int slot, int generation) {
        return entry(slot) instanceof Proc p && p.pid.generation() == generation ? p : null;
    }

    /** What {@code slot} holds: a {@link Proc}, a {@link Tombstone}, or null (never used). Lock-free. */
    Object entry(int slot) {
        if (slot < 0 || slot >= MAX_SLOTS) {
            return null;
        }
        Object[] c = (Object[]) CHUNKS.getAcquire(chunks, slot >>> CHUNK_BITS);
        return c == null ? null : SLOTS.getAcquire(c, slot & (CHUNK - 1));
    }

    /** Calls {@code action} for every live actor (weakly consistent). */
    void forEachLive(java.util.function.Consumer<Proc> action) {
        int n;
        synchronized (lock) {
            n = fresh;
        }
        for (int s = 0; s < n; s++) {
            if (entry(s) instanceof Proc p) {
                action.accept(p);
            }
        }
    }

    private Object[] chunk(int slot) {
        return (Object[]) CHUNKS.getAcquire(chunks, slot >>> CHUNK_BITS);
    }

    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(Object[][].class);
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
}
