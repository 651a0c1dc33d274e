package dev.weft.io;

import dev.weft.uring.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The region table's lifetime protocol, without a kernel: workers are a fake that answers on the
 * calling thread (or holds an answer back), so the tests reach every state of a slot.
 */
class RegionRegistryTest {

    /** Workers that acknowledge at once with {@link #tableResult}, and record every update. */
    private static class FakeWorkers implements RegionRegistry.Workers {
        final int count;
        volatile int tableResult = 0;
        final AtomicInteger tablesCreated = new AtomicInteger();
        final ConcurrentLinkedQueue<long[]> updates = new ConcurrentLinkedQueue<>();

        FakeWorkers(int count) {
            this.count = count;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public void createTable(int index, int slots, IntConsumer done) {
            tablesCreated.incrementAndGet();
            done.accept(tableResult);
        }

        @Override
        public void update(int index, int slot, long address, long length, IntConsumer done) {
            updates.add(new long[] {index, slot, address, length});
            done.accept(1);
        }

        long emptyings(int slot) {
            return updates.stream().filter(u -> u[1] == slot && u[3] == 0).count();
        }
    }

    @Test
    @Timeout(10)
    void theTableIsCreatedOnceAtTheFirstRegistration() throws Exception {
        FakeWorkers w = new FakeWorkers(3);
        RegionRegistry r = new RegionRegistry(4, w);
        assertEquals(0, w.tablesCreated.get(), "no table until a region is registered");
        try (Arena a = Arena.ofConfined()) {
            r.register(a.allocate(64));
            r.register(a.allocate(64));
        }
        assertEquals(3, w.tablesCreated.get(), "one table per worker, once");
    }

    @Test
    @Timeout(10)
    void aKernelWithoutATableFailsEveryRegistrationSayingWhy() throws Exception {
        FakeWorkers w = new FakeWorkers(2);
        w.tableResult = -Errno.EINVAL;
        RegionRegistry r = new RegionRegistry(4, w);
        try (Arena a = Arena.ofConfined()) {
            IllegalStateException first = assertThrows(IllegalStateException.class, () -> r.register(a.allocate(64)));
            assertTrue(first.getMessage().contains("Linux 5.13") && first.getMessage().contains("EINVAL")
                    && first.getMessage().contains("REGISTER_BUFFERS2"), first.getMessage());
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> r.register(a.allocate(64)));
            assertEquals(first.getMessage(), again.getMessage());
        }
        assertEquals(2, w.tablesCreated.get(), "a refused table is asked for once");
        assertTrue(w.updates.isEmpty(), "no slot was touched");
    }

