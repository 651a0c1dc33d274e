package dev.weft.sched;

import dev.weft.task.TaskKind;

/**
 * What tasks spawned alike share: their scheduler, name and kind. One instance serves every task
 * spawned with the same settings (the scheduler's default, or a builder's), so a task cell holds
 * one reference instead of three.
 *
 * @param scheduler the scheduler that runs the tasks
 * @param name      the tasks' name; empty if none
 * @param kind      how the tasks use threads
 */
record TaskSpec(Scheduler scheduler, String name, TaskKind kind) {
}
