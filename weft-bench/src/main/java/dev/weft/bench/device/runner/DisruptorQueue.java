package dev.weft.bench.device.runner;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;

import java.util.function.Consumer;

/**
 * The LMAX Disruptor 4 (impl {@code disruptor}): a multi-producer {@link RingBuffer} read through
 * an {@link EventPoller}, so that the runner loop is the bench's, not a Disruptor event processor.
 *
 * <p>Slots are preallocated holders of a task reference; producers claim with {@code tryNext}
 * (a CAS on the cursor; a full ring answers with the Disruptor's preallocated, stack-less
 * exception), store the reference and {@code publish}. The wait strategy is never waited on (the
 * poller does not use it); a busy-spin one is chosen because its publish-time signal is a no-op,
 * where the default blocking strategy would take a lock on every publish.
 */
public final class DisruptorQueue implements PeerQueue {

    private final RingBuffer<Slot> ring;
    private final EventPoller<Slot> poller;
    private final Sequence consumed;
    private final BatchHandler handler = new BatchHandler();

    public DisruptorQueue(int capacity) {
        this.ring = RingBuffer.createMultiProducer(Slot::new, capacity, new BusySpinWaitStrategy());
        this.poller = ring.newPoller();
        this.consumed = poller.getSequence();
        ring.addGatingSequences(consumed);
    }

    @Override
    public boolean offer(PeerTask task) {
        long sequence;
        try {
            sequence = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return false;
        }
        ring.get(sequence).task = task;
        ring.publish(sequence);
        return true;
    }

    @Override
    public int drain(Consumer<PeerTask> sink, int limit) {
        handler.sink = sink;
        handler.limit = limit;
        handler.taken = 0;
        try {
            poller.poll(handler);
        } catch (Exception e) {
            throw new IllegalStateException("the Disruptor poller threw", e); // sinks never throw
        }
        return handler.taken;
    }

    @Override
    public boolean isEmpty() {
        return ring.getCursor() == consumed.get(); // the cursor counts claims, published or not
    }

    /** A preallocated ring entry. */
    static final class Slot {
        PeerTask task;
    }

    /** Takes up to {@code limit} events of one poll. Runner thread only. */
    private static final class BatchHandler implements EventPoller.Handler<Slot> {
        Consumer<PeerTask> sink;
        int limit;
        int taken;

        @Override
        public boolean onEvent(Slot slot, long sequence, boolean endOfBatch) {
            PeerTask task = slot.task;
            slot.task = null; // published to producers by the poller's release of the sequence
            sink.accept(task);
            return ++taken < limit;
        }
    }
}
