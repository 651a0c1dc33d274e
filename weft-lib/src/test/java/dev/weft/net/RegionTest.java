package dev.weft.net;

import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.RegionId;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Locale;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static dev.weft.net.NetTesting.join;
import static dev.weft.net.NetTesting.pattern;
import static dev.weft.net.NetTesting.run;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registered regions (io_uring fixed buffers): registration, I/O through them, and every misuse. */
class RegionTest {

    private Weft rt;
    private final Arena arena = Arena.ofShared();

    @AfterEach
    void stop() throws InterruptedException {
        try {
            NetTesting.stop(rt);
        } finally {
            arena.close(); // after the runtime: the rings no longer point at the memory
        }
    }

    /**
     * A runtime with regions. On a kernel without a sparse fixed-buffer table (before Linux 5.19,
     * or simulated so), checks that registering says so, and skips the rest of the test.
     */
    private static Weft uring(int maxRegions) throws InterruptedException {
        Weft rt = Weft.start(Config.builder().workers(2).io(IoMode.URING).maxRegions(maxRegions).build());
        if (rt.ioInfo().uses().stream().anyMatch(l -> l.startsWith("sparse fixed-buffer table: no"))) {
            try (Arena a = Arena.ofConfined()) {
                UnsupportedOperationException e = org.junit.jupiter.api.Assertions.assertThrows(
                        UnsupportedOperationException.class, () -> rt.registerRegion(a.allocate(4096)));
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("Linux 5.19"), e.getMessage());
            } finally {
                NetTesting.stop(rt);
            }
            org.junit.jupiter.api.Assumptions.abort("kernel " + rt.ioInfo().kernel() + " has no registered regions");
        }
        return rt;
    }

    private MemorySegment filled(int size, int seed) {
        MemorySegment m = arena.allocate(size, 64);
        byte[] p = pattern(size, seed);
        MemorySegment.copy(p, 0, m, JAVA_BYTE, 0, size);
        return m;
    }

    /** A connected pair made in one task: client and accepted server stream. */
    private interface PairBody {
        void run(TcpStream client, TcpStream server) throws Exception;
    }

    private void withPair(PairBody body) throws Exception {
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT); TcpStream s = join(accepted)) {
                    body.run(c, s);
                }
            }
        });
    }

    @Test
    @Timeout(30)
    void writeSendsExactlyTheRegionsBytes() throws Exception {
        rt = uring(8);
        MemorySegment mem = filled(64 * 1024, 1);
        RegionId id = rt.registerRegion(mem);
        assertTrue(id.slot() >= 0, id.toString());
        assertNotEquals(0, id.generation(), "a real region's generation is never 0");
        withPair((c, s) -> {
            int off = 1000;
            int len = 20_000;
            int sent = 0;
            while (sent < len) {
                int n = c.write(id, off + sent, len - sent);
                assertTrue(n > 0, "wrote " + n);
                sent += n;
            }
            ByteBuffer in = ByteBuffer.allocate(len);
            s.readFully(in);
            assertArrayEquals(mem.asSlice(off, len).toArray(JAVA_BYTE), in.array());
            // the last byte and a one-byte write
            assertEquals(1, c.write(id, mem.byteSize() - 1, 1));
            ByteBuffer one = ByteBuffer.allocate(1);
            s.readFully(one);
            assertEquals(mem.get(JAVA_BYTE, mem.byteSize() - 1), one.get(0));
        });
        rt.unregisterRegion(id);
    }

    @Test
    @Timeout(30)
    void readReceivesIntoTheRegion() throws Exception {
        rt = uring(8);
        MemorySegment mem = arena.allocate(8192, 64);
        mem.fill((byte) 0x5A);
        RegionId id = rt.registerRegion(mem);
        byte[] msg = pattern(3000, 2);
        int off = 500;
        withPair((c, s) -> {
            s.writeAll(ByteBuffer.wrap(msg));
            int got = 0;
            while (got < msg.length) {
                int n = c.read(id, off + got, msg.length - got);
                assertTrue(n > 0, "read " + n);
                got += n;
            }
            assertEquals(0, c.read(id, 0, 0), "a zero-length read reads nothing");
            s.shutdownOutput();
            assertEquals(-1, c.read(id, 0, 16), "end of stream");
        });
        assertArrayEquals(msg, mem.asSlice(off, msg.length).toArray(JAVA_BYTE));
        for (long i = 0; i < mem.byteSize(); i++) {
            if (i < off || i >= off + msg.length) {
                assertEquals((byte) 0x5A, mem.get(JAVA_BYTE, i), "byte " + i + " outside the range is untouched");
            }
        }
        rt.unregisterRegion(id);
    }

    /**
     * Writers send from a region while the peer reads slowly, so sends wait in the kernel; the
     * region is unregistered mid-stream and overwritten the moment unregister returns. Every byte
     * that arrives must be the region's old content: a send still in flight when unregister
     * returned would carry the overwritten bytes.
     */
    @Test
    @Timeout(60)
    void unregisterWaitsForTheWritesInFlight() throws Exception {
        rt = uring(8);
        int size = 256 * 1024;
        MemorySegment mem = arena.allocate(size, 64);
        mem.fill((byte) 0x11);
        RegionId id = rt.registerRegion(mem);
        int writers = 4;
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, writers)) {
                java.util.List<JoinHandle<Long>> readers = new java.util.ArrayList<>();
                java.util.List<JoinHandle<Long>> sent = new java.util.ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
                    TcpStream c = TcpStream.connect(l.localAddress(), CONNECT);
                    TcpStream s = join(accepted);
                    sent.add(Task.spawn(() -> {
                        long n = 0;
                        try (c) {
                            while (true) {
                                try {
                                    n += c.write(id, 0, size);
                                } catch (IllegalArgumentException unregistered) {
                                    return n; // the region is gone: stop
                                }
                            }
                        }
                    }));
                    readers.add(Task.spawn(() -> {
                        long bad = 0;
                        ByteBuffer b = ByteBuffer.allocate(4096);
                        try (s) {
                            while (true) {
                                b.clear();
                                int n = s.read(b);
                                if (n < 0) {
                                    return bad;
                                }
                                for (int k = 0; k < n; k++) {
                                    if (b.get(k) != 0x11) {
                                        bad++;
                                    }
                                }
                                received.addAndGet(n);
                            }
                        }
                    }));
                }
                while (received.get() < 8L * size) {
                    Thread.sleep(1);
                }
                rt.unregisterRegion(id);
                mem.fill((byte) 0x22); // as if freed and reused: no send may read it any more
                long total = 0;
                for (JoinHandle<Long> h : sent) {
                    total += join(h);
                }
                long bad = 0;
                for (JoinHandle<Long> h : readers) {
                    bad += join(h);
                }
                assertTrue(total >= 8L * size, "sent " + total);
                assertEquals(0, bad, bad + " bytes sent after unregister returned (a send read the memory late)");
                assertEquals(total, received.get(), "every byte sent arrived");
            }
        });
    }

    @Test
    @Timeout(30)
    void rangesOutsideTheRegionAreRejected() throws Exception {
        rt = uring(8);
        RegionId id = rt.registerRegion(filled(1024, 3));
        withPair((c, s) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.write(id, 1000, 100));
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.write(id, -1, 10));
            assertThrows(IllegalArgumentException.class, () -> c.read(id, 1020, 10));
            assertThrows(IllegalArgumentException.class, () -> c.write(id, 0, -1));
            // the stream is fine afterwards
            assertEquals(4, c.write(id, 0, 4));
            ByteBuffer b = ByteBuffer.allocate(4);
            s.readFully(b);
        });
    }

    @Test
    @Timeout(30)
    void anUnregisteredIdIsRejected() throws Exception {
        rt = uring(8);
        RegionId id = rt.registerRegion(filled(4096, 4));
        rt.unregisterRegion(id);
        withPair((c, s) -> {
            IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> c.write(id, 0, 10));
            assertTrue(w.getMessage().contains("not registered"), w.getMessage());
            IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> c.read(id, 0, 10));
            assertTrue(r.getMessage().contains("not registered"), r.getMessage());
            IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                    () -> c.write(RegionId.NONE, 0, 10));
            assertTrue(n.getMessage().contains("not registered"), n.getMessage());
        });
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> rt.unregisterRegion(id));
        assertTrue(twice.getMessage().contains("not registered"), twice.getMessage());
    }

    @Test
    @Timeout(30)
    void unregisteringTheSentinelFails() throws Exception {
        rt = uring(8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rt.unregisterRegion(RegionId.NONE));
        assertTrue(e.getMessage().contains("RegionId.NONE"), e.getMessage());
        assertTrue(e.getMessage().contains("sentinel"), e.getMessage());
        // ids that were never handed out fail the same way
        assertThrows(IllegalArgumentException.class, () -> rt.unregisterRegion(new RegionId(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> rt.unregisterRegion(new RegionId(9999, 1)));
    }

    @Test
    @Timeout(30)
    void aFullTableSaysSo() throws Exception {
        rt = uring(2);
        RegionId a = rt.registerRegion(filled(128, 5));
        RegionId b = rt.registerRegion(filled(128, 6));
        assertNotEquals(a.slot(), b.slot());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> rt.registerRegion(filled(128, 7)));
        assertTrue(e.getMessage().contains("registered-region table is full (2 slots)"), e.getMessage());
        rt.unregisterRegion(b);
        RegionId c = rt.registerRegion(filled(128, 8)); // room again
        assertEquals(b.slot(), c.slot());
        rt.unregisterRegion(a);
        rt.unregisterRegion(c);
    }

    @Test
    @Timeout(30)
    void aFreedSlotIsReusedWithANewGeneration() throws Exception {
        rt = uring(1);
        MemorySegment first = filled(256, 9);
        MemorySegment second = filled(256, 10);
        RegionId old = rt.registerRegion(first);
        rt.unregisterRegion(old);
        RegionId reused = rt.registerRegion(second);
        assertEquals(old.slot(), reused.slot(), "the only slot is reused");
        assertNotEquals(old.generation(), reused.generation());
        assertNotEquals(0, reused.generation());
        withPair((c, s) -> {
            assertThrows(IllegalArgumentException.class, () -> c.write(old, 0, 8), "the old id stays rejected");
            int n = 0;
            while (n < 256) {
                n += c.write(reused, n, 256 - n);
            }
            ByteBuffer in = ByteBuffer.allocate(256);
            s.readFully(in);
            assertArrayEquals(second.toArray(JAVA_BYTE), in.array(), "the new id names the new memory");
        });
        assertThrows(IllegalArgumentException.class, () -> rt.unregisterRegion(old));
        rt.unregisterRegion(reused);
    }

    @Test
    @Timeout(30)
    void badMemoryIsRejected() throws Exception {
        rt = uring(8);
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                () -> rt.registerRegion(MemorySegment.ofArray(new byte[64])));
        assertTrue(heap.getMessage().contains("native"), heap.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> rt.registerRegion(arena.allocate(0)));
        assertTrue(empty.getMessage().contains("0 bytes"), empty.getMessage());
        // nothing was taken: the table still has every slot
        for (int i = 0; i < 8; i++) {
            rt.registerRegion(filled(16, 20 + i));
        }
    }

    @Test
    @Timeout(30)
    void regionsAfterTheRuntimeClosedFail() throws Exception {
        rt = uring(8);
        RegionId id = rt.registerRegion(filled(64, 11));
        rt.close();
        assertTrue(rt.awaitTermination(java.time.Duration.ofSeconds(10)));
        assertThrows(IllegalStateException.class, () -> rt.registerRegion(filled(64, 12)));
        assertThrows(IllegalStateException.class, () -> rt.unregisterRegion(id));
    }

    @Test
    @Timeout(30)
    void nioHasNoRegions() throws Exception {
        rt = NetTesting.start(IoMode.NIO);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> rt.registerRegion(arena.allocate(64)));
        String m = e.getMessage().toLowerCase(Locale.ROOT);
        assertTrue(m.contains("unsupported on the") && m.contains("nio"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> rt.unregisterRegion(new RegionId(0, 1)));
        withPair((c, s) -> {
            assertThrows(UnsupportedOperationException.class, () -> c.write(new RegionId(0, 1), 0, 1));
            assertThrows(UnsupportedOperationException.class, () -> c.read(new RegionId(0, 1), 0, 1));
        });
    }
}
