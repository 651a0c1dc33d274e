package dev.weft.bench.sched;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.LongAdder;

/**
 * The workloads on JDK virtual threads with the default scheduler ({@code jdk-vt}): the JDK's
 * ForkJoinPool of carriers, whose parallelism is the available processors unless
 * {@code jdk.virtualThreadScheduler.parallelism} says otherwise (the suite reports it). The root
 * is a virtual thread running a {@link FutureTask}; inside it every task is
 * {@link Thread#startVirtualThread} and is joined with {@link Thread#join()}. A virtual thread's
 * join carries no value, so tasks whose value the root needs store it in their own slot of an
 * array ({@link Slots}).
 *
 * <ul>
 *   <li>skynet: each node starts its 10 children, then joins them in start order.</li>
 *   <li>chained-spawn: each link starts the next and ends; the last leaves its value in a
 *       {@link ChainEnd} the root waits on.</li>
 *   <li>spawn-storm: the root starts every thread, keeping them, then joins them in start order.</li>
 *   <li>yield-many: each thread calls {@link Thread#yield()} in a loop.</li>
 *   <li>ping-pong: two threads, {@link PingPong} over two {@link HandOff}s (the same as weft).</li>
 *   <li>fan-out: the root starts the compute threads, then joins them in start order.</li>
 *   <li>timer: {@link Thread#sleep(Duration)}.</li>
 *   <li>parked, timers-memory: one virtual thread per task; released by counting the latch
 *       down, or by interrupting every thread.</li>
 * </ul>
 */
final class VirtualThreadSched implements SchedImpl {

    private static final Duration HOUR = Duration.ofHours(1);

    private volatile Thread root;

    @Override
    public String name() {
        return "jdk-vt";
    }

