package dev.weft.bench.device.runner;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;

import java.util.function.Consumer;

/** JCTools {@code MpscArrayQueue} (impl {@code jctools}): a CAS on the producer index per offer. */
public final class JctoolsQueue implements PeerQueue {

    private final MpscArrayQueue<PeerTask> queue;
    /** Runner thread only: {@code sink} adapted to JCTools' consumer type, made once. */
    private Consumer<PeerTask> boundSink;
    private MessagePassingQueue.Consumer<PeerTask> adapted;

    public JctoolsQueue(int capacity) {
        this.queue = new MpscArrayQueue<>(capacity);
    }

    @Override
    public boolean offer(PeerTask task) {
        return queue.offer(task);
    }

    @Override
    public int drain(Consumer<PeerTask> sink, int limit) {
        if (sink != boundSink) {
            boundSink = sink;
            adapted = sink::accept;
        }
        return queue.drain(adapted, limit);
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
