package dev.weft.bench.sched;

import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import dev.weft.task.TaskBuilder;
import dev.weft.task.TaskKind;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

/**
 * The workloads on weft: one {@link Weft} with as many workers as the suite's parallelism. The
 * root is {@code runtime.spawn(...)}; inside it every task is spawned onto the spawning worker's
 * own run queue and joined with {@link JoinHandle#join()}. Two implementations by task kind:
 * <ul>
 *   <li>{@code weft}: {@link TaskKind#POOLED} tasks, the default, spawned with {@link Task#spawn};
 *       a task that never parks costs no thread of its own and a joiner may run its child inline.
 *       Its like-for-like peer is a ForkJoinPool ({@code fjp}).</li>
 *   <li>{@code weft-dedicated}: {@link TaskKind#DEDICATED} tasks, spawned with
 *       {@code runtime.task().kind(DEDICATED)}: each a fresh virtual thread of its own on weft's
 *       workers. Its like-for-like peer is JDK virtual threads ({@code jdk-vt}).</li>
 * </ul>
 *
 * <ul>
 *   <li>skynet: each node spawns its 10 children, then joins them in spawn order.</li>
 *   <li>chained-spawn: each link spawns the next and ends without joining; the last leaves its
 *       value in a {@link ChainEnd} the root waits on.</li>
 *   <li>spawn-storm: the root spawns every task, keeping the handles, then joins them in spawn
 *       order; each task stores its number in its own slot of a shared array.</li>
 *   <li>yield-many: each task calls {@link Task#yieldNow()} in a loop.</li>
 *   <li>ping-pong: two tasks, {@link PingPong} over two {@link HandOff}s.</li>
 *   <li>fan-out: the root spawns the compute tasks, then joins them in spawn order.</li>
 *   <li>timer: {@link Task#sleep}.</li>
 *   <li>parked, timers-memory: POOLED tasks, each of which gets a virtual thread of its own
 *       when it parks; released by counting the latch down, or by {@link JoinHandle#cancel()}.</li>
 * </ul>
 */
final class WeftSched implements SchedImpl {

    private static final Duration HOUR = Duration.ofHours(1);

    /** The impl name of POOLED tasks. */
    static final String POOLED = "weft";
    /** The impl name of DEDICATED tasks. */
    static final String DEDICATED = "weft-dedicated";

    private final int workers;
    private final TaskKind kind;
    private Weft runtime; // guarded by this
    /** Spawns DEDICATED tasks on the current runtime; set with it. */
    private volatile TaskBuilder dedicated;
    private volatile JoinHandle<?> root;

    /** POOLED tasks ({@code weft}). */
    WeftSched(int workers) {
        this(workers, TaskKind.POOLED);
    }

    /** Tasks of {@code kind}: {@code weft} for POOLED, {@code weft-dedicated} for DEDICATED. */
    WeftSched(int workers, TaskKind kind) {
        this.workers = workers;
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind == TaskKind.POOLED ? POOLED : DEDICATED;
    }

    /** The runtime, started on first use (and again after {@link #abandon()}). */
    synchronized Weft runtime() {
        if (runtime == null) {
            runtime = Weft.start(Config.builder().workers(workers).threadNamePrefix("weft-bench-sched").build());
            dedicated = runtime.task().kind(TaskKind.DEDICATED);
        }
        return runtime;
    }

    /** Spawns a task of this implementation's kind from inside a task. */
    private <T> JoinHandle<T> spawn(Callable<T> body) {
        return kind == TaskKind.POOLED ? Task.spawn(body) : dedicated.spawn(body);
    }

    /** Like {@link #spawn(Callable)}, for a body without a result. */
    private JoinHandle<Void> spawn(Runnable body) {
        return kind == TaskKind.POOLED ? Task.spawn(body) : dedicated.spawn(body);
    }

    /** Spawns {@code body} as the root task and waits for its value. */
    private <T> T inRoot(Callable<T> body) throws InterruptedException {
        JoinHandle<T> h = runtime().spawn(body);
        root = h;
        try {
            return h.join();
        } finally {
            root = null;
        }
    }

    @Override
    public long skynet(int leaves, int fanOut) throws Exception {
        return inRoot(() -> skynet(0, leaves, fanOut));
    }

    private long skynet(long first, long size, int fanOut) throws InterruptedException {
        if (size == 1) {
            return first;
        }
        long childSize = size / fanOut;
        @SuppressWarnings("unchecked")
        JoinHandle<Long>[] children = (JoinHandle<Long>[]) new JoinHandle<?>[fanOut];
        for (int i = 0; i < fanOut; i++) {
            long childFirst = first + i * childSize;
            children[i] = spawn(() -> skynet(childFirst, childSize, fanOut));
        }
        long sum = 0;
        for (JoinHandle<Long> child : children) {
            sum += child.join();
        }
        return sum;
    }

    @Override
    public long chainedSpawn(int links) throws Exception {
        return inRoot(() -> {
            ChainEnd end = new ChainEnd();
            spawn(() -> link(links, 0, end));
            return end.await();
        });
    }

    private void link(int k, long sum, ChainEnd end) {
        long next = sum + k;
        if (k == 1) {
            end.finish(next);
        } else {
            spawn(() -> link(k - 1, next, end));
        }
    }

    @Override
    public long spawnStorm(int tasks) throws Exception {
        return inRoot(() -> {
            long[] slots = new long[tasks];
            JoinHandle<?>[] handles = new JoinHandle<?>[tasks];
            for (int i = 0; i < tasks; i++) {
                int k = i;
                handles[i] = spawn(() -> {
                    slots[k] = k + 1;
                });
            }
            for (JoinHandle<?> h : handles) {
                h.join();
            }
            return Slots.sum(slots);
        });
    }

