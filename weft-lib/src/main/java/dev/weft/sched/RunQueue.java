package dev.weft.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A worker's local run queue: a bounded FIFO ring of runnable tasks (virtual-thread
 * continuations) with one owner, the worker that runs them, and any number of stealers, the other
 * workers. The owner pushes and pops; a stealer takes the older half of the queue into its own
 * ring in one step. When the ring is full, the owner moves half of it to the global injector.
 *
 * <h2>Implementation overview</h2>
 *
 * <b>Ring and counters.</b> {@code slots} has {@code capacity} entries, a power of two. Two
 * {@code int} counters describe the contents: the items are those with counters in
 * {@code [head, tail)}, item {@code c} in slot {@code c & (capacity - 1)}. The counters only move
 * forward and wrap around at 2<sup>32</sup> (see <i>Counter wrap</i>). Invariant:
 * {@code 0 <= tail - head <= capacity}.
 *
 * <p><b>Who writes what.</b>
 * <ul>
 *   <li>{@code slots}: only the owner: a push stores an item, a pop or an overflow clears the slots
 *       it took, {@link #forget} clears the slot of an item that no longer needs running (it
 *       stays in the queue as an empty slot that every taker skips), and a steal <i>by</i> the owner (from another queue into this one) copies items
 *       into this ring. Stealers only read this ring's slots. They cannot clear the slots they
 *       took (the owner may be refilling them already), so a stolen task stays referenced from
 *       the victim's ring until a push reuses its slot: at most {@code capacity} stale
 *       references per queue.</li>
 *   <li>{@code tail}: only the owner, with a release store after the slot stores it publishes.
 *       Stealers read it with acquire.</li>
 *   <li>{@code head}: anyone, only by compare-and-set: the owner's pop and overflow, stealers'
 *       steals. Each successful CAS moves {@code head} from {@code h} to {@code h + n} and so
 *       claims the items {@code [h, h + n)} for the thread that made it.</li>
 *   <li>{@code headCache}: only the owner, plain: a value {@code head} had earlier. {@code head}
 *       only advances, so a ring with room by the cached value has room now; the owner reads the
 *       contended {@code head} in a push only when the cache says the ring is full.</li>
 * </ul>
 *
 * <h2>Operations and their transitions</h2>
 * <ul>
 *   <li><b>push</b> (owner): {@code t = tail}; if {@code t - head < capacity}, store the item in
 *       slot {@code t}, then release-store {@code tail = t + 1}: the item is visible to stealers
 *       from that store on. Otherwise the ring is full: {@link #push} returns false.</li>
 *   <li><b>pop</b> (owner): {@code h = head} (acquire); if {@code h == tail} the ring is empty.
 *       Otherwise find the first slot {@code k >= h} that is not empty (slots cleared by
 *       {@link #forget} are; only the owner writes slots, so none changes while it looks) and
 *       CAS {@code head} from {@code h} to {@code k + 1}, taking the cleared slots and the task
 *       after them. A failed CAS means a stealer took item {@code h} (and maybe more): start
 *       again. After a successful CAS the owner clears the slot, so the ring does not keep a
 *       finished task reachable.</li>
 *   <li><b>overflow</b> (owner, ring full, {@code tail - h == capacity}): CAS {@code head} from
 *       {@code h} to {@code h + capacity / 2}: the owner now holds the oldest half. It reads and
 *       clears those slots and passes them, then the new task, to the overflow sink in FIFO order.
 *       Only the owner writes slots, so reading them after the CAS is safe. A failed CAS means a
 *       stealer took items, so the ring has room now: push normally instead.</li>
 *   <li><b>steal</b> (the thief's owner, on a victim): read the victim's {@code head} {@code h},
 *       then its {@code tail} {@code t} (both acquire); {@code size = t - h}; take
 *       {@code n = ceil(size / 2)}, at most the thief's free space. Copy victim slots
 *       {@code [h, h + n)} into the thief's ring at the thief's tail (beyond it: invisible to the
 *       thief's own stealers), skipping cleared slots, then CAS the victim's {@code head} from
 *       {@code h} to {@code h + n}. On success release-store the thief's tail {@code + m}, the
 *       number of slots copied: the items move from one ring to the other in that one CAS. (If
 *       all {@code n} were cleared, the CAS only took them out of the way: look again.) On failure someone else took items from the victim: start again;
 *       the copies lie beyond the thief's tail and are overwritten later. The two reads are not
 *       one snapshot: between them stealers may advance {@code head} and the owner refill, so
 *       {@code t - h} may exceed {@code capacity}. The CAS from {@code h} would fail then anyway;
 *       reading again at once saves copying more than a ring's worth of stale slots. (Reading
 *       {@code head} first makes {@code t - h >= 0}.)</li>
 * </ul>
 * Linearization points: a push at its tail store, a pop, overflow or steal at its successful CAS;
 * an empty pop at its read of {@code head} (the owner's tail is stable), an empty steal at its
 * read of {@code tail} ({@code head} read before is {@code <=} the head now, which never passes
 * the tail, so both equal {@code t}). A steal takes the {@code n} oldest items, but {@code n} is
 * half of the queue <i>as the stealer read it</i>: the owner may push between that read and the
 * CAS, which still succeeds because {@code head} did not move. So at the CAS a steal takes at
 * least one item and at most half of the queue, rounded up; exactly half only if no push came
 * in between. (The Lincheck model found this; a steal that must take exactly half would need
 * {@code head} and {@code tail} in one word, turning every push into a CAS. Half is a balancing
 * heuristic and does not need to be exact.)
 *
 * <h2>Why a stealer never returns a slot the owner has overwritten</h2>
 * Stealers read slots with plain loads while the owner may be writing them; a racy read is harmless
 * exactly when the CAS that follows it fails. Suppose a stealer read slot {@code k & mask} for item
 * {@code k}, with {@code h <= k < h + n}, and its CAS from {@code h} succeeds. The owner stores
 * into that slot again only for counter {@code k + capacity} (a push) or to clear it after taking
 * {@code k} itself (a pop or an overflow); either way only after it read (acquire) a {@code head}
 * value beyond {@code k}, written by some CAS {@code X}. All CASes on {@code head} are totally
 * ordered and each one advances it. If {@code X} came before the stealer's CAS, {@code head} was
 * already beyond {@code k >= h} and the stealer's CAS failed. So {@code X} is the stealer's CAS or
 * a later one. Then: the stealer's slot read precedes its CAS in program order; its CAS, a volatile
 * write, happens-before every later CAS (each begins with a volatile read of {@code head}), so it
 * happens-before {@code X}; {@code X} happens-before the owner's acquire read that returned its
 * value; that read precedes the owner's store in program order. The slot read happens-before the
 * overwrite and cannot see it. It does see the pushed item: the owner stored it before the release
 * store of the {@code tail} (or a later tail value) that the stealer read with acquire, so the
 * store happens-before the read and hides any older value of the slot. The same argument covers the
 * owner's own pop (it reads slots it wrote) and the slots a steal copied into the owner's ring (its
 * owner wrote them before publishing its tail).
 *
 * <h2>Why nothing is lost or duplicated</h2>
 * Every item leaves the ring through exactly one successful CAS of {@code head}: the CASes are
 * totally ordered, each claims the range {@code [h, h + n)} starting where the previous one ended,
 * so the ranges are disjoint and cover every item that leaves. The claimer of a range has the
 * right items (previous section) and hands each on once: pop returns it, overflow passes it to the
 * sink, steal publishes it in the thief's ring, where it is again claimed by exactly one CAS. Items
 * never leave any other way: a failed attempt changes nothing other threads can see (a pop or
 * overflow only read; a steal wrote beyond the thief's tail). A push never overwrites an item:
 * it stores at {@code tail} only when {@code tail - head < capacity}, with a {@code head} no later
 * than the current one, so slot {@code tail & mask} holds a counter below {@code head}: already
 * claimed. A steal writes only the thief's free space, computed the same way.
 *
 * <h2>Counter wrap</h2>
 * The counters are {@code int}s incremented modulo 2<sup>32</sup>. The code never compares two
 * counters directly (which breaks at the wrap), only their difference: {@code tail - head} computed
 * in {@code int} arithmetic is exact while the true difference is below 2<sup>31</sup>, and it is
 * at most {@code capacity <= 2^30}. The slot of counter {@code c} is {@code c & (capacity - 1)};
 * since {@code capacity} divides 2<sup>32</sup>, counter {@code 0xFFFF_FFFF} and its successor
 * {@code 0} fall in consecutive slots, so the ring does not notice the wrap. The one thing the wrap
 * allows is ABA: a stealer's CAS would succeed on stale copies if {@code head} advanced by a
 * multiple of 2<sup>32</sup> between the stealer's read and its CAS, a few instructions apart. That
 * takes four billion tasks run from this one queue while the stealer is descheduled in the middle
 * of a steal: over an hour at a microsecond per task. Go's per-P run queue accepts the same bound.
 *
 * <h2>Growth</h2>
 * A queue made with a growth limit above its capacity does not overflow when full: the owner
 * doubles the ring instead, until the limit, and only then overflows. Growing copies the items
 * {@code [head, tail)} into a new array (slot {@code c & (newCapacity - 1)} for counter
 * {@code c}), then release-stores the array reference; after that the owner never writes the old
 * array. A stealer reads {@code head}, then {@code tail}, then the array reference, each with
 * acquire, and copies from the array it read:
 * <ul>
 *   <li>If it read a {@code tail} that a push made after a growth, that push came after the
 *       growth's release store, so the stealer reads that array or a newer one: one that holds
 *       every item up to that tail.</li>
 *   <li>If it reads an array that a growth replaced, the array is frozen: it holds every item
 *       that was live when it was replaced, in the slots the stealer computes from its length.</li>
 *   <li>The one hole: a stealer whose {@code head} is older than the {@code head} the growth read
 *       may read the new array, which lacks the items before that {@code head}. But those items
 *       were taken, so {@code head} has moved past the stealer's value and its CAS fails.</li>
 * </ul>
 * So a successful steal copies the right items, as without growth. Items the copy took along
 * that a stealer had claimed meanwhile are stale references, as above.
 *
 * <p>A grown ring shrinks back to its first capacity when the owner's pop finds it empty: a fresh
 * array, published the same way (there is nothing to copy). The argument above holds for any
 * array that holds {@code [head, tail)}, smaller or larger. Shrinking matters for speed, not only
 * memory: a burst of spawns grows the ring to its limit (4 MB of references at 2<sup>20</sup>),
 * and a FIFO ring's pushes then sweep the whole array, a new cache line every 16 pushes and a
 * card for the collector to scan every 128, where a small one stays in the cache; and the stale
 * references a big ring keeps (one per slot) keep finished tasks alive.
 *
 * <h2>Renewal</h2>
 * Every {@link #RENEWAL_PUSHES_PER_SLOT} pushes per slot, {@link #pushOrOverflow} copies the ring
 * into a fresh array of the same size, published as a growth is (the argument above holds for an
 * array of the same size too). The reason is the collector's write barrier: every push stores a
 * reference into the array, and under G1 (JDK 25) such a store into an old object pays a
 * store-load fence, while a store into a young one is filtered out at the barrier's first checks.
 * A long-lived ring would be old after a few collections; a renewed one is young nearly always
 * (it would have to survive the tenuring threshold's count of young collections within 64
 * pushes a slot). It costs one array and a copy of at most the capacity per 64 times the
 * capacity pushes, and it drops the stale references of stolen tasks.
 *
 * <h2>Why FIFO</h2>
 * The owner pops from the head, the oldest task, like stealers do: each runnable task gets its
 * turn in order. A task that yields goes back to the tail and waits behind everything that became
 * runnable before it, so a yield-heavy task cannot starve the others on its worker, and stealers
 * take the tasks that have waited longest. LIFO would favour cache locality for a task woken by the
 * one that just ran; a single "run next" slot beside this queue (with a limit on how often it may
 * bypass the queue) can add that later without giving up fairness.
 *
 * <h2>Costs</h2>
 * A push is one plain slot store and one release store, plus an acquire read of {@code head} only
 * when the cached head says the ring is full. A pop is an acquire read and a CAS (one CAS for a
 * run of cleared slots and the task after them). A steal is three acquire reads (one for the
 * thief's free space), {@code n} slot reads and at most {@code n} copies, a CAS and a release
 * store. None allocates, except a growth, a shrink, and a renewal every
 * {@link #RENEWAL_PUSHES_PER_SLOT} pushes a slot through {@link #pushOrOverflow}, which copies at
 * most the capacity; an overflow calls its sink {@code capacity / 2 + 1} times. {@code head}
 * (CASed by stealers) and {@code tail} with {@code headCache} (the owner's) lie on cache lines of
 * their own, so stealers' CAS traffic does not slow the owner's pushes.
 *
 * <p>The owner is not checked: the scheduler guarantees that only a queue's worker calls its
 * owner-only methods, and that a worker steals only into its own queue.
 */
final class RunQueue extends RunQueuePadAfterTail {

    private static final VarHandle SLOTS;

    static {
        try {
            SLOTS = MethodHandles.lookup().findVarHandle(RunQueue.class, "slots", Runnable[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Slots in a worker's queue unless configured otherwise. */
    static final int DEFAULT_CAPACITY = 256;
    /** Fewest slots: a full ring must have a half to overflow. */
    static final int MIN_CAPACITY = 2;
    /**
     * Most items one steal takes: half of a grown ring can be thousands of tasks, and taking them
     * in one piece leaves the owner idle while the thief works through them.
     */
    static final int MAX_STEAL = 256;

    /**
     * How many pushes per slot the scheduler's path ({@link #pushOrOverflow}) makes into one
     * array before it copies the ring into a fresh one (see <i>Renewal</i>).
     */
    static final int RENEWAL_PUSHES_PER_SLOT = 64;

    /** Most slots: {@code tail - head} must stay exact in {@code int} arithmetic. */
    static final int MAX_CAPACITY = 1 << 30;

    /**
     * The ring. Replaced only by the owner, when it grows (see <i>Growth</i>); stealers read it
     * with acquire after reading {@code tail}.
     */
    private Runnable[] slots;
    /** {@code slots.length - 1}; the owner's copy. Stealers derive theirs from the array they read. */
    private int mask;
    /** The most slots the ring may grow to before a full ring overflows instead. */
    private final int growthLimit;
    /** The capacity the ring starts with, and shrinks back to when it is empty. */
    private final int firstCapacity;
    /** Pushes through {@link #pushOrOverflow} left before the ring is renewed (see <i>Renewal</i>). */
    private int pushesBeforeRenewal;
    /** {@link #RENEWAL_PUSHES_PER_SLOT}, or fewer for a model check that must reach a renewal. */
    private final int renewalPushesPerSlot;
    /** {@link #MAX_STEAL}, or fewer for a model check that must reach the cap. */
    private final int maxSteal;

    /**
     * @param capacity slots in the ring: a power of two from {@link #MIN_CAPACITY} to
     *                 {@link #MAX_CAPACITY}
     * @throws IllegalArgumentException naming the capacity when it is not such a power of two
     */
    RunQueue(int capacity) {
        this(capacity, 0, capacity);
    }

    /**
     * A queue that starts with {@code capacity} slots and doubles, up to {@code growthLimit},
     * when {@link #pushOrOverflow} finds it full.
     *
     * @throws IllegalArgumentException naming a value that is not a power of two in range, or a
     *                                  limit below the capacity
     */
    RunQueue(int capacity, int initialCounter, int growthLimit) {
        this(capacity, initialCounter, growthLimit, RENEWAL_PUSHES_PER_SLOT, MAX_STEAL);
    }

    /**
     * A queue that renews its ring every {@code renewalPushesPerSlot} pushes a slot and lets a
     * steal from it take at most {@code maxSteal} items: tests make both small so that a model
     * check reaches them in a few operations.
     *
     * @throws IllegalArgumentException naming a value out of range
     */
    RunQueue(int capacity, int initialCounter, int growthLimit, int renewalPushesPerSlot, int maxSteal) {
        checkCapacity("capacity", capacity);
        checkCapacity("growth limit", growthLimit);
        if (growthLimit < capacity) {
            throw new IllegalArgumentException("run queue growth limit " + growthLimit
                    + " is below its capacity " + capacity + "; use a limit >= the capacity");
        }
        if (renewalPushesPerSlot < 1 || maxSteal < 1) {
            throw new IllegalArgumentException("run queue renewal pushes per slot and steal cap must"
                    + " be at least 1, were " + renewalPushesPerSlot + " and " + maxSteal);
        }
        this.growthLimit = growthLimit;
        this.firstCapacity = capacity;
        this.renewalPushesPerSlot = renewalPushesPerSlot;
        this.maxSteal = maxSteal;
        this.pushesBeforeRenewal = capacity * renewalPushesPerSlot;
        this.slots = new Runnable[capacity];
        this.mask = capacity - 1;
        this.head = initialCounter;
        this.tail = initialCounter;
        this.headCache = initialCounter;
    }

    /**
     * A queue whose counters start at {@code initialCounter} instead of 0: tests start them just
     * below a wrap of {@code int}.
     */
    RunQueue(int capacity, int initialCounter) {
        this(capacity, initialCounter, capacity);
    }

    private static void checkCapacity(String what, int value) {
        if (value < MIN_CAPACITY || value > MAX_CAPACITY || Integer.bitCount(value) != 1) {
            throw new IllegalArgumentException("run queue " + what + " must be a power of two from "
                    + MIN_CAPACITY + " to " + MAX_CAPACITY + ", was " + value);
        }
    }

    /** Slots in the ring now. */
    int capacity() {
        return slots.length;
    }

    // ---------------------------------------------------------------------------------------
    // Owner only.

    /**
     * Adds a task at the tail if the ring has room. Owner only.
     *
     * @return true if the task is queued; false if the ring is full (the caller sends the task
     *         elsewhere, usually through {@link #pushOrOverflow})
     */
    boolean push(Runnable task) {
        Objects.requireNonNull(task, "task");
        int t = (int) TAIL.get(this);
        if (t - headCache >= slots.length) {
            headCache = (int) HEAD.getAcquire(this);
            if (t - headCache >= slots.length) {
                return false;
            }
        }
        slots[t & mask] = task;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /**
     * Adds a task at the tail; if the ring is full, grows it if it may (see <i>Growth</i>), or
     * else moves its oldest half and then the task to {@code overflow}, in FIFO order, instead. Owner only. {@code overflow} (the global injector)
     * must accept every task it is given and not throw: the tasks passed to it have left this
     * queue.
     *
     * @return 0 if the task was queued here; otherwise {@code capacity / 2 + 1}: the slots moved
     *         out and the task (slots cleared by {@link #forget} are not passed to the sink)
     */
    int pushOrOverflow(Runnable task, Consumer<? super Runnable> overflow) {
        if (--pushesBeforeRenewal < 0) {
            resize(slots.length); // a young array again: see <i>Renewal</i> in the class comment
        }
        for (;;) {
            if (push(task)) {
                return 0;
            }
            if (slots.length < growthLimit) {
                grow();
                continue;
            }
            int h = headCache; // push just read it: the ring was full at h
            int half = slots.length >>> 1;
            if (HEAD.compareAndSet(this, h, h + half)) {
                headCache = h + half;
                for (int i = 0; i < half; i++) {
                    int s = (h + i) & mask;
                    Runnable r = slots[s];
                    slots[s] = null;
                    if (r != null) {
                        overflow.accept(r);
                    }
                }
                overflow.accept(task);
                return half + 1;
            }
            // A stealer took tasks since: the ring has room now.
        }
    }

    /**
     * Doubles the ring. Owner only. Copies the items from {@code head} to {@code tail} into an
     * array twice the size, then publishes it with a release store; the old array is never
     * written again (see <i>Growth</i> in the class comment).
     */
    private void grow() {
        resize(slots.length << 1);
    }

    /**
     * Copies the items into a fresh array of {@code length} slots, at least the size, and
     * publishes it; the old array is never written again. Owner only.
     */
    private void resize(int length) {
        pushesBeforeRenewal = length * renewalPushesPerSlot;
        Runnable[] old = slots;
        int oldMask = mask;
        Runnable[] a = new Runnable[length];
        int newMask = a.length - 1;
        int t = (int) TAIL.get(this);
        for (int c = (int) HEAD.getAcquire(this); c != t; c++) {
            a[c & newMask] = old[c & oldMask];
        }
        mask = newMask;
        SLOTS.setRelease(this, a);
    }

    /**
     * Replaces the ring, empty, by a fresh one of the first capacity. Owner only, and only when
     * {@code head == tail}: see <i>Growth</i> in the class comment.
     */
    private void shrink() {
        Runnable[] a = new Runnable[firstCapacity];
        pushesBeforeRenewal = a.length * renewalPushesPerSlot;
        mask = a.length - 1;
        SLOTS.setRelease(this, a);
    }

    /**
     * Takes the oldest task. Owner only.
     *
     * @return the task, or null if the queue is empty
     */
    Runnable pop() {
        for (;;) {
            int h = (int) HEAD.getAcquire(this);
            int t = (int) TAIL.get(this);
            if (h == t) {
                if (slots.length > firstCapacity) {
                    shrink();
                }
                return null;
            }
            // Skip the slots the owner cleared (see forget): only the owner writes slots, so
            // they stay empty while it looks; one CAS takes them and the task after them.
            int k = h;
            Runnable task;
            while ((task = slots[k & mask]) == null && k + 1 != t) {
                k++;
            }
            if (HEAD.compareAndSet(this, h, k + 1)) {
                if (task == null) {
                    continue; // only cleared slots were left
                }
                slots[k & mask] = null;
                return task;
            }
        }
    }

    /** The counter the next push stores at (see {@link #forget(Runnable, int, int)}). Owner only. */
    int tailCounter() {
        return (int) TAIL.get(this);
    }

    /**
     * Clears the slot of {@code task} if it is still queued here at the counter whose low
     * {@code bits} bits are {@code counterBits}: the {@link #tailCounter()} read just before the
     * push that queued it (a task cell keeps only its low bits). Owner only. The items lie within
     * {@code capacity} of the tail, so the low bits name one counter when {@code 2^bits} exceeds
     * the capacity; if not, the slot check below still stops a wrong clear. For an entry
     * that no longer needs running (a joiner ran its task inline): left in place it would keep the
     * finished task reachable until a pop, a steal or an overflow reached it, which for a tree of
     * joins that runs inline is most of the tree: every young collection would copy it.
     *
     * <p>A cleared slot stays in the queue, empty: {@link #pop} skips it, a steal skips it (it
     * copies only what is not empty), an overflow does not pass it to its sink. Only the owner
     * writes slots, so the check and the store race no other write; a stealer that reads the slot
     * around the store sees the task or nothing, and either is right, since the task needs no
     * running. A task that left this queue (taken, moved to the injector), or was pushed to
     * another queue, is not at {@code counter} here, and nothing is cleared.
     *
     * @return true if the slot was found and cleared
     */
    boolean forget(Runnable task, int counterBits, int bits) {
        int t = (int) TAIL.get(this);
        // The counter is the one of those low bits at most 2^bits - 1 below the tail.
        int lowMask = bits == Integer.SIZE ? -1 : (1 << bits) - 1;
        int counter = t - ((t - counterBits) & lowMask);
        if (t - counter <= 0 || counter - (int) HEAD.getAcquire(this) < 0) {
            return false; // not in [head, tail): taken already, or never queued at counter
        }
        int s = counter & mask;
        if (slots[s] == task) {
            slots[s] = null;
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------
    // Stealing: called by the thief's owner on another worker's queue.

    /**
     * Moves the oldest half of this queue, rounded up, to the tail of {@code thief}, keeping their
     * order; takes fewer if {@code thief} has less free space. Called by {@code thief}'s owner, on
     * another worker's queue. The half is of the queue as this call read it: if this queue's owner
     * pushes meanwhile, it may be less than half of the queue when the tasks move, but never none.
     *
     * @return the number of tasks moved; 0 if this queue was empty or {@code thief} is full
     * @throws IllegalArgumentException if {@code thief} is this queue
     */
    int stealInto(RunQueue thief) {
        if (thief == this) {
            throw new IllegalArgumentException("a run queue cannot steal from itself");
        }
        Runnable[] to = thief.slots;
        int toMask = thief.mask;
        int tt = (int) TAIL.get(thief);
        // The thief's head only grows while we look: this is a lower bound of its free space.
        int free = to.length - (tt - (int) HEAD.getAcquire(thief));
        if (free <= 0) {
            return 0;
        }
        for (;;) {
            int h = (int) HEAD.getAcquire(this);
            int t = (int) TAIL.getAcquire(this);
            // After tail: an array at least as new as the one the items up to t were stored in.
            Runnable[] from = (Runnable[]) SLOTS.getAcquire(this);
            int fromMask = from.length - 1;
            int size = t - h;
            if (size <= 0) {
                return 0;
            }
            if (size > from.length) {
                continue; // head moved and the owner refilled between the two reads: read again
            }
            int n = Math.min(Math.min(size - (size >>> 1), free), maxSteal);
            int m = 0; // the slots not cleared by forget: those alone move
            for (int i = 0; i < n; i++) {
                Runnable r = from[(h + i) & fromMask];
                if (r != null) {
                    to[(tt + m++) & toMask] = r;
                }
            }
            if (HEAD.compareAndSet(this, h, h + n)) {
                if (m > 0) {
                    TAIL.setRelease(thief, tt + m);
                    return m;
                }
                // Only cleared slots: taken out of the victim's way; look again for tasks.
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Any thread.

    /**
     * The number of queued tasks: exact on the owner's thread. On another thread an estimate from
     * two reads: at least the size at the second read and at most {@code capacity}; if tasks were
     * both taken and added between the reads, more than the queue ever held.
     */
    int size() {
        int h = (int) HEAD.getAcquire(this);
        int t = (int) TAIL.getAcquire(this); // read after head: t - h >= 0
        return Math.min(t - h, ((Runnable[]) SLOTS.getAcquire(this)).length);
    }

    /**
     * Whether the queue is empty: exact on the owner's thread; on another thread, as the queue was
     * at some moment during the call.
     */
    boolean isEmpty() {
        int h = (int) HEAD.getAcquire(this);
        return h == (int) TAIL.getAcquire(this);
    }
}

/*
 * The counters each live on cache lines of their own: head between two pads, tail (with the
 * owner's headCache) between two more, at least 128 bytes apart. HotSpot puts a subclass's int
 * into any 4-byte alignment gap its superclasses left: with longs alone in the pads, JDK 25
 * placed head at offset 12, next to the object header, and with -XX:+UseCompactObjectHeaders
 * head and tail side by side at offsets 136 and 140. The int in each pad fills that gap first;
 * head and tail are then at 144 and 280 (140 and 276 with compact headers).
 */

/** Padding before {@code head}. */
abstract class RunQueuePadBeforeHead {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08;
    long p09, p0a, p0b, p0c, p0d, p0e, p0f, p10;
}

/** {@code head}: CASed by the owner's pops and overflows and by stealers. */
abstract class RunQueueHead extends RunQueuePadBeforeHead {
    static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(RunQueueHead.class, "head", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile int head;
}

/** Padding between {@code head} and {@code tail}. */
abstract class RunQueuePadBetween extends RunQueueHead {
    int p20;
    long p21, p22, p23, p24, p25, p26, p27, p28;
    long p29, p2a, p2b, p2c, p2d, p2e, p2f, p30;
}

/** {@code tail}, written by the owner only, and the owner's cached head. */
abstract class RunQueueTail extends RunQueuePadBetween {
    static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(RunQueueTail.class, "tail", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile int tail;
    /** Owner only: a value {@code head} had; {@code tail - headCache} is at least the size. */
    int headCache;
}

/** Padding after {@code tail}. */
abstract class RunQueuePadAfterTail extends RunQueueTail {
    int p40;
    long p41, p42, p43, p44, p45, p46, p47, p48;
    long p49, p4a, p4b, p4c, p4d, p4e, p4f, p50;
}
