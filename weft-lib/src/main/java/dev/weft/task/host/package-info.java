/**
 * The seam between the task API ({@code dev.weft.task}) and the scheduler that implements it
 * ({@code dev.weft.sched}): {@link dev.weft.task.host.TaskHost}. Internal; names no weft type, so
 * that both packages can depend on it without depending on each other.
 */
package dev.weft.task.host;
