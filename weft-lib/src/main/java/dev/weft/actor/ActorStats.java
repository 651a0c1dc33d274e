package dev.weft.actor;

import java.util.List;

/**
 * A snapshot of a runtime's actors, from {@link Actor#stats()} or {@code Weft.actorStats()}. Each
 * figure is read without stopping anything, so figures taken together may be a moment apart. It
 * walks the table of live actors (and the mailboxes of unbounded ones, for the largest): take it
 * for monitoring, not per message.
 *
 * @param live             actors alive now (spawned and not yet ended)
 * @param parkedOnIo       actors waiting for I/O: parked in a socket or file operation, or in
 *                         {@code Task.blocking} (a call that would pin a carrier, run on the
 *                         blocking pool meanwhile)
 * @param sleeping         actors in {@link Actor#sleep}
 * @param restarts         children restarted by supervisors since the runtime started
 * @param largestMailbox   the most messages waiting for one live actor (queued and set aside)
 * @param largestMailboxPid that actor, or null if no actor is alive
 * @param workers          per worker: the actor on its CPU and its run queue's length
 */
public record ActorStats(long live, long parkedOnIo, long sleeping, long restarts, int largestMailbox,
                         Pid largestMailboxPid, List<Worker> workers) {

    public ActorStats {
        workers = List.copyOf(workers);
    }

    /**
     * One worker of the runtime.
     *
     * @param index          the worker's index
     * @param onCpu          the actor whose code the worker runs now, or null (idle, or a plain task)
     * @param runQueueLength tasks in the worker's run queue (actors' runs among them)
     */
    public record Worker(int index, Pid onCpu, int runQueueLength) {
    }
}
