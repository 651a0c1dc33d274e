package dev.weft.sched;

import dev.weft.sched.RunQueueTest.Item;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * Lincheck checks that every concurrent run of the queue equals some sequential run of a bounded
 * FIFO list: no task lost or duplicated, FIFO order kept, an overflow moves the oldest half and
 * the new task. The owner's operations run on one thread ({@code nonParallelGroup = "owner"}),
 * steals on the others, each into a fresh thief queue that it drains to report what it took.
 * Counters start at or just below the wrap of {@code int}, so every run works across it.
 *
 * <p>How many items a steal takes is not a sequential property: the stealer computes half of
 * the queue from its read of the tail, and the owner may push before the stealer's CAS, which
 * then still succeeds (the head did not move). The steal takes the oldest half of the queue it
 * read, which can be less than half of the queue at the moment it takes effect. So two models:
 * <ul>
 *   <li>{@link OwnerAndStealers}: every operation, with steals into a thief that has one free
 *       slot, so each steal takes exactly the oldest item, whatever the owner does meanwhile.</li>
 *   <li>{@link HalfSteals}: a full queue that only shrinks (the owner pops, nobody pushes): the
 *       tail stands still, so a steal takes exactly the oldest half, rounded up, up to the
 *       steal cap ({@link RunQueue#MAX_STEAL}, made small here so that steals reach it).</li>
 * </ul>
 * Two more reach what the queue does beside FIFO: {@link GrowingRing} (growth, shrinking and
 * renewal racing steals) and {@link Forgetting} ({@link RunQueue#forget} racing pops and steals).
 * The queues here renew their ring every push a slot instead of every 64
 * ({@link RunQueue#RENEWAL_PUSHES_PER_SLOT}), so that renewals happen within a model's few
 * operations.
 * Steals of many items racing pushes are checked by {@link RunQueueStressTest} (every task taken
 * exactly once), their counts by {@link RunQueueTest}.
 */
public class RunQueueLincheckTest {

    @Test
    void ownerAndStealersModelChecking() {
        new ModelCheckingOptions()
                .iterations(12)
                .invocationsPerIteration(400)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(2)
                .sequentialSpecification(OwnerAndStealersSpec.class)
                .check(OwnerAndStealers.class);
    }

    @Test
    void ownerAndStealersStress() {
        // Model checking is the main gate; stress runs the real memory model on real threads,
        // kept small for 2-core machines (see BatchChannelLincheckTest).
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(2)
                .sequentialSpecification(OwnerAndStealersSpec.class)
                .check(OwnerAndStealers.class);
    }

    @Test
    void growingRingModelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(400)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(GrowingRingSpec.class)
                .check(GrowingRing.class);
    }

    @Test
    void forgettingModelChecking() {
        new ModelCheckingOptions()
                .iterations(6)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(ForgettingSpec.class)
                .check(Forgetting.class);
    }

    @Test
    void halfStealsModelChecking() {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(HalfStealsSpec.class)
                .check(HalfSteals.class);
    }

    @Test
    void halfStealsStress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(HalfStealsSpec.class)
                .check(HalfSteals.class);
    }

    /** Drains a thief after a steal, checking it holds what {@code stealInto} reported. */
    static List<Integer> stolen(RunQueue thief, int reported, int alreadyThere) {
        List<Integer> got = RunQueueTest.drain(thief);
        if (got.size() != alreadyThere + reported) {
            throw new AssertionError("stealInto reported " + reported + " tasks, the thief holds " + got);
        }
        return new ArrayList<>(got.subList(alreadyThere, got.size()));
    }

    // ---------------------------------------------------------------------------------------

    /**
     * Every operation; steals take one item. The queue starts with three items: one push from
     * full, so that runs often overflow while a stealer races the owner's CAS, and three takes
     * from empty. The three items take the counters up to the wrap of {@code int} at
     * 2<sup>31</sup>: {@code head} and {@code tail} start on either side of it.
     */
    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class OwnerAndStealers {
        static final int CAPACITY = 4;
        static final int START = Integer.MAX_VALUE - 2;
        static final List<Integer> INITIAL = List.of(10, 11, 12);

        /** Renews the ring every {@code CAPACITY} calls of pushOrOverflow. */
        private final RunQueue queue = new RunQueue(CAPACITY, START, CAPACITY, 1, RunQueue.MAX_STEAL);

        public OwnerAndStealers() {
            for (int item : INITIAL) {
                queue.push(new Item(item));
            }
        }

        @Operation(nonParallelGroup = "owner")
        public boolean push(@Param(name = "item") int item) {
            return queue.push(new Item(item));
        }

        @Operation(nonParallelGroup = "owner")
        public List<Integer> pushOrOverflow(@Param(name = "item") int item) {
            List<Integer> overflow = new ArrayList<>();
            queue.pushOrOverflow(new Item(item), r -> overflow.add(((Item) r).value()));
            return overflow;
        }

        @Operation(nonParallelGroup = "owner")
        public Integer pop() {
            Runnable r = queue.pop();
            return r == null ? null : ((Item) r).value();
        }

        @Operation(nonParallelGroup = "owner")
        public int ownerSize() {
            return queue.size();
        }

        /** Steals into a thief with one free slot: takes the oldest item, if any. */
        @Operation
        public Integer stealOne() {
            RunQueue thief = new RunQueue(RunQueue.MIN_CAPACITY);
            thief.push(new Item(0));
            List<Integer> got = stolen(thief, queue.stealInto(thief), 1);
            return got.isEmpty() ? null : got.get(0);
        }

        @Operation
        public boolean isEmpty() {
            return queue.isEmpty();
        }
    }

    /** {@link OwnerAndStealers}, one operation at a time. */
    public static class OwnerAndStealersSpec {
        private final List<Integer> items = new ArrayList<>(OwnerAndStealers.INITIAL);

        public boolean push(int item) {
            if (items.size() >= OwnerAndStealers.CAPACITY) {
                return false;
            }
            items.add(item);
            return true;
        }

        public List<Integer> pushOrOverflow(int item) {
            if (push(item)) {
                return List.of();
            }
            List<Integer> half = items.subList(0, OwnerAndStealers.CAPACITY / 2);
            List<Integer> overflow = new ArrayList<>(half);
            half.clear();
            overflow.add(item);
            return overflow;
        }

        public Integer pop() {
            return items.isEmpty() ? null : items.remove(0);
        }

        public int ownerSize() {
            return items.size();
        }

        public Integer stealOne() {
            return pop();
        }

        public boolean isEmpty() {
            return items.isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------

    /**
     * A full queue that the owner pops and stealers halve, with a steal cap of 3: a steal from 8
     * or from 5 items takes 3 (capped), from 3 takes 2 (half).
     */
    public static class HalfSteals {
        static final int CAPACITY = 8;
        static final int MAX_STEAL = 3;
        /** The eight items' counters run from 2^31 - 3 across the wrap. */
        static final int START = Integer.MAX_VALUE - 2;

        private final RunQueue queue = new RunQueue(CAPACITY, START, CAPACITY, 1, MAX_STEAL);

        public HalfSteals() {
            for (int i = 1; i <= CAPACITY; i++) {
                queue.push(new Item(i));
            }
        }

        @Operation(nonParallelGroup = "owner")
        public Integer pop() {
            Runnable r = queue.pop();
            return r == null ? null : ((Item) r).value();
        }

        @Operation(nonParallelGroup = "owner")
        public int ownerSize() {
            return queue.size();
        }

        /** Steals into an empty thief: takes the oldest half, rounded up, at most the cap. */
        @Operation
        public List<Integer> steal() {
            RunQueue thief = new RunQueue(CAPACITY);
            return stolen(thief, queue.stealInto(thief), 0);
        }
    }

    /** {@link HalfSteals}, one operation at a time. */
    public static class HalfStealsSpec {
        private final List<Integer> items = new ArrayList<>();

        public HalfStealsSpec() {
            for (int i = 1; i <= HalfSteals.CAPACITY; i++) {
                items.add(i);
            }
        }

        public Integer pop() {
            return items.isEmpty() ? null : items.remove(0);
        }

        public int ownerSize() {
            return items.size();
        }

        public List<Integer> steal() {
            List<Integer> oldest = items.subList(0, Math.min((items.size() + 1) / 2, HalfSteals.MAX_STEAL));
            List<Integer> stolen = new ArrayList<>(oldest);
            oldest.clear();
            return stolen;
        }
    }

    /**
     * A ring that starts full at 2 slots and may grow to 8, and shrinks back to 2 when a pop finds
     * it empty: pushes grow it and pops shrink it while stealers copy from the array they read,
     * so a steal can race the owner's switch to a new array, larger, smaller, or (a renewal)
     * of the same size. Steals
     * take one item, as in {@link OwnerAndStealers}; the counters cross the wrap of {@code int}.
     * The capacity is not an operation here: a push that found the ring full may grow it after
     * stealers emptied it, which is harmless (growth is a heuristic) but not what a sequential
     * list would do; what must hold is that items are neither lost, duplicated nor reordered,
     * and that a ring overflows only once it has reached its limit.
     */
    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class GrowingRing {
        static final int CAPACITY = 2;
        static final int LIMIT = 8;
        static final int START = Integer.MAX_VALUE - 1;
        static final List<Integer> INITIAL = List.of(10, 11);

        /** Renews the ring every push a slot: every 2 pushes at 2 slots, 4 at 4... */
        private final RunQueue queue = new RunQueue(CAPACITY, START, LIMIT, 1, RunQueue.MAX_STEAL);

        public GrowingRing() {
            for (int item : INITIAL) {
                queue.push(new Item(item));
            }
        }

        @Operation(nonParallelGroup = "owner")
        public List<Integer> pushOrOverflow(@Param(name = "item") int item) {
            List<Integer> overflow = new ArrayList<>();
            queue.pushOrOverflow(new Item(item), r -> overflow.add(((Item) r).value()));
            return overflow;
        }

        @Operation(nonParallelGroup = "owner")
        public Integer pop() {
            Runnable r = queue.pop();
            return r == null ? null : ((Item) r).value();
        }

        @Operation(nonParallelGroup = "owner")
        public int ownerSize() {
            return queue.size();
        }

        @Operation
        public Integer stealOne() {
            RunQueue thief = new RunQueue(RunQueue.MIN_CAPACITY);
            thief.push(new Item(0));
            List<Integer> got = stolen(thief, queue.stealInto(thief), 1);
            return got.isEmpty() ? null : got.get(0);
        }
    }

    /** {@link GrowingRing}, one operation at a time: a FIFO list whose room doubles when full. */
    public static class GrowingRingSpec {
        private final List<Integer> items = new ArrayList<>(GrowingRing.INITIAL);
        private int capacity = GrowingRing.CAPACITY;

        public List<Integer> pushOrOverflow(int item) {
            while (items.size() >= capacity && capacity < GrowingRing.LIMIT) {
                capacity *= 2;
            }
            if (items.size() < capacity) {
                items.add(item);
                return List.of();
            }
            List<Integer> half = items.subList(0, capacity / 2);
            List<Integer> overflow = new ArrayList<>(half);
            half.clear();
            overflow.add(item);
            return overflow;
        }

        public Integer pop() {
            if (items.isEmpty()) {
                capacity = GrowingRing.CAPACITY; // an empty pop shrinks a grown ring
                return null;
            }
            return items.remove(0);
        }

        public int ownerSize() {
            return items.size();
        }

        public Integer stealOne() {
            return items.isEmpty() ? null : items.remove(0);
        }
    }

    // ---------------------------------------------------------------------------------------

    /**
     * {@link RunQueue#forget} as a joiner uses it: the owner queues <i>joined</i> entries beside
     * live ones, entries whose task a joiner has claimed (here: from the start), and later
     * forgets them, clearing their slots, while pops and steals take entries and skip the joined
     * ones, as the scheduler skips a task whose claim fails. The joined entries are outside the
     * specification: it holds the live items alone, in FIFO order. What must hold is that a
     * forget clears no slot but its own entry's (a live item would be lost), that a cleared slot
     * is skipped (by pop, steal and the copies of a growth or renewal), and that nothing is
     * duplicated, while the queue grows from 2 slots, renews every push a slot, shrinks when
     * empty, and its counters cross the wrap of {@code int}. The cell keeps 2 low counter bits
     * here, too few to name one counter once more than 4 entries are queued: the slot check must
     * then stop a wrong clear. Steals take one entry (as in {@link OwnerAndStealers}); the ring never
     * overflows (fewer pushes than its limit).
     */
    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class Forgetting {
        static final int CAPACITY = 2;
        static final int LIMIT = 16;
        static final int BITS = 2;
        static final int START = Integer.MAX_VALUE - 1;
        static final List<Integer> INITIAL = List.of(10, 11);

        private final RunQueue queue = new RunQueue(CAPACITY, START, LIMIT, 1, RunQueue.MAX_STEAL);
        /** The joined entries not yet forgotten, with their counters' low bits; owner only. */
        private final List<Item> joined = new ArrayList<>();
        private final List<Integer> joinedAt = new ArrayList<>();

        public Forgetting() {
            pushOrOverflow(INITIAL.get(0));
            pushJoined();
            pushOrOverflow(INITIAL.get(1));
        }

        @Operation(nonParallelGroup = "owner")
        public void pushOrOverflow(@Param(name = "item") int item) {
            queue.pushOrOverflow(new Item(item), r -> {
                throw new AssertionError("the ring overflowed below its limit: " + r);
            });
        }

        /** Queues an entry whose task a joiner has claimed. */
        @Operation(nonParallelGroup = "owner")
        public void pushJoined() {
            Item entry = new Item(-1); // a record: each entry is its own object, told apart by ==
            int at = queue.tailCounter() & ((1 << BITS) - 1);
            queue.pushOrOverflow(entry, r -> {
                throw new AssertionError("the ring overflowed below its limit: " + r);
            });
            joined.add(entry);
            joinedAt.add(at);
        }

        /**
         * Forgets the oldest joined entry not forgotten yet: the one most likely to have left
         * the queue, or to lie further below the tail than its counter bits can name.
         */
        @Operation(nonParallelGroup = "owner")
        public void forgetJoined() {
            if (!joined.isEmpty()) {
                queue.forget(joined.remove(0), joinedAt.remove(0), BITS);
            }
        }

        @Operation(nonParallelGroup = "owner")
        public Integer pop() {
            for (;;) {
                Runnable r = queue.pop();
                if (r == null) {
                    return null;
                }
                if (((Item) r).value() >= 0) {
                    return ((Item) r).value();
                }
            }
        }

        /** Steals one entry at a time until it gets a live one, or the queue is empty. */
        @Operation
        public Integer stealOne() {
            for (;;) {
                RunQueue thief = new RunQueue(RunQueue.MIN_CAPACITY);
                thief.push(new Item(0));
                List<Integer> got = stolen(thief, queue.stealInto(thief), 1);
                if (got.isEmpty()) {
                    return null;
                }
                if (got.get(0) >= 0) {
                    return got.get(0);
                }
            }
        }
    }

    /** {@link Forgetting}'s live items, one operation at a time: joined entries do not show. */
    public static class ForgettingSpec {
        private final List<Integer> items = new ArrayList<>(Forgetting.INITIAL);

        public void pushOrOverflow(int item) {
            items.add(item);
        }

        public void pushJoined() {
        }

        public void forgetJoined() {
        }

        public Integer pop() {
            return items.isEmpty() ? null : items.remove(0);
        }

        public Integer stealOne() {
            return pop();
        }
    }
}
