/**
 * The weft runtime: workers that run tasks, with work stealing, and a timer.
 *
 * <pre>{@code
 * import dev.weft.runtime.Config;
 * import dev.weft.runtime.Weft;
 * import dev.weft.task.JoinHandle;
 * import dev.weft.task.Task;
 *
 * try (Weft rt = Weft.start(Config.builder().workers(4).build())) {
 *     JoinHandle<Long> total = rt.spawn(() -> {
 *         JoinHandle<Long> a = Task.spawn(() -> count("a"));
 *         JoinHandle<Long> b = Task.spawn(() -> count("b"));
 *         return a.join() + b.join();
 *     });
 *     System.out.println(total.join());
 * }
 * }</pre>
 *
 * {@link dev.weft.runtime.Weft#stats()} reads every worker's counters without locks.
 */
package dev.weft.runtime;
