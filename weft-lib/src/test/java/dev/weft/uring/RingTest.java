package dev.weft.uring;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The io_uring binding on its own: set-up, submission and completion, probing, registration. */
@Timeout(30)
class RingTest {

    private static KernelFeatures kernel;
    private Ring ring;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment errno = Libc.newCaptureState(arena);
    private final List<long[]> completions = new ArrayList<>();

    @BeforeAll
    static void probe() throws ErrnoException {
        kernel = KernelFeatures.probe();
    }

    @BeforeEach
    void open() throws ErrnoException {
        ring = Ring.open(64, kernel, true);
        ring.enable(); // this thread becomes the single issuer
    }

    @AfterEach
    void close() {
        ring.close();
        arena.close();
    }

    private void submitAndReap(int expected) {
        assertTrue(ring.submitAndWait(expected, 5_000_000_000L) >= 0);
        ring.reap((ud, res, flags) -> completions.add(new long[] {ud, res, flags}));
    }

    @Test
    void nopsCompleteWithTheirUserData() {
        for (int i = 1; i <= 3; i++) {
            long sqe = ring.nextSqe();
            ring.prepare(sqe, Abi.OP_NOP, -1, 0, 0, 0, 100 + i);
        }
        assertEquals(3, ring.queued());
        submitAndReap(3);
        assertEquals(0, ring.queued());
        assertEquals(List.of(101L, 102L, 103L), completions.stream().map(c -> c[0]).toList());
        assertTrue(completions.stream().allMatch(c -> c[1] == 0));
    }

    @Test
    void aFullSubmissionQueueSaysSo() {
        for (int i = 0; i < ring.sqEntries(); i++) {
            assertTrue(ring.nextSqe() >= 0);
        }
        assertEquals(-1, ring.nextSqe());
        ring.submit();
        assertTrue(ring.nextSqe() >= 0, "room again once submitted");
    }

    @Test
    void waitingWithATimeoutReturnsETIME() {
        assertEquals(-Errno.ETIME, ring.submitAndWait(1, 1_000_000));
    }

    @Test
    void probeListsTheOpcodesWeftUses() {
        KernelFeatures p = kernel;
        for (int op : new int[] {Abi.OP_NOP, Abi.OP_ACCEPT, Abi.OP_CONNECT, Abi.OP_RECV, Abi.OP_SEND,
                Abi.OP_ASYNC_CANCEL, Abi.OP_LINK_TIMEOUT, Abi.OP_READ_FIXED, Abi.OP_WRITE_FIXED}) {
            assertTrue(p.supports(op), "opcode " + op);
        }
        assertTrue(p.opcodeNames().contains("RECV"));
        assertTrue(p.featureNames().contains("EXT_ARG"));
        assertTrue(p.hasFeature(Abi.FEAT_NODROP));
        assertEquals(null, p.unusableReason());
    }

    @Test
    void probeFindsWhatAKernelFrom61Has() {
        String[] v = System.getProperty("os.version").split("[.-]");
        assumeTrue(Integer.parseInt(v[0]) > 6 || Integer.parseInt(v[0]) == 6 && Integer.parseInt(v[1]) >= 6,
                "this kernel predates 6.6");
        assertTrue(kernel.accepts(Abi.SETUP_SINGLE_ISSUER | Abi.SETUP_DEFER_TASKRUN | Abi.SETUP_COOP_TASKRUN
                | Abi.SETUP_TASKRUN_FLAG | Abi.SETUP_SUBMIT_ALL | Abi.SETUP_NO_SQARRAY | Abi.SETUP_R_DISABLED),
                Integer.toHexString(kernel.setupFlags()));
        assertTrue(kernel.sparseBuffers() && kernel.providedBufferRings() && kernel.multishotAccept()
                && kernel.cancelAll(), kernel.toString());
        assertTrue(kernel.describe().stream().allMatch(l -> l.endsWith(": yes")), kernel.describe().toString());
    }

    @Test
    void aRingForAnOlderKernelUsesOnlyItsSetupFlags() throws ErrnoException {
        KernelFeatures old = OldKernels.linux("5.15", kernel);
        try (Ring r = Ring.open(64, old, true)) {
            int newer = Abi.SETUP_SINGLE_ISSUER | Abi.SETUP_DEFER_TASKRUN | Abi.SETUP_COOP_TASKRUN
                    | Abi.SETUP_TASKRUN_FLAG | Abi.SETUP_SUBMIT_ALL | Abi.SETUP_NO_SQARRAY | Abi.SETUP_R_DISABLED;
            assertEquals(0, r.setupFlags() & newer, Integer.toHexString(r.setupFlags()));
            r.enable(); // not disabled: nothing to do
            long sqe = r.nextSqe();
            r.prepare(sqe, Abi.OP_NOP, -1, 0, 0, 0, 7);
            assertTrue(r.submitAndWait(1, 5_000_000_000L) >= 0);
            assertEquals(1, r.reap((ud, res, flags) -> assertEquals(7, ud)));
        }
    }

