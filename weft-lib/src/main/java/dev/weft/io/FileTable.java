package dev.weft.io;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;

/**
 * The registered-file table: an open file's descriptor installed in the same fixed-file slot of
 * every worker's ring ({@code IORING_REGISTER_FILES2}, {@code IORING_REGISTER_FILES_UPDATE2}), so
 * that its operations name the slot ({@code IOSQE_FIXED_FILE}) and the kernel skips looking the
 * descriptor up, and counting a reference to its file, for each one. One per io_uring runtime
 * ({@link IoGroup#files()}); the rings' tables are created at the first registration.
 *
 * <h2>Identities and their generation</h2>
 * A registration is named by its slot and the slot's generation ({@link #id}). Releasing a slot
 * moves its generation on (never to 0), so an id kept after its release is refused by
 * {@link #live} instead of naming the file that took the slot next: an operation that finds its
 * id stale names the descriptor instead.
 *
 * <h2>When a slot is emptied</h2>
 * {@link UringFile} releases its slot only once its descriptor has no operation in flight (the
 * step of its use count that closes the descriptor), so no SQE names a slot while it is emptied
 * or filled again. {@link #release} posts the emptying to every ring without waiting; a later
 * {@link #register} of the same slot posts its filling after it to the same per-worker mailboxes,
 * which run in order, and waits until every ring has it before anyone may name it.
 *
 * <h2>Threads</h2>
 * {@link #register} and {@link #release} are synchronized (once per file each); {@link #live}
 * is a volatile read of the slot's generation, on any thread.
 */
final class FileTable {

    /** Slots in every ring's table. */
    static final int SLOTS = 1024;

    /** How the table reaches the workers' rings: a seam, so tests can drive it without rings. */
    interface Rings {
        int count();

        /** Creates ring {@code index}'s table of {@code slots} empty slots; {@code done} gets 0 or -errno. */
        void create(int index, int slots, IntConsumer done);

        /** Puts {@code fd} (-1: empty) in slot {@code slot} of ring {@code index}; {@code done} gets >= 0 or -errno. */
        void install(int index, int slot, int fd, IntConsumer done);
    }

    private final int slots;
    private final Rings rings;
    /** Each slot's generation, never 0; written under this object's lock, read by {@link #live} anywhere. */
    private final AtomicIntegerArray generations;
    /** Guarded by this. */
    private final boolean[] taken;
    /** Null until the rings' tables exist; then "" if they do, or why they could not be made. Guarded by this. */
    private String table;

    FileTable(int slots, Rings rings) {
        this.slots = slots;
        this.rings = rings;
        this.generations = new AtomicIntegerArray(slots);
        this.taken = new boolean[slots];
        for (int i = 0; i < slots; i++) {
            generations.set(i, 1);
        }
    }

    /** The id of {@code slot} at {@code generation}, as {@link #register} returns it. */
    static long id(int slot, int generation) {
        return ((long) generation << 32) | slot;
    }

    static int slot(long id) {
        return (int) id;
    }

    static int generation(long id) {
        return (int) (id >>> 32);
    }

    /**
     * Installs {@code fd} in a free slot of every ring and returns its id; the caller keeps
     * {@code fd} open until it {@link #release}s the id.
     *
     * @throws UnsupportedOperationException when the kernel has no table of empty file slots
     *                                       (before Linux 5.19), said the same way every time
     * @throws IllegalStateException         when every slot is taken, or a ring refused (after
     *                                       which the rings that took it are emptied again)
     */
    synchronized long register(int fd) throws InterruptedException {
        ensureTable();
        int slot = -1;
        for (int i = 0; i < slots && slot < 0; i++) {
            if (!taken[i]) {
                slot = i;
            }
        }
        if (slot < 0) {
            throw new IllegalStateException("the registered-file table is full (" + slots + " slots); close a"
                    + " registered file first, or leave this one unregistered");
        }
        int[] results = new int[rings.count()];
        broadcast(results, slot, fd);
        String error = RegionRegistry.firstError(results, "register file descriptor " + fd + " in slot " + slot);
        if (error != null) {
            broadcast(new int[results.length], slot, -1); // empty it again wherever it took
            throw new IllegalStateException(error);
        }
        taken[slot] = true;
        return id(slot, generations.get(slot));
    }

    /** Empties the slot of {@code id} on every ring and moves its generation on; a stale id does nothing. */
    synchronized void release(long id) {
        int slot = slot(id);
        if (slot < 0 || slot >= slots || !taken[slot] || generations.get(slot) != generation(id)) {
            return;
        }
        for (int i = 0; i < rings.count(); i++) {
            rings.install(i, slot, -1, r -> { }); // in order before any later filling of the slot
        }
        int next = generation(id) + 1;
        generations.set(slot, next <= 0 ? 1 : next);
        taken[slot] = false;
    }

    /** Whether {@code id} still names its registration; any thread. */
    boolean live(long id) {
        int slot = slot(id);
        return slot >= 0 && slot < slots && generations.get(slot) == generation(id);
    }

    private void ensureTable() throws InterruptedException {
        if (table == null) {
            int[] results = new int[rings.count()];
            java.util.Arrays.fill(results, Integer.MIN_VALUE);
            CountDownLatch acks = new CountDownLatch(results.length);
            for (int i = 0; i < results.length; i++) {
                int index = i;
                rings.create(i, slots, r -> {
                    results[index] = r;
                    acks.countDown();
                });
            }
            RegionRegistry.awaitAcks(acks);
            String error = RegionRegistry.firstError(results, "create the registered-file table of " + slots + " slots");
            table = error == null ? "" : error + "; registered files need a table of empty file slots"
                    + " (IORING_RSRC_REGISTER_SPARSE, Linux 5.19)";
        }
        if (!table.isEmpty()) {
            throw new UnsupportedOperationException(table);
        }
    }

    /** Installs {@code fd} in {@code slot} of every ring and waits for each; {@code results} gets each answer. */
    private void broadcast(int[] results, int slot, int fd) throws InterruptedException {
        java.util.Arrays.fill(results, Integer.MIN_VALUE);
        CountDownLatch acks = new CountDownLatch(results.length);
        for (int i = 0; i < results.length; i++) {
            int index = i;
            rings.install(i, slot, fd, r -> {
                results[index] = r;
                acks.countDown();
            });
        }
        RegionRegistry.awaitAcks(acks);
    }

    /** The rings of an io_uring runtime's drivers. */
    static Rings of(java.util.List<IoDriver> drivers) {
        return new Rings() {
            @Override
            public int count() {
                return drivers.size();
            }

            @Override
            public void create(int index, int slots, IntConsumer done) {
                ((UringDriver) drivers.get(index)).createFileTable(slots, done);
            }

            @Override
            public void install(int index, int slot, int fd, IntConsumer done) {
                ((UringDriver) drivers.get(index)).installFile(slot, fd, done);
            }
        };
    }

    @Override
    public String toString() {
        return "registered-file table of " + slots + " slots";
    }
}
