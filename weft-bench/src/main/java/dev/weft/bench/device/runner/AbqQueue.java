package dev.weft.bench.device.runner;

import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;

/**
 * {@code java.util.concurrent.ArrayBlockingQueue} (impl {@code abq}): one lock around an array.
 * Drains a batch with one {@code drainTo} (one lock acquisition), not a {@code poll} per task.
 * The runner never uses its blocking {@code take}/{@code put}: it waits like every other runner.
 */
public final class AbqQueue implements PeerQueue {

    private final ArrayBlockingQueue<PeerTask> queue;
    /** Runner thread only: the batch taken by the last drain. */
    private final ArrayList<PeerTask> batch;

    public AbqQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batch = new ArrayList<>(capacity);
    }

    @Override
    public boolean offer(PeerTask task) {
        return queue.offer(task);
    }

    @Override
    public int drain(Consumer<PeerTask> sink, int limit) {
        int n = queue.drainTo(batch, limit);
        for (int i = 0; i < n; i++) {
            sink.accept(batch.get(i));
        }
        batch.clear();
        return n;
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