    @Override
    public long yieldMany(int tasks, int yields) throws Exception {
        return inRoot(() -> {
            long[] slots = new long[tasks];
            JoinHandle<?>[] handles = new JoinHandle<?>[tasks];
            for (int i = 0; i < tasks; i++) {
                int k = i;
                handles[i] = spawn(() -> {
                    long done = 0;
                    for (int y = 0; y < yields; y++) {
                        Task.yieldNow();
                        done++;
                    }
                    slots[k] = done;
                });
            }
            for (JoinHandle<?> h : handles) {
                h.join();
            }
            return Slots.sum(slots);
        });
    }

    @Override
    public long pingPong(int roundTrips) throws Exception {
        return inRoot(() -> {
            HandOff toPong = new HandOff();
            HandOff toPing = new HandOff();
            JoinHandle<Long> ping = spawn(() -> PingPong.ping(toPong, toPing, roundTrips));
            JoinHandle<Long> pong = spawn(() -> PingPong.pong(toPong, toPing, roundTrips));
            return ping.join() + pong.join();
        });
    }

    @Override
    public long fanOut(int tasks, int work) throws Exception {
        return inRoot(() -> {
            @SuppressWarnings("unchecked")
            JoinHandle<Long>[] handles = (JoinHandle<Long>[]) new JoinHandle<?>[tasks];
            for (int i = 0; i < tasks; i++) {
                long index = i;
                handles[i] = spawn(() -> FanOutWork.chunk(index, work));
            }
            long sum = 0;
            for (JoinHandle<Long> h : handles) {
                sum += h.join();
            }
            return sum;
        });
    }

    @Override
    public long sleepLateness(int sleepers, int sleepsEach, long seed, TimerLateness lateness)
            throws Exception {
        return inRoot(() -> {
            @SuppressWarnings("unchecked")
            JoinHandle<Long>[] handles = (JoinHandle<Long>[]) new JoinHandle<?>[sleepers];
            for (int i = 0; i < sleepers; i++) {
                long mySeed = seed + i;
                handles[i] = spawn(() -> lateness.sleeper(mySeed, sleepsEach,
                        nanos -> Task.sleep(Duration.ofNanos(nanos))));
            }
            long sleeps = 0;
            for (JoinHandle<Long> h : handles) {
                sleeps += h.join();
            }
            return sleeps;
        });
    }

    @Override
    public HeldTasks hold(int tasks, Hold how) {
        return new WeftHold(tasks, how);
    }

    /** Tasks blocked on a latch or in a sleep, spawned by one root task. */
    private final class WeftHold implements HeldTasks {
        private final int tasks;
        private final Hold how;
        private final JoinHandle<?>[] handles;
        private final CountDownLatch blocking;
        private final CountDownLatch spawned = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Callable<Object> body;
        private JoinHandle<Long> holder;

        WeftHold(int tasks, Hold how) {
            this.tasks = tasks;
            this.how = how;
            this.handles = new JoinHandle<?>[tasks];
            this.blocking = new CountDownLatch(tasks);
            // one body for all tasks: a lambda per task would be counted as the task's memory
            this.body = how == Hold.LATCH
                    ? () -> {
                        blocking.countDown();
                        release.await();
                        return null;
                    }
                    : () -> {
                        blocking.countDown();
                        Task.sleep(HOUR);
                        return null;
                    };
        }

        @Override
        public void start(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            Weft rt = runtime();
            holder = rt.spawn(() -> {
                for (int i = 0; i < tasks; i++) {
                    handles[i] = spawn(body);
                }
                spawned.countDown();
                long ended = 0;
                for (JoinHandle<?> h : handles) {
                    try {
                        h.join();
                        ended++;
                    } catch (JoinException e) {
                        if (!e.isCancelled()) {
                            throw e;
                        }
                        ended++;
                    }
                }
                return ended;
            });
            root = holder;
            HeldTasks.awaitUntil(spawned, deadline, "the root task had not spawned all " + tasks + " tasks");
            HeldTasks.awaitUntil(blocking, deadline, "tasks had not all blocked");
            if (how == Hold.SLEEP) {
                // every sleeper must have its timer pending before the heap is measured
                while (rt.stats().timersPending() < tasks) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new TimeoutException("only " + rt.stats().timersPending() + " of " + tasks
                                + " sleeping tasks had a pending timer after " + timeout.toSeconds() + " s");
                    }
                    Thread.sleep(10);
                }
            }
        }

        @Override
        public long release() throws Exception {
            if (how == Hold.LATCH) {
                release.countDown();
            } else {
                for (JoinHandle<?> h : handles) {
                    if (h != null) { // null only after a failed start
                        h.cancel();
                    }
                }
            }
            if (holder == null) {
                return 0;
            }
            try {
                return holder.join();
            } finally {
                root = null;
            }
        }
    }

    @Override
    public String state() {
        Weft rt;
        synchronized (this) {
            rt = runtime;
        }
        return rt == null ? "" : rt + ": " + rt.stats();
    }

    @Override
    public void abandon() {
        JoinHandle<?> r = root;
        if (r != null) {
            r.cancel();
        }
        Weft rt;
        synchronized (this) {
            rt = runtime;
            runtime = null;
        }
        if (rt != null) {
            rt.shutdownNow(); // cancels what is left and does not wait (close() would)
        }
    }

    @Override
    public void close() {
        Weft rt;
        synchronized (this) {
            rt = runtime;
            runtime = null;
        }
        if (rt != null) {
            try {
                rt.shutdown(Duration.ofSeconds(5)); // bounded, where close() waits for every task
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
