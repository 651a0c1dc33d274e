package dev.weft.bench.device.runner;

import java.util.function.Consumer;

/**
 * The one part of a {@link PeerRunner} that differs between peers: a bounded multi-producer,
 * single-consumer queue of {@link PeerRunner#CAPACITY} tasks.
 *
 * <p>Memory-ordering contract the runner's wake-up protocol relies on: a successful
 * {@link #offer} makes {@link #isEmpty} false with a sequentially consistent write (an atomic
 * claim, a lock, or a volatile store), and {@link #isEmpty} reads it with a volatile read (or under
 * that lock).
 */
public interface PeerQueue {

    /** Adds a task if there is room. Any thread. @return false when the queue is full */
    boolean offer(PeerTask task);

    /**
     * Passes up to {@code limit} tasks to {@code sink}, in queue order, and removes them. Runner
     * thread only; always the same {@code sink}. May return 0 while {@link #isEmpty} is false (a
     * producer has claimed a slot and not yet stored its task).
     *
     * @return the number of tasks passed
     */
    int drain(Consumer<PeerTask> sink, int limit);

    /** Whether no task is claimed or queued. Runner thread only. */
    boolean isEmpty();
}
