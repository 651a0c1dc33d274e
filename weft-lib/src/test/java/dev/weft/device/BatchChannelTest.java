package dev.weft.device;

import dev.weft.idle.Backoff;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Single-threaded specification of the channel; concurrency is in the stress and Lincheck tests. */
class BatchChannelTest {

    private static final Backoff QUICK = new Backoff(10, 1, 1_000, 1_000_000);

    @Test
    void aPartialBatchIsNotEligibleUntilFlushed() {
        BatchChannel<Integer> ch = new BatchChannel<>(4, QUICK);
        List<Integer> got = new ArrayList<>();
        ch.send(1);
        ch.send(2);
        assertFalse(ch.hasEligible());
        assertEquals(0, ch.receive(got::add));
        ch.flush();
        assertTrue(ch.hasEligible());
        assertEquals(2, ch.receive(got::add));
        assertEquals(List.of(1, 2), got);
        assertFalse(ch.hasEligible());
    }

    @Test
    void aFullBatchIsEligibleWithoutFlush() {
        BatchChannel<Integer> ch = new BatchChannel<>(3, QUICK);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ch.send(i);
        }
        assertEquals(3, ch.receive(got::add));
        assertEquals(List.of(0, 1, 2), got);
    }

    @Test
    void batchesAlternateBetweenTheTwoBuffersInOrder() {
        BatchChannel<Integer> ch = new BatchChannel<>(2, QUICK);
        List<Integer> got = new ArrayList<>();
        ch.send(0);
        ch.send(1);                          // buffer A full
        assertEquals(2, ch.receive(got::add)); // swapped out and run; B is open
        ch.send(2);
        ch.send(3);                          // buffer B full
        assertEquals(2, ch.receive(got::add));
        assertEquals(List.of(0, 1, 2, 3), got);
    }

    @Test
    void flushWithNothingPendingDoesNotMakeTheNextSendEligible() {
        BatchChannel<Integer> ch = new BatchChannel<>(4, QUICK);
        ch.flush();
        assertEquals(0, ch.receive(x -> { }));
        ch.send(1);
        assertFalse(ch.hasEligible());
    }

    @Test
    void closeDeliversWhatWasAcceptedAndRejectsLaterSends() {
        BatchChannel<Integer> ch = new BatchChannel<>(4, QUICK);
        List<Integer> got = new ArrayList<>();
        assertTrue(ch.send(1));
        ch.close();
        assertTrue(ch.isClosed());
        assertFalse(ch.send(2));     // rejected from the close on
        assertTrue(ch.hasEligible()); // the final batch, though neither full nor flushed
        assertEquals(1, ch.receive(got::add));
        assertTrue(ch.isDrained());
        assertFalse(ch.hasEligible());
        assertEquals(0, ch.receive(got::add));
        assertEquals(List.of(1), got);
    }

    @Test
    void aThrowingSinkStillReceivesTheWholeBatch() {
        BatchChannel<Integer> ch = new BatchChannel<>(4, QUICK);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ch.send(i);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ch.receive(i -> {
            got.add(i);
            if (i % 2 == 0) {
                throw new IllegalStateException("item " + i);
            }
        }));
        assertEquals("item 0", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals(List.of(0, 1, 2, 3), got);
    }

    @Test
    void nullItemsAndBadCapacitiesAreRejected() {
        BatchChannel<Integer> ch = new BatchChannel<>(4, QUICK);
        assertThrows(NullPointerException.class, () -> ch.send(null));
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchChannel<>(0, QUICK));
        assertTrue(e.getMessage().contains("was 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new BatchChannel<>(BatchChannel.MAX_CAPACITY + 1, QUICK));
    }

    @Test
    void aSenderFacingTwoFullBuffersWaitsUntilTheConsumerSwaps() throws Exception {
        BatchChannel<Integer> ch = new BatchChannel<>(1, new Backoff(1, 1, 1_000, 5_000_000));
        assertTrue(ch.send(0)); // buffer A full; the consumer has not swapped
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean sent = new AtomicBoolean();
        Thread producer = Thread.ofPlatform().start(() -> {
            started.countDown();
            sent.set(ch.send(1)); // must wait: A is full and open
        });
        started.await();
        List<Integer> got = new ArrayList<>();
        // The producer is blocked or not yet at the claim; either way it completes after a swap.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < 2 && System.nanoTime() < deadline) {
            ch.receive(got::add);
        }
        producer.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(producer.isAlive(), "producer still blocked after the consumer swapped");
        assertTrue(sent.get());
        assertEquals(List.of(0, 1), got);
    }

    @Test
    void closeReleasesASenderFacingTwoFullBuffersWithARejection() throws Exception {
        BatchChannel<Integer> ch = new BatchChannel<>(1, new Backoff(1, 1, 1_000, 5_000_000));
        ch.send(0);                    // A full
        assertEquals(1, ch.receive(x -> { })); // B open
        ch.send(1);                    // B full, not swapped
        AtomicBoolean result = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(1);
        Thread producer = Thread.ofPlatform().start(() -> {
            result.set(ch.send(2)); // waits on two full buffers (A is drained, but epoch is B)
            done.countDown();
        });
        ch.close(); // releases the parked sender by itself, before any receive
        assertTrue(done.await(10, TimeUnit.SECONDS), "sender still blocked after close");
        producer.join();
        List<Integer> got = new ArrayList<>();
        ch.receive(got::add);
        assertTrue(ch.isDrained());
        // No swap reopened a buffer before the close, so the waiting send is rejected.
        assertFalse(result.get());
        assertEquals(List.of(1), got);
    }
}
