/**
 * The work-stealing scheduler (internal; the API is {@link dev.weft.runtime.Weft}).
 *
 * <ul>
 *   <li>{@link dev.weft.sched.Scheduler}: the workers, the spawn path, the virtual-thread
 *       executor the JDK calls, shutdown.</li>
 *   <li>{@link dev.weft.sched.Worker}: one worker's loop, stealing, and the sleep/wake
 *       protocol.</li>
 *   <li>{@code RunQueue}: a worker's bounded ring; {@code Injector}: the global queue.</li>
 *   <li>{@code Runner}: the pooled virtual threads that run task bodies.</li>
 *   <li>{@link dev.weft.sched.TaskCell}: one task's state, outcome and joiners.</li>
 *   <li>{@code VirtualThreadHook}: the one place that reaches into the JDK.</li>
 * </ul>
 */
package dev.weft.sched;
