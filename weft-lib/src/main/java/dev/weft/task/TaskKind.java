package dev.weft.task;

/**
 * How a task uses threads. Both kinds are virtual threads on weft's workers; they differ in
 * whether the thread is the task's own from the start.
 */
public enum TaskKind {

    /**
     * The default. The task's body runs on a virtual thread that its worker reuses for task after
     * task, as long as none of them parks; a task that parks keeps that thread for itself until it
     * ends, and the worker takes another. A task that never blocks therefore costs no thread of
     * its own. What the task sees: {@code Thread.currentThread()} is a pooled thread, so a
     * {@link ThreadLocal} set by one task may be seen by a later one on the same thread (clean up,
     * or use {@link ScopedValue}); the interrupt status is cleared between tasks.
     */
    POOLED,

    /**
     * The task gets a fresh virtual thread of its own, like {@code Thread.ofVirtual().start(...)}
     * on weft's workers: thread identity and thread-locals belong to this task alone. Costs one
     * virtual thread per task.
     */
    DEDICATED
}
