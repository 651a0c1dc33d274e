package dev.weft.sched;

import dev.weft.task.TaskKind;

/**
 * What tasks spawned alike share: their scheduler, name, kind and the {@link TaskTally} that
 * counts them, if any. One instance serves every task
 * spawned with the same settings (the scheduler's default, or a builder's), so a task cell holds
 * one reference instead of three.
 *
 * @param scheduler the scheduler that runs the tasks
 * @param name      the tasks' name; empty if none
 * @param kind      how the tasks use threads
 * @param tally     the family count the tasks belong to, or null
 */
record TaskSpec(Scheduler scheduler, String name, TaskKind kind, TaskTally tally) {

    TaskSpec(Scheduler scheduler, String name, TaskKind kind) {
        this(scheduler, name, kind, null);
    }

    TaskSpec withTally(TaskTally t) {
        return new TaskSpec(scheduler, name, kind, t);
    }

    /** Counts a task of this spec as ended: with the scheduler, then its tally. */
    void ended() {
        if (tally != null) {
            tally.ended();
        }
    }
}