    @Test
    @Timeout(10)
    void zeroSlotsTurnRegionsOff() throws Exception {
        FakeWorkers w = new FakeWorkers(1);
        RegionRegistry r = new RegionRegistry(0, w);
        try (Arena a = Arena.ofConfined()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.register(a.allocate(64)));
            assertTrue(e.getMessage().contains("Config.maxRegions is 0"), e.getMessage());
        }
        assertEquals(0, w.tablesCreated.get());
        assertThrows(IllegalArgumentException.class, () -> r.acquire(0, 1, 0, 1));
    }

    @Test
    @Timeout(10)
    void memoryFreedWhileRegisteredIsRejectedOnUse() throws Exception {
        RegionRegistry r = new RegionRegistry(2, new FakeWorkers(1));
        Arena a = Arena.ofShared();
        int[] id = r.register(a.allocate(64));
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.acquire(id[0], id[1], 0, 8));
        assertTrue(e.getMessage().contains("freed while registered"), e.getMessage());
        assertEquals(0, r.uses(id[0]), "a refused use is not counted");
        r.unregister(id[0], id[1]); // still possible: nothing uses it
        Arena closed = Arena.ofShared();
        MemorySegment gone = closed.allocate(64);
        closed.close();
        IllegalArgumentException reg = assertThrows(IllegalArgumentException.class, () -> r.register(gone));
        assertTrue(reg.getMessage().contains("arena is closed"), reg.getMessage());
    }

    @Test
    @Timeout(10)
    void aRangeOutsideTheRegionTakesNoUse() throws Exception {
        RegionRegistry r = new RegionRegistry(1, new FakeWorkers(1));
        try (Arena a = Arena.ofConfined()) {
            int[] id = r.register(a.allocate(100));
            assertThrows(IllegalArgumentException.class, () -> r.acquire(id[0], id[1], 90, 11));
            assertThrows(IllegalArgumentException.class, () -> r.acquire(id[0], id[1], Long.MAX_VALUE, 2));
            assertThrows(IllegalArgumentException.class, () -> r.acquire(id[0], id[1], -1, 1));
            assertEquals(0, r.uses(id[0]));
            assertNotNull(r.acquire(id[0], id[1], 90, 10));
            assertEquals(1, r.uses(id[0]));
            r.release(id[0]);
            r.unregister(id[0], id[1]);
        }
    }

    @Test
    @Timeout(20)
    void unregisterWaitsForTheUsesInFlight() throws Exception {
        FakeWorkers w = new FakeWorkers(2);
        RegionRegistry r = new RegionRegistry(2, w);
        try (Arena a = Arena.ofConfined()) {
            int[] id = r.register(a.allocate(64));
            MemorySegment held = r.acquire(id[0], id[1], 0, 64);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread unregistering = Thread.ofPlatform().start(() -> {
                try {
                    r.unregister(id[0], id[1]);
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            // Once unregistering began, no new use starts...
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                while (true) {
                    try {
                        r.acquire(id[0], id[1], 0, 1);
                        r.release(id[0]);
                        Thread.onSpinWait();
                    } catch (IllegalArgumentException stopped) {
                        return;
                    }
                }
            });
            // ...and the rings keep the memory while the use is in flight, however long it takes.
            unregistering.join(Duration.ofMillis(300));
            assertTrue(unregistering.isAlive(), "unregister returned while a use was in flight");
            assertEquals(0, w.emptyings(id[0]), "a ring emptied the slot while a use was in flight");
            assertEquals(64, held.byteSize()); // the use still reads its memory
            r.release(id[0]);
            unregistering.join();
            assertEquals(null, failed.get());
            assertEquals(2, w.emptyings(id[0]), "every ring emptied the slot after the last use");
        }
    }

    @Test
    @Timeout(20)
    void lookupsDoNotWaitForARegistrationInProgress() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        FakeWorkers w = new FakeWorkers(1) {
            @Override
            public void update(int index, int slot, long address, long length, IntConsumer done) {
                if (slot == 1) { // the second registration's worker answers late (a busy or dying worker)
                    asked.countDown();
                    Thread.ofPlatform().start(() -> {
                        try {
                            answer.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        done.accept(1);
                    });
                } else {
                    done.accept(1);
                }
            }
        };
        RegionRegistry r = new RegionRegistry(2, w);
        try (Arena a = Arena.ofShared()) {
            int[] first = r.register(a.allocate(64));
            Thread second = Thread.ofPlatform().start(() -> {
                try {
                    r.register(a.allocate(64));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            asked.await();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                MemorySegment m = r.acquire(first[0], first[1], 0, 64);
                r.release(first[0]);
                return m;
            }, "a lookup waited for another slot's registration");
            answer.countDown();
            second.join();
            r.unregister(first[0], first[1]);
        }
    }

    /**
     * Users acquire the current region, read all of it, release; an unregisterer swaps regions
     * and closes each old region's arena as soon as unregister returns. A use that outlived its
     * unregister reads a closed segment and fails.
     */
    @Test
    @Timeout(60)
    void noUseOutlivesItsUnregister() throws Exception {
        RegionRegistry r = new RegionRegistry(2, new FakeWorkers(2));
        int users = 2;
        int rounds = 100;
        AtomicReference<int[]> current = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong uses = new AtomicLong();
        Arena firstArena = Arena.ofShared();
        current.set(r.register(filled(firstArena.allocate(256), 1)));
        Thread[] threads = new Thread[users];
        for (int t = 0; t < users; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                while (current.get() != null && failure.get() == null) {
                    int[] id = current.get();
                    if (id == null) {
                        break;
                    }
                    MemorySegment m;
                    try {
                        m = r.acquire(id[0], id[1], 0, 256);
                    } catch (IllegalArgumentException unregisteredMeanwhile) {
                        continue; // swapped meanwhile: take the next one
                    }
                    try {
                        long seed = m.get(JAVA_LONG, 0);
                        for (long off = 8; off < 256; off += 8) {
                            if (m.get(JAVA_LONG, off) != seed) {
                                throw new AssertionError("region changed under a use at " + off);
                            }
                        }
                        uses.incrementAndGet();
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        r.release(id[0]);
                    }
                }
            });
        }
        Arena arena = firstArena;
        for (int round = 2; round <= rounds && failure.get() == null; round++) {
            Arena next = Arena.ofShared();
            int[] fresh = r.register(filled(next.allocate(256), round));
            int[] old = current.getAndSet(fresh);
            r.unregister(old[0], old[1]);
            arena.close(); // the memory is freed the moment unregister returns
            arena = next;
        }
        int[] last = current.getAndSet(null);
        for (Thread t : threads) {
            t.join();
        }
        r.unregister(last[0], last[1]);
        arena.close();
        if (failure.get() != null) {
            throw new AssertionError("a use saw its region freed or changed (" + uses.get() + " uses)", failure.get());
        }
        assertTrue(uses.get() > 0, "the users ran");
        assertEquals(0, r.uses(0) + r.uses(1));
    }

    private static MemorySegment filled(MemorySegment m, long seed) {
        for (long off = 0; off < m.byteSize(); off += 8) {
            m.set(JAVA_LONG, off, seed);
        }
        return m;
    }

    @Test
    @Timeout(10)
    void idsAreNotReusedAcrossGenerations() throws Exception {
        RegionRegistry r = new RegionRegistry(1, new FakeWorkers(1));
        try (Arena a = Arena.ofConfined()) {
            int[] old = r.register(a.allocate(8));
            r.unregister(old[0], old[1]);
            int[] fresh = r.register(a.allocate(8));
            assertEquals(old[0], fresh[0]);
            assertFalse(old[1] == fresh[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.acquire(old[0], old[1], 0, 1));
            assertTrue(e.getMessage().contains("not registered"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> r.unregister(old[0], old[1]));
            r.acquire(fresh[0], fresh[1], 0, 8);
            r.release(fresh[0]);
        }
    }
}
