package dev.weft.bench.sched;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One implementation of the sched suite's workloads: weft, JDK virtual threads on their default
 * scheduler, or a ForkJoinPool. Each method submits a root task to the implementation, lets it
 * spawn everything the workload needs with the implementation's own spawn, join, yield and sleep,
 * waits for the root's result on the calling thread, and returns it for the suite to check
 * against {@link SchedCase#expected}. The shapes are documented on each implementation.
 *
 * <p>Every implementation runs with the same parallelism (the suite's: the available
 * processors). Pools are created on first use and kept for the whole suite; {@link #abandon()}
 * drops them after a measurement that did not end in time.
 */
public interface SchedImpl extends AutoCloseable {

    /** How tasks block in a memory case. */
    enum Hold {
        /** On one shared {@link java.util.concurrent.CountDownLatch}, released by counting it down. */
        LATCH,
        /** In a one-hour sleep, released by cancelling (interrupting) every task. */
        SLEEP
    }

    /**
     * Tasks spawned to block, for a memory case: {@link #start} spawns them all from a root task
     * and returns once every one has reached its blocking call; {@link #release} lets them all end.
     * The arrays and latches a hold needs are allocated when it is created, so that a heap
     * baseline taken between {@link #hold} and {@link #start} does not count them.
     */
    interface HeldTasks {
        /**
         * Spawns every task from a root task; returns once all have blocked.
         *
         * @throws java.util.concurrent.TimeoutException if they did not all block within {@code timeout}
         */
        void start(Duration timeout) throws Exception;

        /** Releases (or cancels) every task and joins them; returns how many ended as expected. */
        long release() throws Exception;

        /**
         * Waits for {@code latch} until {@code deadline} ({@link System#nanoTime()}).
         *
         * @throws TimeoutException saying {@code what} did not happen, and how many counts are left
         */
        static void awaitUntil(CountDownLatch latch, long deadline, String what)
                throws InterruptedException, TimeoutException {
            if (!latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException(what + " in time (" + latch.getCount() + " still to come)");
            }
        }
    }

    /** The stable name in tables and JSON: {@code weft}, {@code jdk-vt}, {@code fjp}. */
    String name();

    /** Why this implementation cannot run {@code c}, if it cannot. */
    default Optional<String> unsupported(SchedCase c) {
        return Optional.empty();
    }

    /** Skynet: the sum of the leaf numbers 0 .. leaves-1. */
    long skynet(int leaves, int fanOut) throws Exception;

    /** Chained spawn: the sum of the link numbers 1 .. links. */
    long chainedSpawn(int links) throws Exception;

    /** Spawn storm: the sum of 1 .. tasks, one term per task. */
    long spawnStorm(int tasks) throws Exception;

    /** Yield-many: the yields done, {@code tasks * yields}. */
    long yieldMany(int tasks, int yields) throws Exception;

    /** Ping-pong: the messages received by both sides, {@code 2 * roundTrips}. */
    long pingPong(int roundTrips) throws Exception;

    /** Fan-out: the sum of {@link FanOutWork#chunk} over the tasks. */
    long fanOut(int tasks, int work) throws Exception;

    /**
     * Timer: {@code sleepers} tasks each sleep {@code sleepsEach} times for 1 to 5 ms and record
     * how late each woke into {@code lateness}; returns the sleeps done.
     */
    long sleepLateness(int sleepers, int sleepsEach, long seed, TimerLateness lateness) throws Exception;

    /** A hold of {@code tasks} tasks blocked as {@code how} says, not started yet. */
    HeldTasks hold(int tasks, Hold how);

    /**
     * What the implementation's pool is doing, in a line, for the report of a measurement that
     * did not end in time; empty if it has nothing to say.
     */
    default String state() {
        return "";
    }

    /**
     * Gives up on a measurement that did not end in time: cancels its root task and drops the
     * pool (a fresh one is created on next use). Tasks that ignore cancellation keep running.
     * Callable from any thread.
     */
    void abandon();

    /** Stops the pools this implementation started. */
    @Override
    void close();
}
