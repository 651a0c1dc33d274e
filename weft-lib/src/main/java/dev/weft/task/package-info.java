/**
 * Tasks: plain blocking-style Java on virtual threads that run on weft's workers.
 *
 * <p>A task may block in any way a virtual thread may (sleep, lock, wait on a queue, join
 * another task); every suspension frees its worker. {@link dev.weft.task.JoinHandle} waits for a
 * task's value and cancels it; {@link dev.weft.task.Task} is the running task and what it can do
 * to itself: {@link dev.weft.task.Task#yieldNow() yield}, {@link dev.weft.task.Task#check() check
 * its timeslice}, {@link dev.weft.task.Task#sleep sleep}, run something under a
 * {@link dev.weft.task.Task#timeout timeout}, {@link dev.weft.task.Task#spawn spawn}.
 *
 * <pre>{@code
 * JoinHandle<String> page = rt.task().name("fetch").spawn(() ->
 *         Task.timeout(Duration.ofSeconds(2), () -> fetch(url)));
 * try {
 *     render(page.join());
 * } catch (JoinException e) {
 *     log(e.isCancelled() ? "cancelled" : "failed: " + e.getCause());
 * }
 * }</pre>
 *
 * <p>Preemption is cooperative: a loop that neither suspends nor calls
 * {@link dev.weft.task.Task#check()} holds its worker.
 */
package dev.weft.task;
