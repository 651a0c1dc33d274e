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
 * Lincheck checks that every concurrent run of the injector equals some sequential run of an
 * unbounded FIFO list: no task lost or duplicated, the order of the queue one order across all
 * producers, and {@code isEmpty} true only when nothing is queued and no push is in flight.
 * Producers push on every thread. The consumer operations run on one thread
 * ({@code nonParallelGroup = "consumer"}), so the flag is always free in these runs: workers
 * racing for it are covered by {@link InjectorStressTest} and {@link InjectorTest}.
 *
 * <p>A bare poll is not a linearizable FIFO poll: it returns null while the oldest push is in
 * flight, even when pushes behind it have completed (see the class comment of {@link Injector}).
 * So the operations here are the ones a worker builds from it: take, and when nothing comes out,
 * call it empty only if {@code isEmpty()} says so, else look again. That makes the consumer side
 * linearizable, and it checks the property the sleep protocol needs: had {@code isEmpty()} said
 * true with a push in flight, a poll would return null while the specification holds a task.
 * <ul>
 *   <li>{@link AllOperations}: push, pushAll (what a full run queue's overflow sends: a batch
 *       that must appear whole and in order), poll, pollInto and isEmpty, the last three on the consumer's
 *       thread. pollInto loops until it has moved as many tasks as the specification would, or
 *       the injector is empty, so its result is a batch; observed from another thread in the
 *       middle, a batch taken in several steps would not look atomic.</li>
 *   <li>{@link Emptiness}: push, poll, and isEmpty on every thread, so that isEmpty runs
 *       against pushes in flight and against the consumer moving {@code head}.</li>
 * </ul>
 */
public class InjectorLincheckTest {

    @Test
    void allOperationsModelChecking() {
        new ModelCheckingOptions()
                .iterations(15)
                .invocationsPerIteration(400)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(AllOperationsSpec.class)
                .check(AllOperations.class);
    }

    @Test
    void allOperationsStress() {
        // Model checking is the main gate; stress runs the real memory model on real threads,
        // kept small for 2-core machines (see RunQueueLincheckTest).
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(AllOperationsSpec.class)
                .check(AllOperations.class);
    }

    @Test
    void emptinessModelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(600)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(EmptinessSpec.class)
                .check(Emptiness.class);
    }

    @Test
    void emptinessStress() {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(EmptinessSpec.class)
                .check(Emptiness.class);
    }

    // ---------------------------------------------------------------------------------------
    // The worker's side, built from the injector's operations.

    /** Polls; on null, returns null only if the injector is empty, else looks again. */
    static Integer pollUnlessEmpty(Injector injector) {
        for (;;) {
            Runnable r = injector.poll();
            if (r != null) {
                return ((Item) r).value();
            }
            if (injector.isEmpty()) {
                return null;
            }
            Thread.onSpinWait(); // a push is in flight
        }
    }

    /** Tasks already in the ring a pollInto fills: its free space is {@code RING - RING_FULL}. */
    static final int RING = 4;
    static final int RING_FULL = 2;
    static final int RING_FREE = RING - RING_FULL;

    /**
     * pollInto into a ring holding {@link #RING_FULL} tasks; repeats until it has moved
     * {@code min(max, free space)} tasks or the injector is empty. Returns the tasks it moved.
     */
    static List<Integer> pollIntoUnlessEmpty(Injector injector, int max) {
        RunQueue ring = new RunQueue(RING);
        for (int i = 0; i < RING_FULL; i++) {
            ring.push(new Item(0));
        }
        int want = Math.min(max, RING_FREE);
        int moved = 0;
        while (moved < want) {
            int n = injector.pollInto(ring, want - moved);
            moved += n;
            if (n == 0) {
                if (injector.isEmpty()) {
                    break;
                }
                Thread.onSpinWait(); // a push is in flight
            }
        }
        List<Integer> got = RunQueueTest.drain(ring);
        if (got.size() != RING_FULL + moved || !got.subList(0, RING_FULL).equals(List.of(0, 0))) {
            throw new AssertionError("pollInto reported " + moved + " tasks moved, the ring holds " + got);
        }
        return new ArrayList<>(got.subList(RING_FULL, got.size()));
    }

    /** Two tasks queued at the start, so that consumers find some before any push completes. */
    static final List<Integer> INITIAL = List.of(10, 11);

    static Injector initialInjector() {
        Injector injector = new Injector();
        for (int item : INITIAL) {
            injector.push(new Item(item));
        }
        return injector;
    }

    // ---------------------------------------------------------------------------------------

    /** Pushes on every thread; poll, pollInto and isEmpty on the consumer's thread. */
    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class AllOperations {
        private final Injector injector = initialInjector();

        @Operation
        public void push(@Param(name = "item") int item) {
            injector.push(new Item(item));
        }

        /** A batch of two, {@code item} and {@code item + 10}, with one swap of the tail. */
        @Operation
        public void pushAll(@Param(name = "item") int item) {
            injector.pushAll(new Runnable[] {new Item(item), new Item(item + 10), null}, 2);
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            return pollUnlessEmpty(injector);
        }

        @Operation(nonParallelGroup = "consumer")
        public List<Integer> pollInto(@Param(gen = IntGen.class, conf = "1:3") int max) {
            return pollIntoUnlessEmpty(injector, max);
        }

        @Operation(nonParallelGroup = "consumer")
        public boolean isEmpty() {
            return injector.isEmpty();
        }
    }

    /** {@link AllOperations}, one operation at a time. */
    public static class AllOperationsSpec {
        private final List<Integer> items = new ArrayList<>(INITIAL);

        public void push(int item) {
            items.add(item);
        }

        public void pushAll(int item) {
            items.add(item);
            items.add(item + 10);
        }

        public Integer poll() {
            return items.isEmpty() ? null : items.remove(0);
        }

        public List<Integer> pollInto(int max) {
            List<Integer> oldest = items.subList(0, Math.min(Math.min(max, RING_FREE), items.size()));
            List<Integer> taken = new ArrayList<>(oldest);
            oldest.clear();
            return taken;
        }

        public boolean isEmpty() {
            return items.isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------

    /** Pushes and isEmpty on every thread; poll on the consumer's thread. */
    @Param(name = "item", gen = IntGen.class, conf = "1:9")
    public static class Emptiness {
        private final Injector injector = initialInjector();

        @Operation
        public void push(@Param(name = "item") int item) {
            injector.push(new Item(item));
        }

        @Operation(nonParallelGroup = "consumer")
        public Integer poll() {
            return pollUnlessEmpty(injector);
        }

        @Operation
        public boolean isEmpty() {
            return injector.isEmpty();
        }
    }

    /** {@link Emptiness}, one operation at a time. */
    public static class EmptinessSpec {
        private final List<Integer> items = new ArrayList<>(INITIAL);

        public void push(int item) {
            items.add(item);
        }

        public Integer poll() {
            return items.isEmpty() ? null : items.remove(0);
        }

        public boolean isEmpty() {
            return items.isEmpty();
        }
    }
}
