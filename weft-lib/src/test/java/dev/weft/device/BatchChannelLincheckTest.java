package dev.weft.device;

import dev.weft.idle.Backoff;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * Lincheck checks that every concurrent run of the channel equals some sequential run of
 * {@link Spec}: no item lost or duplicated, claim order kept (so per-producer order), a flush
 * makes exactly its own epoch eligible, close rejects every later send and the next receive
 * delivers everything accepted before it.
 * Producers use the non-blocking {@code offer} so that a full buffer shows up as a result
 * instead of a wait that the sequential model cannot express; {@code send}'s waiting path is
 * covered by {@link BatchChannelStressTest}.
 */
@Param(name = "item", gen = IntGen.class, conf = "1:9")
public class BatchChannelLincheckTest {

    static final int CAPACITY = 2;

    private final BatchChannel<Integer> channel =
            new BatchChannel<>(CAPACITY, new Backoff(4, 4, 1_000, 1_000_000));

    @Operation
    public boolean offer(@Param(name = "item") int item) {
        return channel.offer(item, false);
    }

    @Operation
    public void flush() {
        channel.flush();
    }

    @Operation
    public boolean offerAndFlush(@Param(name = "item") int item) {
        return channel.offer(item, true);
    }

    @Operation
    public void close() {
        channel.close();
    }

    @Operation(nonParallelGroup = "consumer")
    public List<Integer> receive() {
        List<Integer> got = new ArrayList<>();
        channel.receive(got::add);
        return got;
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(60)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(getClass());
    }

    @Test
    void stress() {
        // Model checking is the main gate; stress runs the real memory model on real threads but
        // is kept small: on 2 vCPUs Lincheck's stress mode sometimes stalls at thread start.
        new StressOptions()
                .iterations(30)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .sequentialSpecification(Spec.class)
                .check(getClass());
    }

    /** The channel, one operation at a time. */
    public static class Spec {
        private List<Integer> open = new ArrayList<>();
        private boolean flushed;
        private boolean closed;
        private boolean drained;

        public boolean offer(int item) {
            if (closed || open.size() >= CAPACITY) {
                return false;
            }
            open.add(item);
            return true;
        }

        public void flush() {
            if (!closed && !open.isEmpty()) {
                flushed = true;
            }
        }

        public boolean offerAndFlush(int item) {
            if (!offer(item)) {
                return false;
            }
            flushed = true;
            return true;
        }

        public void close() {
            closed = true;
        }

        public List<Integer> receive() {
            if (drained) {
                return List.of();
            }
            if (closed || flushed || open.size() >= CAPACITY) {
                List<Integer> batch = open;
                open = new ArrayList<>();
                flushed = false;
                drained = closed;
                return batch;
            }
            return List.of();
        }
    }
}
