package dev.weft.bench.sched;

import java.util.Optional;
import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;

/**
 * The workloads on a {@link ForkJoinPool} ({@code fjp}) of the suite's parallelism, default
 * (LIFO) mode. The root is {@code pool.invoke(rootTask)}; inside it tasks are forked onto the
 * worker's deque. The shapes follow the pool's own idioms where they differ from weft's:
 *
 * <ul>
 *   <li>skynet and fan-out: {@link RecursiveTask}s; a node forks all its children, then joins
 *       them in reverse order (innermost first, as {@link ForkJoinTask} recommends, so each join
 *       finds its task on top of the deque).</li>
 *   <li>spawn-storm: the root {@link RecursiveTask} forks every task (a {@link RecursiveAction}
 *       storing into its slot), then joins them all, again in reverse order: joined in fork
 *       order, each join would scan the deque for its task.</li>
 *   <li>chained-spawn: each link forks the next and ends without joining; the last completes a
 *       {@link CountedCompleter} root. A chain of {@code RecursiveTask}s in which each link
 *       joins the next would nest 10^6 joins, and a join of an unstolen task runs it on the
 *       joiner's stack: a stack overflow.</li>
 *   <li>yield-many: continuation passing. A ForkJoinPool task cannot yield and resume; its
 *       "yield" is to fork its continuation (a new task with one yield fewer) and return. In
 *       LIFO mode the worker pops that continuation next, so other tasks interleave only through
 *       stealing: this is the cheapest a yield can be, an upper bound for the others.</li>
 *   <li>ping-pong: continuation passing again: each message delivery forks the receiver's next
 *       step as a task (how actor runtimes on a ForkJoinPool deliver messages). A task that
 *       blocked on the {@link HandOff} would hold its worker thread; with
 *       {@link ForkJoinPool#managedBlock} it would measure OS thread park and unpark (about
 *       40 µs here), not the pool. No stack switch is involved, so it is a reference only.</li>
 *   <li>timer, parked, timers-memory: not run. A ForkJoinPool task cannot park or sleep without
 *       holding a thread.</li>
 * </ul>
 */
final class ForkJoinSched implements SchedImpl {

    private final int parallelism;
    private ForkJoinPool pool; // guarded by this

    ForkJoinSched(int parallelism) {
        this.parallelism = parallelism;
    }

    @Override
    public String name() {
        return "fjp";
    }

    @Override
    public Optional<String> unsupported(SchedCase c) {
        return switch (c) {
            case TIMER -> Optional.of("a ForkJoinPool task cannot sleep without holding its worker thread");
            case PARKED, TIMERS_MEMORY -> Optional.of("a ForkJoinPool task cannot park without holding a thread");
            default -> Optional.empty();
        };
    }

    /** The pool, created on first use (and again after {@link #abandon()}). */
    private synchronized ForkJoinPool pool() {
        if (pool == null) {
            pool = new ForkJoinPool(parallelism);
        }
        return pool;
    }

    @Override
    public long skynet(int leaves, int fanOut) {
        return pool().invoke(new Skynet(0, leaves, fanOut));
    }

    private static final class Skynet extends RecursiveTask<Long> {
        private final long first;
        private final long size;
        private final int fanOut;

        Skynet(long first, long size, int fanOut) {
            this.first = first;
            this.size = size;
            this.fanOut = fanOut;
        }

        @Override
        protected Long compute() {
            if (size == 1) {
                return first;
            }
            long childSize = size / fanOut;
            Skynet[] children = new Skynet[fanOut];
            for (int i = 0; i < fanOut; i++) {
                children[i] = new Skynet(first + i * childSize, childSize, fanOut);
                children[i].fork();
            }
            long sum = 0;
            for (int i = fanOut - 1; i >= 0; i--) {
                sum += children[i].join();
            }
            return sum;
        }
    }

    @Override
    public long chainedSpawn(int links) {
        return pool().invoke(new Chain(links));
    }

    /** The root of a chain: completes when the last link calls {@link #tryComplete()}. */
    private static final class Chain extends CountedCompleter<Long> {
        private final int links;
        private volatile long value;

        Chain(int links) {
            this.links = links;
        }

        @Override
        public void compute() {
            setPendingCount(1); // the last link's tryComplete; this compute's own is the other
            new Link(this, links, 0).fork();
            tryComplete();
        }

        @Override
        public Long getRawResult() {
            return value;
        }
    }

    private static final class Link extends RecursiveAction {
        private final Chain chain;
        private final int k;
        private final long sum;

        Link(Chain chain, int k, long sum) {
            this.chain = chain;
            this.k = k;
            this.sum = sum;
        }

        @Override
        protected void compute() {
            long next = sum + k;
            if (k == 1) {
                chain.value = next;
                chain.tryComplete();
            } else {
                new Link(chain, k - 1, next).fork();
            }
        }
    }

    @Override
    public long spawnStorm(int tasks) {
        return pool().invoke(new Storm(tasks));
    }

    private static final class Storm extends RecursiveTask<Long> {
        private final int tasks;

        Storm(int tasks) {
            this.tasks = tasks;
        }

        @Override
        protected Long compute() {
            long[] slots = new long[tasks];
            StormTask[] spawned = new StormTask[tasks];
            for (int i = 0; i < tasks; i++) {
                spawned[i] = new StormTask(slots, i);
                spawned[i].fork();
            }
            for (int i = tasks - 1; i >= 0; i--) {
                spawned[i].join();
            }
            return Slots.sum(slots);
        }
    }

