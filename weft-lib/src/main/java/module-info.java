/**
 * The weft runtime. Depends on nothing beyond the JDK.
 *
 * <ul>
 *   <li>{@link dev.weft.actor}: Erlang-style actors (process and handler actors, pids, links,
 *       monitors, supervisors) on the scheduler.</li>
 *   <li>{@link dev.weft.device}: device service runners, one thread per (device, stage) fed by a
 *       lock-free batching channel.</li>
 *   <li>{@link dev.weft.idle}: {@link dev.weft.idle.Backoff}, the one way every weft loop waits.</li>
 *   <li>{@link dev.weft.runtime}: {@link dev.weft.runtime.Weft}, the work-stealing scheduler's
 *       entry point, its {@link dev.weft.runtime.Config} and stats.</li>
 *   <li>{@link dev.weft.task}: tasks (virtual threads on weft's workers), join handles, yielding,
 *       sleeping, timeouts.</li>
 *   <li>{@link dev.weft.net}: TCP listeners and streams on the runtime's I/O driver (io_uring, or
 *       NIO where io_uring cannot work).</li>
 *   <li>{@link dev.weft.ioqueue}: the I/O request queue: request slots in shared memory that any
 *       process fills and an io_uring loop serves.</li>
 *   <li>{@link dev.weft.http}: an HTTP/1.1 server: strict parser, routes, keep-alive and
 *       pipelining, each connection a task.</li>
 *   <li>{@link dev.weft.fs}: files on the same drivers: positional reads and writes that park the
 *       task, direct I/O, registered regions, file-to-socket transfers.</li>
 * </ul>
 * Internal: {@code dev.weft.uring} (the FFM binding to io_uring), {@code dev.weft.io} (the
 * per-worker drivers), {@code dev.weft.sched} (workers, run queues, the injector, the virtual-thread hook),
 * {@code dev.weft.time} (the timer) and {@code dev.weft.task.host} (the seam through which
 * {@code Task}'s static methods reach the scheduler).
 */
module dev.weft {
    requires jdk.jfr; // the actors' flight-recorder events (dev.weft.actor.ActorEvents)
    requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT, for direct I/O on the NIO backend

    exports dev.weft.actor;
    exports dev.weft.device;
    exports dev.weft.fs;
    exports dev.weft.http;
    exports dev.weft.idle;
    exports dev.weft.ioqueue;
    exports dev.weft.net;
    exports dev.weft.runtime;
    exports dev.weft.task;

    // Task's static methods reach the scheduler through this seam (see dev.weft.task.host.TaskHost).
    uses dev.weft.task.host.TaskHost;
    provides dev.weft.task.host.TaskHost with dev.weft.sched.SchedulerTaskHost;
}
