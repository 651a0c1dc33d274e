package dev.weft.bench.device.runner;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.function.Consumer;

/** Agrona {@code ManyToOneConcurrentArrayQueue} (impl {@code agrona}): a CAS on the tail per offer. */
public final class AgronaQueue implements PeerQueue {

    private final ManyToOneConcurrentArrayQueue<PeerTask> queue;

    public AgronaQueue(int capacity) {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
    }

    @Override
    public boolean offer(PeerTask task) {
        return queue.offer(task);
    }

    @Override
    public int drain(Consumer<PeerTask> sink, int limit) {
        return queue.drain(sink, limit);
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
