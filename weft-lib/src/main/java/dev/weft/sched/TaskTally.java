package dev.weft.sched;

import dev.weft.task.TaskKind;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the tasks of one family: a first task spawned with {@link Scheduler#spawnTallied} and
 * every task spawned, transitively, by a task of the family (with {@code Task.spawn}, the
 * runtime's {@code spawn} or a task builder, called from inside one), except the tasks spawned with
 * {@link Scheduler#spawnCarrying}, which only pass the family on (an actor's tasks: actors are
 * counted on their own, and one shared count per task would cost every spawn). A task counts from its
 * spawn until it has ended and its joiners have been woken, so a thread that sees {@link #live()}
 * at zero sees every task of the family done.
 *
 * <p>When the count drops to zero, {@code onZero} runs on the thread that ended the last task.
 * The count is one atomic counter: an increment before the spawned task is queued (by its
 * spawner, itself counted and running, so the count cannot pass through zero while a family
 * member can still spawn) and a decrement after it ended. {@code onZero} may therefore run more
 * than once if a new first task is spawned later; a waiter re-reads {@link #live()} after each
 * wake-up.
 */
public final class TaskTally {

    private final AtomicLong live = new AtomicLong();
    private final Runnable onZero;
    /** The scheduler's default spec counted in this tally: what most family spawns use. */
    private volatile TaskSpec pooled;
    /** The scheduler's default spec carrying this tally without counting in it. */
    private volatile TaskSpec carrying;

    /** A tally that runs {@code onZero} each time its count drops to zero. */
    public TaskTally(Runnable onZero) {
        this.onZero = java.util.Objects.requireNonNull(onZero, "onZero");
    }

    /** Tasks of the family spawned and not yet ended. */
    public long live() {
        return live.get();
    }

    void spawned() {
        live.incrementAndGet();
    }

    void ended() {
        if (live.decrementAndGet() == 0) {
            onZero.run();
        }
    }

    /**
     * {@code spec} with this tally, counted in it or only carrying it, reusing one instance each
     * for the scheduler's default spec.
     */
    TaskSpec spec(TaskSpec spec, boolean counted) {
        if (spec.tally() == this && spec.counted() == counted) {
            return spec;
        }
        if (spec.kind() == TaskKind.POOLED && spec.name().isEmpty()) {
            TaskSpec p = counted ? pooled : carrying;
            if (p == null || p.scheduler() != spec.scheduler()) {
                p = spec.withTally(this, counted);
                if (counted) {
                    pooled = p;
                } else {
                    carrying = p;
                }
            }
            return p;
        }
        return spec.withTally(this, counted);
    }

    @Override
    public String toString() {
        return "task tally (" + live.get() + " live)";
    }
}