    private static final class StormTask extends RecursiveAction {
        private final long[] slots;
        private final int index;

        StormTask(long[] slots, int index) {
            this.slots = slots;
            this.index = index;
        }

        @Override
        protected void compute() {
            slots[index] = index + 1;
        }
    }

    @Override
    public long yieldMany(int tasks, int yields) {
        return pool().invoke(new YieldRoot(tasks, yields));
    }

    /** Completes when every task's last continuation has called {@link #tryComplete()}. */
    private static final class YieldRoot extends CountedCompleter<Long> {
        private final int tasks;
        private final int yields;
        private final long[] slots;

        YieldRoot(int tasks, int yields) {
            this.tasks = tasks;
            this.yields = yields;
            this.slots = new long[tasks];
        }

        @Override
        public void compute() {
            setPendingCount(tasks); // one per task, plus this compute's own tryComplete
            for (int i = 0; i < tasks; i++) {
                new YieldStep(this, i, yields, 0).fork();
            }
            tryComplete();
        }

        @Override
        public Long getRawResult() {
            return Slots.sum(slots);
        }
    }

    /** One stretch of a task between two yields; its yield forks the next stretch. */
    private static final class YieldStep extends RecursiveAction {
        private final YieldRoot root;
        private final int index;
        private final int left;
        private final long done;

        YieldStep(YieldRoot root, int index, int left, long done) {
            this.root = root;
            this.index = index;
            this.left = left;
            this.done = done;
        }

        @Override
        protected void compute() {
            if (left == 0) {
                root.slots[index] = done;
                root.tryComplete();
            } else {
                new YieldStep(root, index, left - 1, done + 1).fork();
            }
        }
    }

    @Override
    public long pingPong(int roundTrips) {
        return pool().invoke(new Rally(roundTrips));
    }

    /** The root of ping-pong: completes when ping has received the last reply. */
    private static final class Rally extends CountedCompleter<Long> {
        private final int roundTrips;
        private volatile long received;

        Rally(int roundTrips) {
            this.roundTrips = roundTrips;
        }

        @Override
        public void compute() {
            setPendingCount(1);
            new PongStep(this, 0, 0).fork(); // ping's first message
            tryComplete();
        }

        @Override
        public Long getRawResult() {
            return received;
        }
    }

    /** Pong receives {@code value} and delivers {@code value + 1} to ping. */
    private static final class PongStep extends RecursiveAction {
        private final Rally rally;
        private final long value;
        private final long received;

        PongStep(Rally rally, long value, long received) {
            this.rally = rally;
            this.value = value;
            this.received = received;
        }

        @Override
        protected void compute() {
            new PingStep(rally, value, value + 1, received + 1).fork();
        }
    }

    /** Ping receives the reply to {@code sent}, checks it, and sends the next value or stops. */
    private static final class PingStep extends RecursiveAction {
        private final Rally rally;
        private final long sent;
        private final long reply;
        private final long received;

        PingStep(Rally rally, long sent, long reply, long received) {
            this.rally = rally;
            this.sent = sent;
            this.reply = reply;
            this.received = received;
        }

        @Override
        protected void compute() {
            if (reply != sent + 1) {
                // nobody joins this step: fail the root, which the caller waits for
                rally.completeExceptionally(new IllegalStateException("ping sent " + sent + " and got "
                        + reply + " back"));
                return;
            }
            long next = sent + 1;
            if (next == rally.roundTrips) {
                rally.received = received + 1;
                rally.tryComplete();
            } else {
                new PongStep(rally, next, received + 1).fork();
            }
        }
    }

    @Override
    public long fanOut(int tasks, int work) {
        return pool().invoke(new FanOut(tasks, work));
    }

    private static final class FanOut extends RecursiveTask<Long> {
        private final int tasks;
        private final int work;

        FanOut(int tasks, int work) {
            this.tasks = tasks;
            this.work = work;
        }

        @Override
        protected Long compute() {
            Chunk[] chunks = new Chunk[tasks];
            for (int i = 0; i < tasks; i++) {
                chunks[i] = new Chunk(i, work);
                chunks[i].fork();
            }
            long sum = 0;
            for (int i = tasks - 1; i >= 0; i--) {
                sum += chunks[i].join();
            }
            return sum;
        }
    }

    private static final class Chunk extends RecursiveTask<Long> {
        private final long index;
        private final int work;

        Chunk(long index, int work) {
            this.index = index;
            this.work = work;
        }

        @Override
        protected Long compute() {
            return FanOutWork.chunk(index, work);
        }
    }

    @Override
    public long sleepLateness(int sleepers, int sleepsEach, long seed, TimerLateness lateness) {
        throw new UnsupportedOperationException(unsupported(SchedCase.TIMER).orElseThrow());
    }

    @Override
    public HeldTasks hold(int tasks, Hold how) {
        throw new UnsupportedOperationException(unsupported(SchedCase.PARKED).orElseThrow());
    }

    @Override
    public void abandon() {
        ForkJoinPool p;
        synchronized (this) {
            p = pool;
            pool = null;
        }
        if (p != null) {
            p.shutdownNow();
        }
    }

    @Override
    public void close() {
        ForkJoinPool p;
        synchronized (this) {
            p = pool;
            pool = null;
        }
        if (p != null) {
            p.shutdown();
            try {
                p.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