    /** Runs {@code body} on a root virtual thread and waits for its value. */
    private <T> T inRoot(Callable<T> body) throws Exception {
        FutureTask<T> task = new FutureTask<>(body);
        root = Thread.ofVirtual().name("weft-bench-vt-root").start(task);
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        } finally {
            root = null;
        }
    }

    private static Exception unwrap(ExecutionException e) {
        return switch (e.getCause()) {
            case Exception cause -> cause;
            case Error error -> throw error;
            case null, default -> e;
        };
    }

    @Override
    public long skynet(int leaves, int fanOut) throws Exception {
        return inRoot(() -> skynet(0, leaves, fanOut));
    }

    private static long skynet(long first, long size, int fanOut) throws InterruptedException {
        if (size == 1) {
            return first;
        }
        long childSize = size / fanOut;
        long[] sums = new long[fanOut];
        Thread[] children = new Thread[fanOut];
        for (int i = 0; i < fanOut; i++) {
            int k = i;
            long childFirst = first + i * childSize;
            children[i] = Thread.startVirtualThread(() -> sums[k] = skynetChild(childFirst, childSize, fanOut));
        }
        for (Thread child : children) {
            child.join();
        }
        return Slots.sum(sums);
    }

    /** A node below the root: an interrupt (only when the measurement is abandoned) ends it with 0. */
    private static long skynetChild(long first, long size, int fanOut) {
        try {
            return skynet(first, size, fanOut);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public long chainedSpawn(int links) throws Exception {
        return inRoot(() -> {
            ChainEnd end = new ChainEnd();
            Thread.startVirtualThread(() -> link(links, 0, end));
            return end.await();
        });
    }

    private static void link(int k, long sum, ChainEnd end) {
        long next = sum + k;
        if (k == 1) {
            end.finish(next);
        } else {
            Thread.startVirtualThread(() -> link(k - 1, next, end));
        }
    }

    @Override
    public long spawnStorm(int tasks) throws Exception {
        return inRoot(() -> {
            long[] slots = new long[tasks];
            Thread[] threads = new Thread[tasks];
            for (int i = 0; i < tasks; i++) {
                int k = i;
                threads[i] = Thread.startVirtualThread(() -> slots[k] = k + 1);
            }
            for (Thread t : threads) {
                t.join();
            }
            return Slots.sum(slots);
        });
    }

    @Override
    public long yieldMany(int tasks, int yields) throws Exception {
        return inRoot(() -> {
            long[] slots = new long[tasks];
            Thread[] threads = new Thread[tasks];
            for (int i = 0; i < tasks; i++) {
                int k = i;
                threads[i] = Thread.startVirtualThread(() -> {
                    long done = 0;
                    for (int y = 0; y < yields; y++) {
                        Thread.yield();
                        done++;
                    }
                    slots[k] = done;
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            return Slots.sum(slots);
        });
    }

    @Override
    public long pingPong(int roundTrips) throws Exception {
        return inRoot(() -> {
            HandOff toPong = new HandOff();
            HandOff toPing = new HandOff();
            long[] received = new long[2];
            Thread ping = Thread.startVirtualThread(() -> received[0] = PingPong.ping(toPong, toPing, roundTrips));
            Thread pong = Thread.startVirtualThread(() -> received[1] = PingPong.pong(toPong, toPing, roundTrips));
            ping.join();
            pong.join();
            return Slots.sum(received);
        });
    }

    @Override
    public long fanOut(int tasks, int work) throws Exception {
        return inRoot(() -> {
            long[] slots = new long[tasks];
            Thread[] threads = new Thread[tasks];
            for (int i = 0; i < tasks; i++) {
                int k = i;
                threads[i] = Thread.startVirtualThread(() -> slots[k] = FanOutWork.chunk(k, work));
            }
            for (Thread t : threads) {
                t.join();
            }
            return Slots.sum(slots);
        });
    }

    @Override
    public long sleepLateness(int sleepers, int sleepsEach, long seed, TimerLateness lateness)
            throws Exception {
        return inRoot(() -> {
            long[] slots = new long[sleepers];
            Thread[] threads = new Thread[sleepers];
            for (int i = 0; i < sleepers; i++) {
                int k = i;
                threads[i] = Thread.startVirtualThread(() -> {
                    try {
                        slots[k] = lateness.sleeper(seed + k, sleepsEach,
                                nanos -> Thread.sleep(Duration.ofNanos(nanos)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // abandoned: the count comes out short
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            return Slots.sum(slots);
        });
    }

    @Override
    public HeldTasks hold(int tasks, Hold how) {
        return new VirtualThreadHold(tasks, how);
    }

    /** Virtual threads blocked on a latch or in a sleep, started by one root virtual thread. */
    private final class VirtualThreadHold implements HeldTasks {
        private final int tasks;
        private final Hold how;
        private final Thread[] threads;
        private final CountDownLatch blocking;
        private final CountDownLatch spawned = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final LongAdder interrupted = new LongAdder();
        private final Runnable body;
        private FutureTask<Long> holder;

        VirtualThreadHold(int tasks, Hold how) {
            this.tasks = tasks;
            this.how = how;
            this.threads = new Thread[tasks];
            this.blocking = new CountDownLatch(tasks);
            // one body for all threads: a lambda per thread would be counted as the thread's memory
            this.body = () -> {
                blocking.countDown();
                try {
                    if (how == Hold.LATCH) {
                        release.await();
                    } else {
                        Thread.sleep(HOUR);
                    }
                } catch (InterruptedException e) {
                    interrupted.increment();
                }
            };
        }

        @Override
        public void start(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            holder = new FutureTask<>(() -> {
                for (int i = 0; i < tasks; i++) {
                    threads[i] = Thread.startVirtualThread(body);
                }
                spawned.countDown();
                long ended = 0;
                for (Thread t : threads) {
                    t.join();
                    ended++;
                }
                return ended;
            });
            root = Thread.ofVirtual().name("weft-bench-vt-root").start(holder);
            HeldTasks.awaitUntil(spawned, deadline, "the root thread had not started all " + tasks + " threads");
            HeldTasks.awaitUntil(blocking, deadline, "threads had not all blocked");
        }

        @Override
        public long release() throws Exception {
            if (how == Hold.LATCH) {
                release.countDown();
            } else {
                for (Thread t : threads) {
                    if (t != null) { // null only after a failed start
                        t.interrupt();
                    }
                }
            }
            if (holder == null) {
                return 0;
            }
            try {
                long ended = holder.get();
                long expectedInterrupts = how == Hold.SLEEP ? tasks : 0;
                if (interrupted.sum() != expectedInterrupts) {
                    throw new IllegalStateException(interrupted.sum() + " of " + tasks + " threads were"
                            + " interrupted; expected " + expectedInterrupts);
                }
                return ended;
            } catch (ExecutionException e) {
                throw unwrap(e);
            } finally {
                root = null;
            }
        }
    }

    @Override
    public void abandon() {
        Thread r = root;
        if (r != null) {
            r.interrupt();
        }
    }

    @Override
    public void close() {
        // the default scheduler belongs to the JDK
    }
}
