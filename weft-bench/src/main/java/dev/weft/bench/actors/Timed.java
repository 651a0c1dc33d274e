package dev.weft.bench.actors;

/**
 * What one run of a timed workload returned and how long it took.
 *
 * @param value the workload's result, checked against {@link ActorCase#expected}
 * @param nanos wall time from the first spawn of the workload to its result
 */
public record Timed(long value, long nanos) {
}
