/**
 * The sched suite ({@code weft bench sched}): weft's work-stealing scheduler ({@code weft})
 * against JDK virtual threads on their default scheduler ({@code jdk-vt}) and a ForkJoinPool
 * ({@code fjp}), the same workloads in one JVM, with the same parallelism (the available
 * processors) and the same heap.
 *
 * <p>Cases ({@link dev.weft.bench.sched.SchedCase}), each run from a root task that spawns
 * everything and returns a value the suite checks:
 * <ul>
 *   <li>{@code skynet}: 10^6 leaf tasks, fan-out 10; the sum of the leaves, 499999500000;</li>
 *   <li>{@code chained-spawn}: each task spawns the next, 10^6 in all;</li>
 *   <li>{@code spawn-storm}: 10^6 spawns, then join all;</li>
 *   <li>{@code yield-many}: 1,000 tasks x 1,000 yields;</li>
 *   <li>{@code ping-pong}: two tasks, 10^6 round trips through one {@link
 *       dev.weft.bench.sched.HandOff} (the same park/unpark hand-off for weft and jdk-vt);</li>
 *   <li>{@code fan-out}: 10,000 compute tasks, then join all;</li>
 *   <li>{@code timer}: a few tasks sleeping 1-5 ms, 2,000 sleeps; lateness p50, p99, max;</li>
 *   <li>{@code parked}, {@code timers-memory}: heap per task blocked on a latch, or asleep for
 *       an hour (task and timer together).</li>
 * </ul>
 * How each implementation shapes each workload is written on {@code WeftSched},
 * {@code VirtualThreadSched} and {@code ForkJoinSched}; {@link dev.weft.bench.sched.SchedSuite}
 * says how they are measured, {@link dev.weft.bench.sched.SchedTargets} which targets are checked.
 *
 * <pre>{@code
 * SuiteReport report = new SchedSuite().run(true, tableOut, progressOut);
 * }</pre>
 */
package dev.weft.bench.sched;
