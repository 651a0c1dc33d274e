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
 * @param counted   whether the tasks count in {@code tally}; if not, they only pass it on to the
 *                  tasks they spawn (see {@link Scheduler#spawnCarrying})
 */
record TaskSpec(Scheduler scheduler, String name, TaskKind kind, TaskTally tally, boolean counted) {

    TaskSpec(Scheduler scheduler, String name, TaskKind kind) {
        this(scheduler, name, kind, null, false);
    }

    /** This spec in {@code t}'s family: counted in it, or only carrying it to the tasks it spawns. */
    TaskSpec withTally(TaskTally t, boolean counted) {
        return new TaskSpec(scheduler, name, kind, t, counted);
    }

    /** Counts a task of this spec as ended in its tally, if it counts in one. */
    void ended() {
        if (counted) {
            tally.ended();
        }
    }
}
