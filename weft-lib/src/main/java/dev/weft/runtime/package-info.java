/**
 * The weft runtime: workers that run tasks, with work stealing, and a timer.
 *
 * <pre>{@code
 * import dev.weft.runtime.Config;
 * import dev.weft.runtime.Runtime;   // import it by name: java.lang.Runtime has the same simple name
 * import dev.weft.task.JoinHandle;
 * import dev.weft.task.Task;
 *
 * try (Runtime rt = Runtime.start(Config.builder().workers(4).build())) {
 *     JoinHandle<Long> total = rt.spawn(() -> {
 *         JoinHandle<Long> a = Task.spawn(() -> count("a"));
 *         JoinHandle<Long> b = Task.spawn(() -> count("b"));
 *         return a.join() + b.join();
 *     });
 *     System.out.println(total.join());
 * }
 * }</pre>
 *
 * {@link dev.weft.runtime.Runtime#stats()} reads every worker's counters without locks.
 */
package dev.weft.runtime;
