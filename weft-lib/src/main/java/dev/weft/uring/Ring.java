package dev.weft.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One io_uring instance: the submission and completion rings mapped into this process, and the
 * three system calls. Not thread-safe: one thread prepares, submits and reaps (weft's worker that
 * owns it, or a virtual thread mounted on that worker, which is the same OS thread).
 *
 * <h2>Sharing memory with the kernel</h2>
 * The SQ ring's tail and the CQ ring's head are written by this thread and read by the kernel;
 * the SQ ring's head and the CQ ring's tail the other way round. SQEs are written with plain
 * stores, then the SQ tail is published with a release store before {@code io_uring_enter}, so
 * the kernel sees whole entries. The CQ tail is read with an acquire load before the entries it
 * covers are read, and the CQ head is released after they are read, so the kernel does not
 * overwrite an entry still being read.
 *
 * <h2>Set-up</h2>
 * {@link #open} uses the best flags the {@link KernelFeatures probed kernel} accepts:
 * {@code SINGLE_ISSUER | DEFER_TASKRUN} (completions are posted only when the owner asks, inside
 * {@code io_uring_enter}: no inter-processor interrupts, batches stay batched), with
 * {@code TASKRUN_FLAG} (the kernel sets {@link #needsEnter() a flag} when completions wait for
 * that), {@code SUBMIT_ALL}, {@code NO_SQARRAY}; without deferred task work
 * {@code COOP_TASKRUN}; on a kernel with none of them (5.11 to 5.17), a plain ring whose
 * completions the kernel posts as they happen. A single-issuer ring is created
 * disabled ({@code R_DISABLED}) so that any thread may create it and the owner thread makes
 * itself the issuer with {@link #enable()}. weft needs {@code FEAT_SINGLE_MMAP},
 * {@code FEAT_NODROP} and {@code FEAT_EXT_ARG} (Linux 5.11).
 */
public final class Ring implements AutoCloseable {

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final ValueLayout.OfLong LONG = JAVA_LONG;

    private final Arena arena;
    private final MemorySegment errno;
    private final MemorySegment waitArg;
    private final MemorySegment timespec;
    private final int fd;
    private final int setupFlags;
    private final int features;
    private final KernelFeatures kernel;
    private final int sqEntries;
    private final int cqEntries;
    private final MemorySegment rings; // SQ and CQ rings, one mapping (FEAT_SINGLE_MMAP)
    private final long ringsSize;
    private final MemorySegment sqes;
    private final long sqesSize;
    private final long sqHeadOff;
    private final long sqTailOff;
    private final long sqFlagsOff;
    private final int sqMask;
    private final long cqHeadOff;
    private final long cqTailOff;
    private final int cqMask;
    private final long cqesOff;
    private final long cqOverflowOff;
    private int sqTail;      // next SQE to prepare
    private int sqSubmitted; // SQEs up to here were handed to the kernel
    private int cqHead;
    private boolean closed;

    private Ring(Arena arena, MemorySegment errno, int fd, MemorySegment params, int setupFlags, KernelFeatures kernel)
            throws ErrnoException {
        this.arena = arena;
        this.errno = errno;
        this.fd = fd;
        this.setupFlags = setupFlags;
        this.kernel = kernel;
        this.features = params.get(JAVA_INT, Abi.PARAMS_FEATURES);
        if ((features & KernelFeatures.REQUIRED_FEATURES) != KernelFeatures.REQUIRED_FEATURES) {
            throw new ErrnoException("io_uring on this kernel lacks features weft needs (SINGLE_MMAP, "
                    + "NODROP, EXT_ARG: Linux 5.11 or later); features were 0x"
                    + Integer.toHexString(features) + "; use -Dweft.io=nio", Errno.ENOSYS, null);
        }
        this.sqEntries = params.get(JAVA_INT, Abi.PARAMS_SQ_ENTRIES);
        this.cqEntries = params.get(JAVA_INT, Abi.PARAMS_CQ_ENTRIES);
        int sq = Abi.PARAMS_SQ_OFF;
        int cq = Abi.PARAMS_CQ_OFF;
        long sqArray = Integer.toUnsignedLong(params.get(JAVA_INT, sq + Abi.SQ_OFF_ARRAY));
        long cqes = Integer.toUnsignedLong(params.get(JAVA_INT, cq + Abi.CQ_OFF_CQES));
        boolean noSqArray = (setupFlags & Abi.SETUP_NO_SQARRAY) != 0;
        long size = cqes + (long) cqEntries * Abi.CQE_SIZE;
        if (!noSqArray) {
            size = Math.max(size, sqArray + (long) sqEntries * Integer.BYTES);
        }
        this.ringsSize = size;
        this.sqesSize = (long) sqEntries * Abi.SQE_SIZE;
        long ringsAddr = Libc.mmap(errno, 0, size, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_SHARED | Libc.MAP_POPULATE, fd, Abi.OFF_SQ_RING);
        if (ringsAddr < 0 && ringsAddr > -4096) {
            throw new ErrnoException("mmap of the io_uring rings (" + size + " bytes)", (int) ringsAddr);
        }
        long sqesAddr = -1;
        try {
            sqesAddr = Libc.mmap(errno, 0, sqesSize, Libc.PROT_READ | Libc.PROT_WRITE,
                    Libc.MAP_SHARED | Libc.MAP_POPULATE, fd, Abi.OFF_SQES);
            if (sqesAddr < 0 && sqesAddr > -4096) {
                throw new ErrnoException("mmap of the io_uring SQEs (" + sqesSize + " bytes)", (int) sqesAddr);
            }
            this.rings = MemorySegment.ofAddress(ringsAddr).reinterpret(size);
            this.sqes = MemorySegment.ofAddress(sqesAddr).reinterpret(sqesSize);
            this.waitArg = arena.allocate(Abi.GETEVENTS_ARG_SIZE, 8);
            this.timespec = arena.allocate(16, 8);
            this.sqHeadOff = Integer.toUnsignedLong(params.get(JAVA_INT, sq + Abi.SQ_OFF_HEAD));
            this.sqTailOff = Integer.toUnsignedLong(params.get(JAVA_INT, sq + Abi.SQ_OFF_TAIL));
            this.sqFlagsOff = Integer.toUnsignedLong(params.get(JAVA_INT, sq + Abi.SQ_OFF_FLAGS));
            this.sqMask = rings.get(JAVA_INT, Integer.toUnsignedLong(params.get(JAVA_INT, sq + Abi.SQ_OFF_RING_MASK)));
            this.cqHeadOff = Integer.toUnsignedLong(params.get(JAVA_INT, cq + Abi.CQ_OFF_HEAD));
            this.cqTailOff = Integer.toUnsignedLong(params.get(JAVA_INT, cq + Abi.CQ_OFF_TAIL));
            this.cqOverflowOff = Integer.toUnsignedLong(params.get(JAVA_INT, cq + Abi.CQ_OFF_OVERFLOW));
            this.cqMask = rings.get(JAVA_INT, Integer.toUnsignedLong(params.get(JAVA_INT, cq + Abi.CQ_OFF_RING_MASK)));
            this.cqesOff = cqes;
            if (!noSqArray) {
                for (int i = 0; i < sqEntries; i++) {
                    rings.set(JAVA_INT, sqArray + (long) i * Integer.BYTES, i); // SQE i sits in slot i, always
                }
            }
            this.sqTail = (int) INT.getAcquire(rings, sqTailOff);
            this.sqSubmitted = sqTail;
            this.cqHead = (int) INT.getAcquire(rings, cqHeadOff);
        } catch (ErrnoException | RuntimeException | Error e) {
            // Nothing outside knows these mappings yet: undo them here (open closes the descriptor).
            if (sqesAddr >= 0 || sqesAddr <= -4096) {
                Libc.munmap(errno, sqesAddr, sqesSize);
            }
            Libc.munmap(errno, ringsAddr, size);
            throw e;
        }
    }

    /**
     * Creates a ring with the best setup flags {@code kernel} accepts: {@code SUBMIT_ALL},
     * {@code NO_SQARRAY}; for a single issuer {@code SINGLE_ISSUER | R_DISABLED} with
     * {@code DEFER_TASKRUN | TASKRUN_FLAG}, else {@code COOP_TASKRUN | TASKRUN_FLAG}; each only
     * where the kernel has it.
     *
     * @param entries      SQ entries (a power of two, 1..32768); the CQ gets four times as many
     * @param kernel       what the kernel accepts ({@link KernelFeatures#probe()})
     * @param singleIssuer whether to ask for a single-issuer ring, created disabled: the thread
     *                     that calls {@link #enable()} becomes its only submitter (ignored where
     *                     the kernel has no {@code SINGLE_ISSUER})
     * @throws ErrnoException with the errno and a hint, if the kernel refuses io_uring
     */
    public static Ring open(int entries, KernelFeatures kernel, boolean singleIssuer) throws ErrnoException {
        return open(entries, kernel, singleIssuer, Arena::ofShared);
    }

    /** {@link #open(int, KernelFeatures, boolean)} with the arena its small structures come from (tests inject one that fails). */
    static Ring open(int entries, KernelFeatures kernel, boolean singleIssuer, java.util.function.Supplier<Arena> arenas)
            throws ErrnoException {
        if (entries < 1 || entries > 32768 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("io_uring entries must be a power of two in 1..32768, was "
                    + entries + "; use a power of two such as 256 or 1024");
        }
        int flags = setupFlags(kernel, singleIssuer);
        Arena arena = arenas.get();
        MemorySegment errno = null;
        int ringFd = -1;
        try {
            errno = Libc.newCaptureState(arena);
            MemorySegment params = arena.allocate(Abi.PARAMS_SIZE, 8);
            params.set(JAVA_INT, Abi.PARAMS_FLAGS, flags);
            params.set(JAVA_INT, Abi.PARAMS_CQ_ENTRIES, entries * 4);
            long r = Libc.syscall(errno, Libc.SYS_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0);
            if (r < 0) {
                throw setupError(entries, (int) -r);
            }
            ringFd = (int) r;
            return new Ring(arena, errno, ringFd, params, flags, kernel);
        } catch (ErrnoException | RuntimeException | Error e) {
            if (ringFd >= 0) {
                Libc.close(errno, ringFd); // the constructor unmapped what it mapped
            }
            arena.close();
            throw e;
        }
    }

    /** The setup flags a ring gets from {@code kernel}. */
    static int setupFlags(KernelFeatures kernel, boolean singleIssuer) {
        int flags = KernelFeatures.BASE_SETUP;
        for (int f : new int[] { Abi.SETUP_SUBMIT_ALL, Abi.SETUP_NO_SQARRAY }) {
            if (kernel.accepts(f)) {
                flags |= f;
            }
        }
        if (singleIssuer && kernel.accepts(Abi.SETUP_SINGLE_ISSUER | Abi.SETUP_R_DISABLED)) {
            flags |= Abi.SETUP_SINGLE_ISSUER | Abi.SETUP_R_DISABLED;
            if (kernel.accepts(Abi.SETUP_DEFER_TASKRUN)) {
                flags |= Abi.SETUP_DEFER_TASKRUN;
                if (kernel.accepts(Abi.SETUP_TASKRUN_FLAG)) {
                    flags |= Abi.SETUP_TASKRUN_FLAG;
                }
                return flags;
            }
        }
        if (kernel.accepts(Abi.SETUP_COOP_TASKRUN | Abi.SETUP_TASKRUN_FLAG)) {
            flags |= Abi.SETUP_COOP_TASKRUN | Abi.SETUP_TASKRUN_FLAG;
        }
        return flags;
    }

    /** Whether {@code io_uring_setup} accepts {@code flags}: creates a ring of {@code entries} and closes it. */
    static boolean setupAccepted(int entries, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = Libc.newCaptureState(a);
            MemorySegment params = a.allocate(Abi.PARAMS_SIZE, 8);
            params.set(JAVA_INT, Abi.PARAMS_FLAGS, flags);
            params.set(JAVA_INT, Abi.PARAMS_CQ_ENTRIES, entries * 4);
            long r = Libc.syscall(errno, Libc.SYS_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0);
            if (r < 0) {
                return false;
            }
            Libc.close(errno, (int) r);
            return true;
        }
    }

    /** The error for a refused {@code io_uring_setup}: the errno, what it means here, and the fix. */
    public static ErrnoException setupError(int entries, int errno) {
        String hint = switch (errno) {
            case Errno.ENOSYS -> "this kernel has no io_uring (Linux 5.1+ has it; 5.11+ is needed)";
            case Errno.EPERM -> "io_uring is disabled here: sysctl kernel.io_uring_disabled is set, or a seccomp "
                    + "filter (a container runtime's default profile) blocks it";
            case Errno.ENOMEM -> "the kernel could not allocate the rings (locked-memory limit, ulimit -l)";
            case Errno.EMFILE, Errno.ENFILE -> "out of file descriptors";
            default -> "the kernel refused every set of setup flags weft tries";
        };
        return new ErrnoException("io_uring_setup(" + entries + " entries) failed: " + Errno.name(errno) + ": "
                + hint + "; weft falls back to NIO by itself, or force it with -Dweft.io=nio", errno, null);
    }

    /** Makes the calling thread this ring's submitter, if it was created disabled. */
    public void enable() throws ErrnoException {
        if ((setupFlags & Abi.SETUP_R_DISABLED) != 0) {
            int r = register(Abi.REGISTER_ENABLE_RINGS, 0, 0);
            if (r < 0) {
                throw new ErrnoException("io_uring_register(ENABLE_RINGS)", r);
            }
        }
    }

    public int fd() {
        return fd;
    }

    public int setupFlags() {
        return setupFlags;
    }

    public int features() {
        return features;
    }

    /** The kernel features this ring was opened for. */
    public KernelFeatures kernel() {
        return kernel;
    }

    public int sqEntries() {
        return sqEntries;
    }

    public int cqEntries() {
        return cqEntries;
    }

    // -----------------------------------------------------------------------------------------
    // Submission

    /**
     * The offset of a fresh, zeroed SQE in {@link #sqes()}, or -1 if the SQ is full (submit, then
     * ask again).
     */
    public long nextSqe() {
        int head = (int) INT.getAcquire(rings, sqHeadOff);
        if (sqTail - head >= sqEntries) {
            return -1;
        }
        long off = (long) (sqTail & sqMask) * Abi.SQE_SIZE;
        sqTail++;
        for (int i = 0; i < Abi.SQE_SIZE; i += 8) {
            sqes.set(LONG, off + i, 0L);
        }
        return off;
    }

    /** SQEs {@link #nextSqe()} can hand out before the kernel consumes more. */
    public int sqSpace() {
        return sqEntries - (sqTail - (int) INT.getAcquire(rings, sqHeadOff));
    }

    /** The mapped SQE array; write an entry at an offset {@link #nextSqe()} returned. */
    public MemorySegment sqes() {
        return sqes;
    }

    /** Fills the common fields of an SQE. */
    public void prepare(long sqe, int opcode, int fd, long addr, int len, long offset, long userData) {
        sqes.set(JAVA_BYTE, sqe + Abi.SQE_OPCODE, (byte) opcode);
        sqes.set(JAVA_INT, sqe + Abi.SQE_FD, fd);
        sqes.set(LONG, sqe + Abi.SQE_OFF, offset);
        sqes.set(LONG, sqe + Abi.SQE_ADDR, addr);
        sqes.set(JAVA_INT, sqe + Abi.SQE_LEN, len);
        sqes.set(LONG, sqe + Abi.SQE_USER_DATA, userData);
    }

    public void setFlags(long sqe, int flags) {
        sqes.set(JAVA_BYTE, sqe + Abi.SQE_FLAGS, (byte) flags);
    }

    /** Adds {@code flags} to the SQE's flags, keeping those already set. */
    public void addFlags(long sqe, int flags) {
        sqes.set(JAVA_BYTE, sqe + Abi.SQE_FLAGS, (byte) (sqes.get(JAVA_BYTE, sqe + Abi.SQE_FLAGS) | flags));
    }

    public void setIoprio(long sqe, int ioprio) {
        sqes.set(JAVA_SHORT, sqe + Abi.SQE_IOPRIO, (short) ioprio);
    }

    /** The per-opcode flags word: msg_flags, accept_flags, cancel_flags, timeout_flags. */
    public void setOpFlags(long sqe, int flags) {
        sqes.set(JAVA_INT, sqe + Abi.SQE_OP_FLAGS, flags);
    }

    /** splice_fd_in: the descriptor {@code IORING_OP_SPLICE} reads from (the SQE's {@code fd} is where it writes). */
    public void setSpliceFdIn(long sqe, int fd) {
        sqes.set(JAVA_INT, sqe + Abi.SQE_FILE_INDEX, fd);
    }

    /** buf_index (fixed buffers) or buf_group (provided buffers). */
    public void setBufIndex(long sqe, int index) {
        sqes.set(JAVA_SHORT, sqe + Abi.SQE_BUF_INDEX, (short) index);
    }

    /** SQEs prepared and not yet handed to the kernel. */
    public int queued() {
        return sqTail - sqSubmitted;
    }

    /**
     * Hands the queued SQEs to the kernel without waiting.
     *
     * @return the number submitted, or {@code -errno}
     */
    public int submit() {
        return enter(0, 0, -1);
    }

    /**
     * Submits the queued SQEs and processes completions the kernel deferred
     * ({@code GETEVENTS} without waiting).
     */
    public int submitAndGetEvents() {
        return enter(0, Abi.ENTER_GETEVENTS, -1);
    }

    /**
     * Submits the queued SQEs and waits until at least {@code minComplete} completions are in the
     * CQ, or {@code timeoutNanos} pass ({@code < 0}: no limit), or a signal arrives.
     *
     * @return the number submitted, or {@code -errno} ({@code -ETIME} on timeout, {@code -EINTR})
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        return enter(minComplete, Abi.ENTER_GETEVENTS, timeoutNanos);
    }

    /**
     * A fault to inject: consulted before each {@code io_uring_enter}, it returns {@code -errno}
     * to fail that call without entering the kernel (nothing is submitted), or 0 to enter. Tests
     * only; production rings have none.
     */
    @FunctionalInterface
    public interface EnterFault {
        int beforeEnter();
    }

    private volatile EnterFault enterFault;

    /** Installs {@code fault} (null removes it); see {@link EnterFault}. */
    public void injectEnterFault(EnterFault fault) {
        enterFault = fault;
    }

    private int enter(int minComplete, int flags, long timeoutNanos) {
        EnterFault fault = enterFault;
        if (fault != null) {
            int f = fault.beforeEnter();
            if (f < 0) {
                return f;
            }
        }
        int toSubmit = sqTail - sqSubmitted;
        if (toSubmit > 0) {
            INT.setRelease(rings, sqTailOff, sqTail);
        }
        long arg = 0;
        long argSize = 0;
        if (timeoutNanos >= 0) {
            timespec.set(LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(LONG, 8, timeoutNanos % 1_000_000_000L);
            waitArg.set(LONG, 0, 0L);                    // no sigmask
            waitArg.set(JAVA_INT, 8, 0);
            waitArg.set(JAVA_INT, 12, 0);
            waitArg.set(LONG, Abi.GETEVENTS_ARG_TS, timespec.address());
            arg = waitArg.address();
            argSize = Abi.GETEVENTS_ARG_SIZE;
            flags |= Abi.ENTER_EXT_ARG;
        }
        long r = Libc.syscall(errno, Libc.SYS_IO_URING_ENTER, fd, toSubmit, minComplete, flags, arg, argSize);
        if (r > 0) {
            sqSubmitted += (int) r;
        } else if (r < 0 && toSubmit > 0) {
            // Without SQPOLL, the kernel consumed what its head says, whatever the result.
            sqSubmitted = (int) INT.getAcquire(rings, sqHeadOff);
        }
        if (r >= 0 && sqSubmitted != sqTail) {
            sqSubmitted = (int) INT.getAcquire(rings, sqHeadOff);
        }
        return (int) r;
    }

    /**
     * Whether the kernel holds completions that only an {@code io_uring_enter} with
     * {@code GETEVENTS} will post ({@code IORING_SQ_TASKRUN}), or the CQ overflowed into the
     * kernel's backlog. A plain memory read.
     */
    public boolean needsEnter() {
        return ((int) INT.getAcquire(rings, sqFlagsOff) & (Abi.SQ_CQ_OVERFLOW | Abi.SQ_TASKRUN)) != 0;
    }

    // -----------------------------------------------------------------------------------------
    // Completion

    /** Receives completions from {@link #reap}. */
    @FunctionalInterface
    public interface CompletionHandler {
        void complete(long userData, int res, int flags);
    }

    /** Whether completions are waiting in the CQ. */
    public boolean hasCompletions() {
        return (int) INT.getAcquire(rings, cqTailOff) != cqHead;
    }

    /**
     * Hands every completion now in the CQ to {@code handler}, oldest first, and frees their
     * slots. The handler may prepare SQEs; it must not reap.
     *
     * @return the number of completions handled
     */
    public int reap(CompletionHandler handler) {
        int n = 0;
        for (;;) {
            int tail = (int) INT.getAcquire(rings, cqTailOff);
            int head = cqHead;
            if (head == tail) {
                return n;
            }
            while (head != tail) {
                long cqe = cqesOff + (long) (head & cqMask) * Abi.CQE_SIZE;
                long userData = rings.get(LONG, cqe + Abi.CQE_USER_DATA);
                int res = rings.get(JAVA_INT, cqe + Abi.CQE_RES);
                int flags = rings.get(JAVA_INT, cqe + Abi.CQE_FLAGS);
                head++;
                cqHead = head;
                INT.setRelease(rings, cqHeadOff, head);
                n++;
                handler.complete(userData, res, flags);
            }
        }
    }

    /**
     * Completions the kernel could not post at all because the CQ was full and it could not keep
     * them in its backlog (the CQ ring's {@code overflow} counter; with {@code FEAT_NODROP} only
     * when the kernel is out of memory). Each one is an operation whose completion never comes.
     */
    public int cqDropped() {
        return (int) INT.getAcquire(rings, cqOverflowOff);
    }

    /**
     * Whether completions wait in the kernel's overflow backlog because the CQ was full
     * ({@code IORING_SQ_CQ_OVERFLOW}); an {@code io_uring_enter} with {@code GETEVENTS} moves
     * them into the CQ as it makes room. A plain memory read.
     */
    public boolean cqOverflowed() {
        return ((int) INT.getAcquire(rings, sqFlagsOff) & Abi.SQ_CQ_OVERFLOW) != 0;
    }

    // -----------------------------------------------------------------------------------------
    // Registration

    /** {@code io_uring_register(fd, opcode, arg, nr)}: the result, or {@code -errno}. */
    public int register(int opcode, long arg, int nr) {
        return (int) Libc.syscall(errno, Libc.SYS_IO_URING_REGISTER, fd, opcode, arg, nr, 0, 0);
    }

    /** Registers an empty fixed-buffer table of {@code slots} entries ({@code REGISTER_BUFFERS2}, sparse). */
    public void registerSparseBuffers(int slots) throws ErrnoException {
        if (!kernel.sparseBuffers()) {
            throw new ErrnoException("io_uring_register(BUFFERS2, " + slots + " sparse slots) refused: kernel "
                    + kernel.release() + " has no sparse fixed-buffer table (Linux 5.19)", Errno.EINVAL, null);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(Abi.RSRC_REGISTER_SIZE, 8);
            reg.set(JAVA_INT, 0, slots);
            reg.set(JAVA_INT, 4, Abi.RSRC_REGISTER_SPARSE);
            int r = register(Abi.REGISTER_BUFFERS2, reg.address(), Abi.RSRC_REGISTER_SIZE);
            if (r < 0) {
                throw new ErrnoException("io_uring_register(BUFFERS2, " + slots + " sparse slots)", r);
            }
        }
    }

    /**
     * Registers a fixed-buffer table of {@code slots} empty iovecs ({@code REGISTER_BUFFERS2}
     * without the sparse flag): the table {@link #registerSparseBuffers} makes, on kernels from
     * Linux 5.13 (empty slots) that predate sparse buffer tables (5.19).
     *
     * @return 0, or {@code -errno}
     */
    public int registerEmptyBuffers(int slots) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iovs = a.allocate(16L * slots, 8); // zeroed: base 0, length 0 is an empty slot
            MemorySegment reg = a.allocate(Abi.RSRC_REGISTER_SIZE, 8);
            reg.set(JAVA_INT, 0, slots);
            reg.set(LONG, 16, iovs.address());
            return register(Abi.REGISTER_BUFFERS2, reg.address(), Abi.RSRC_REGISTER_SIZE);
        }
    }

    /**
     * Puts memory in fixed-buffer slot {@code slot}, or empties the slot when {@code length} is 0
     * ({@code REGISTER_BUFFERS_UPDATE}).
     *
     * @return 1, or {@code -errno}
     */
    public int updateBuffer(int slot, long address, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16, 8);
            iov.set(LONG, 0, length == 0 ? 0L : address);
            iov.set(LONG, 8, length);
            MemorySegment up = a.allocate(Abi.RSRC_UPDATE2_SIZE, 8);
            up.set(JAVA_INT, 0, slot);
            up.set(LONG, 8, iov.address());
            up.set(LONG, 16, 0L);
            up.set(JAVA_INT, 24, 1);
            return register(Abi.REGISTER_BUFFERS_UPDATE, up.address(), Abi.RSRC_UPDATE2_SIZE);
        }
    }

    /** Registers an empty fixed-file table of {@code slots} entries ({@code REGISTER_FILES2}, sparse). */
    public void registerSparseFiles(int slots) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(Abi.RSRC_REGISTER_SIZE, 8);
            reg.set(JAVA_INT, 0, slots);
            reg.set(JAVA_INT, 4, Abi.RSRC_REGISTER_SPARSE);
            int r = register(Abi.REGISTER_FILES2, reg.address(), Abi.RSRC_REGISTER_SIZE);
            if (r < 0) {
                throw new ErrnoException("io_uring_register(FILES2, " + slots + " sparse slots)", r);
            }
        }
    }

    /**
     * Puts file descriptor {@code fileDescriptor} in fixed-file slot {@code slot}, or empties it
     * with -1 ({@code REGISTER_FILES_UPDATE2}).
     *
     * @return 1, or {@code -errno}
     */
    public int updateFile(int slot, int fileDescriptor) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(JAVA_INT);
            fds.set(JAVA_INT, 0, fileDescriptor);
            MemorySegment up = a.allocate(Abi.RSRC_UPDATE2_SIZE, 8);
            up.set(JAVA_INT, 0, slot);
            up.set(LONG, 8, fds.address());
            up.set(JAVA_INT, 24, 1);
            return register(Abi.REGISTER_FILES_UPDATE2, up.address(), Abi.RSRC_UPDATE2_SIZE);
        }
    }

    /**
     * Registers {@code fds} as this ring's fixed-file table ({@code REGISTER_FILES}): slot
     * {@code i} holds {@code fds[i]}. The ring keeps its own reference to each file, so the
     * descriptors may be closed afterwards.
     *
     * @throws ErrnoException with the errno, if the kernel refuses
     */
    public void registerFiles(int[] fds) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment table = a.allocate(JAVA_INT, Math.max(1, fds.length));
            for (int i = 0; i < fds.length; i++) {
                table.setAtIndex(JAVA_INT, i, fds[i]);
            }
            int r = register(Abi.REGISTER_FILES, table.address(), fds.length);
            if (r < 0) {
                throw new ErrnoException("io_uring_register(FILES, " + fds.length + " files)", r);
            }
        }
    }

    /**
     * Registers {@code buffers} as this ring's fixed-buffer table ({@code REGISTER_BUFFERS}):
     * slot {@code i} is {@code buffers.get(i)} (native memory of at most 1 GiB each, pinned by
     * the kernel until the ring is closed).
     *
     * @throws ErrnoException with the errno, if the kernel refuses
     */
    public void registerBuffers(java.util.List<MemorySegment> buffers) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iovs = a.allocate(16L * Math.max(1, buffers.size()), 8);
            for (int i = 0; i < buffers.size(); i++) {
                iovs.set(LONG, 16L * i, buffers.get(i).address());
                iovs.set(LONG, 16L * i + 8, buffers.get(i).byteSize());
            }
            int r = register(Abi.REGISTER_BUFFERS, iovs.address(), buffers.size());
            if (r < 0) {
                throw new ErrnoException("io_uring_register(BUFFERS, " + buffers.size() + " buffers)", r);
            }
        }
    }

    /** Unmaps the rings and closes the ring's file descriptor; in-flight operations are cancelled by the kernel. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.munmap(errno, sqes.address(), sqesSize);
        Libc.munmap(errno, rings.address(), ringsSize);
        Libc.close(errno, fd);
        arena.close();
    }
}