    @Test
    void aKernelWithoutSparseTablesRefusesOneNamingTheRelease() throws ErrnoException {
        try (Ring r = Ring.open(64, OldKernels.linux("5.15", kernel), false)) {
            ErrnoException e = assertThrows(ErrnoException.class, () -> r.registerSparseBuffers(4));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("5.15") && e.getMessage().contains("Linux 5.19"), e.getMessage());
            ErrnoException b = assertThrows(ErrnoException.class, () -> BufferRing.register(r, 0, 4, 4096));
            assertTrue(b.getMessage().contains("provided-buffer rings (Linux 5.19)"), b.getMessage());
        }
    }

    @Test
    void aFullCompletionQueueOverflowsIntoTheBacklogAndSaysSo() throws ErrnoException {
        try (Ring r = Ring.open(1, kernel, false)) { // 1 SQ entry, 4 CQ entries
            int n = r.cqEntries() * 3;
            for (int i = 0; i < n; i++) {
                long sqe = r.nextSqe();
                r.prepare(sqe, Abi.OP_NOP, -1, 0, 0, 0, i + 1);
                assertEquals(1, r.submit());
            }
            assertTrue(r.cqOverflowed(), "more NOPs completed than the CQ holds");
            assertTrue(r.needsEnter());
            AtomicInteger reaped = new AtomicInteger();
            for (int round = 0; round < 2 * n && reaped.get() < n; round++) {
                r.submitAndGetEvents(); // moves the backlog into the CQ as it makes room
                r.reap((ud, res, flags) -> reaped.incrementAndGet());
            }
            assertEquals(n, reaped.get(), "the backlog loses nothing (FEAT_NODROP)");
            assertFalse(r.cqOverflowed());
            assertEquals(0, r.cqDropped());
        }
    }

    @Test
    void aRingThatFailsAfterItsMappingsLeaksNoDescriptorAndNoMapping() throws Exception {
        long fds = count("/proc/self/fd");
        long maps = mappings();
        assertTrue(maps > 0, "the open ring's mappings show in /proc/self/maps");
        for (int failAt = 1; failAt <= 4; failAt++) {
            int at = failAt;
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> Ring.open(64, kernel, false, () -> new FailingArena(at)));
            assertTrue(e.getMessage().contains("allocation " + at), e.getMessage());
        }
        assertEquals(fds, count("/proc/self/fd"), "io_uring descriptors left open");
        assertEquals(maps, mappings(), "io_uring mappings left mapped");
    }

    private static long count(String dir) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            return s.count();
        }
    }

    private static long mappings() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("io_uring")).count();
    }

    /** An arena whose {@code failAt}-th allocation throws, as an arena out of memory would. */
    private static final class FailingArena implements Arena {
        private final Arena inner = Arena.ofShared();
        private final int failAt;
        private int allocations;

        FailingArena(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            if (++allocations == failAt) {
                throw new IllegalStateException("allocation " + failAt + " refused");
            }
            return inner.allocate(byteSize, byteAlignment);
        }

        @Override
        public MemorySegment.Scope scope() {
            return inner.scope();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void registeredBuffersCarryFixedReadsAndWritesThroughAPipe() throws ErrnoException {
        ring.registerSparseBuffers(4);
        MemorySegment out = arena.allocate(64, 64);
        MemorySegment in = arena.allocate(64, 64);
        for (int i = 0; i < 64; i++) {
            out.set(JAVA_BYTE, i, (byte) i);
        }
        assertEquals(1, ring.updateBuffer(1, out.address(), 64));
        assertEquals(1, ring.updateBuffer(2, in.address(), 64));
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        assertEquals(0, Libc.pipe2(errno, fds.address(), 0x80000));
        int r = fds.getAtIndex(JAVA_INT, 0);
        int w = fds.getAtIndex(JAVA_INT, 1);
        try {
            long sqe = ring.nextSqe();
            ring.prepare(sqe, Abi.OP_WRITE_FIXED, w, out.address(), 64, 0, 1);
            ring.setBufIndex(sqe, 1);
            submitAndReap(1);
            assertEquals(64, completions.get(0)[1]);
            sqe = ring.nextSqe();
            ring.prepare(sqe, Abi.OP_READ_FIXED, r, in.address(), 64, 0, 2);
            ring.setBufIndex(sqe, 2);
            submitAndReap(1);
            assertEquals(64, completions.get(1)[1]);
            assertEquals(-1L, out.mismatch(in));
            // An emptied slot refuses fixed I/O.
            assertEquals(1, ring.updateBuffer(1, 0, 0));
            sqe = ring.nextSqe();
            ring.prepare(sqe, Abi.OP_WRITE_FIXED, w, out.address(), 64, 0, 3);
            ring.setBufIndex(sqe, 1);
            submitAndReap(1);
            assertTrue(completions.get(2)[1] < 0, "fixed write from an empty slot: " + completions.get(2)[1]);
        } finally {
            Libc.close(errno, r);
            Libc.close(errno, w);
        }
    }

    @Test
    void registeredFilesAreUsedByIndex() throws ErrnoException {
        ring.registerSparseFiles(8);
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        assertEquals(0, Libc.pipe2(errno, fds.address(), 0x80000));
        int r = fds.getAtIndex(JAVA_INT, 0);
        int w = fds.getAtIndex(JAVA_INT, 1);
        try {
            assertEquals(1, ring.updateFile(5, w));
            MemorySegment data = arena.allocate(8);
            long sqe = ring.nextSqe();
            ring.prepare(sqe, Abi.OP_WRITE, 5, data.address(), 8, 0, 9);
            ring.setFlags(sqe, Abi.SQE_FIXED_FILE);
            submitAndReap(1);
            assertEquals(8, completions.get(0)[1]);
            assertEquals(1, ring.updateFile(5, -1));
        } finally {
            Libc.close(errno, r);
            Libc.close(errno, w);
        }
    }

    @Test
    void providedBuffersAreChosenByTheKernelAndRecycled() throws ErrnoException {
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        assertEquals(0, Libc.pipe2(errno, fds.address(), 0x80000));
        int r = fds.getAtIndex(JAVA_INT, 0);
        int w = fds.getAtIndex(JAVA_INT, 1);
        try (BufferRing buffers = BufferRing.register(ring, 7, 4, 128)) {
            MemorySegment msg = arena.allocate(5);
            msg.copyFrom(MemorySegment.ofArray("hello".getBytes()));
            for (int round = 0; round < 10; round++) { // more rounds than buffers: recycling works
                assertEquals(5, Libc.write(errno, w, msg.address(), 5));
                long sqe = ring.nextSqe();
                ring.prepare(sqe, Abi.OP_READ, r, 0, 128, 0, 50 + round);
                ring.addFlags(sqe, Abi.SQE_BUFFER_SELECT);
                ring.setBufIndex(sqe, 7);
                submitAndReap(1);
                long[] c = completions.get(round);
                assertEquals(5, c[1]);
                assertTrue((c[2] & Abi.CQE_F_BUFFER) != 0);
                int id = (int) (c[2] >>> Abi.CQE_BUFFER_SHIFT);
                assertEquals(-1L, buffers.buffer(id).asSlice(0, 5).mismatch(msg));
                buffers.recycle(id);
            }
            assertThrows(IllegalArgumentException.class, () -> buffers.recycle(4));
        } finally {
            Libc.close(errno, r);
            Libc.close(errno, w);
        }
    }

    /** The layouts match the kernel's structure sizes and the offsets of the fields weft writes. */
    @Test
    void layoutsMatchTheKernelAbi() {
        assertEquals(64, Abi.SQE.byteSize());
        assertEquals(16, Abi.CQE.byteSize());
        assertEquals(120, Abi.PARAMS.byteSize());
        assertEquals(40, Abi.SQRING_OFFSETS.byteSize());
        assertEquals(List.of(0, 1, 2, 4, 8, 16, 24, 28, 32, 40, 44, 48),
                List.of(Abi.SQE_OPCODE, Abi.SQE_FLAGS, Abi.SQE_IOPRIO, Abi.SQE_FD, Abi.SQE_OFF, Abi.SQE_ADDR,
                        Abi.SQE_LEN, Abi.SQE_OP_FLAGS, Abi.SQE_USER_DATA, Abi.SQE_BUF_INDEX,
                        Abi.SQE_FILE_INDEX, Abi.SQE_ADDR3));
        assertEquals(List.of(0, 8, 12), List.of(Abi.CQE_USER_DATA, Abi.CQE_RES, Abi.CQE_FLAGS));
        assertEquals(List.of(20, 40, 80), List.of(Abi.PARAMS_FEATURES, Abi.PARAMS_SQ_OFF, Abi.PARAMS_CQ_OFF));
        assertEquals(24, Abi.SQ_OFF_ARRAY);
        assertEquals(20, Abi.CQ_OFF_CQES);
    }

    @Test
    void badSizesAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ring.open(100, kernel, false));
        assertTrue(e.getMessage().contains("100"), e.getMessage());
    }
}
