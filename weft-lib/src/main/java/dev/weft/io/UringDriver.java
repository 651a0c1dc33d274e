package dev.weft.io;

import dev.weft.sched.Driver;
import dev.weft.sched.Scheduler;
import dev.weft.uring.Abi;
import dev.weft.uring.BufferRing;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.Libc;
import dev.weft.uring.Probe;
import dev.weft.uring.Ring;

import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A worker's io_uring driver: its {@link Ring}, the table of operations in flight, a
 * {@link WakeHandle}, a provided-buffer ring for receives into heap buffers, and a bounded
 * {@link StagingPool} for sends from heap buffers (and receives into them where no provided
 * buffer is free, which wait for readability before they take one).
 *
 * <h2>An operation's life</h2>
 * A task running on this driver's worker takes a slot in the operation table, writes an SQE whose
 * {@code user_data} is the slot's <i>token</i> ({@code generation << 32 | slot}) and parks. The
 * SQE is only queued: the worker submits every queued SQE with one {@code io_uring_enter} when it
 * next polls (every 64 tasks, when its run queue runs dry, and when it sleeps). When the CQE
 * arrives the worker looks the token up; if the slot still holds that generation, it frees the
 * slot (unless {@code IORING_CQE_F_MORE} says more CQEs follow), stores the result in the
 * operation, sets its {@code done} flag (volatile) and unparks the task. A CQE whose generation
 * does not match (an operation that ended already) is counted and ignored, so a late completion
 * never reaches whoever reuses the slot.
 *
 * <h2>Threads</h2>
 * The table, the ring, the buffer pools and the counters are touched only on the worker's
 * thread: by the worker's loop, or by a task mounted on it while it submits. After a task parks
 * it may resume on another worker; from then on it touches only its operation object, whose
 * result fields are published by the {@code done} write. To cancel (its thread was interrupted)
 * it posts a control message ({@link #control}) that the owning worker runs at its next poll.
 *
 * <h2>Why no completion and no wake-up is lost</h2>
 * A task parks in a loop until {@code done} is set; the worker sets {@code done} before it
 * unparks, and {@code LockSupport}'s permit covers an unpark that comes before the park. The
 * worker with operations in flight sleeps in {@code io_uring_enter} waiting for one CQE, with a
 * read of its eventfd armed: {@link #wake()} writes the eventfd, which completes that read. A
 * worker with nothing in flight sleeps on its thread's park permit instead (no completion can
 * come, and a futex wake-up is cheaper than an eventfd completion: ping-pong between tasks ran
 * twice as fast). {@link #wake()} says which one to use through a Dekker pair of flags, and a
 * wake-up that comes before either wait is kept (in the flag, the permit, or the eventfd
 * counter), not lost.
 *
 * <h2>Timeouts and cancellation</h2>
 * A timeout is an {@code IORING_OP_LINK_TIMEOUT} linked to the operation: the operation ends with
 * {@code -ECANCELED}, reported as {@code -ETIMEDOUT}. A cancelled task's operation gets an
 * {@code IORING_OP_ASYNC_CANCEL}; the task still waits for the operation's own CQE (the kernel
 * may be writing into its buffer until then), then throws {@link InterruptedIOException}, unless
 * the operation completed first, in which case its result stands (an accepted socket is never
 * dropped).
 */
public final class UringDriver implements IoDriver {

    /** SQ entries per worker ring; the CQ gets four times as many. */
    static final int RING_ENTRIES = 1024;
    /** user_data of the eventfd read that wakes a sleeping worker. */
    private static final long WAKE_TOKEN = -1L;
    /** user_data of CQEs nobody waits for (link timeouts, cancel requests). */
    private static final long IGNORED_TOKEN = 0L;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int POLLIN = 0x1;
    /** Provided buffers for receives into heap buffers: 256 of 16 KiB per worker. */
    private static final int RECV_BUFFERS = 256;
    private static final int RECV_BUFFER_SIZE = 16 * 1024;
    private static final int RECV_GROUP = 0;
    /** Staging buffers for sends from heap memory and connect addresses. */
    private static final int STAGING_SIZE = 64 * 1024;
    private static final int STAGING_KEPT = 16;

    private final Ring ring;
    private final Probe probe;
    /** Multishot accept came with Linux 5.19, as did IORING_OP_SOCKET: its presence tells. */
    private final boolean multishotAccept;
    private final WakeHandle wakeHandle;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment wakeBuffer;
    private final ConcurrentLinkedQueue<Runnable> controlQueue = new ConcurrentLinkedQueue<>();
    private volatile boolean controlPending;
    private volatile boolean closed;
    private IoGroup group;
    private final StagingPool staging;
    /** {@code -Dweft.io.noProvidedBuffers}: receive as before Linux 5.19 (tests reach the staged path this way). */
    private final boolean noProvidedBuffers = Boolean.getBoolean("weft.io.noProvidedBuffers");
    private BufferRing recvBuffers; // null until the first receive into a heap buffer, or without support
    private boolean recvBuffersTried;
    private MemorySegment timespecs;

    private Op[] ops = new Op[256];
    private int[] generations = new int[256];
    private int[] free = new int[256];
    private int freeCount;
    private int inFlight;
    private boolean wakeArmed;
    private final Completions completions = new Completions();
    private long operations;
    private long staleCompletions;

    private UringDriver(Ring ring, Probe probe, WakeHandle wakeHandle, StagingPool.Memory stagingMemory) {
        this.ring = ring;
        this.staging = new StagingPool(STAGING_SIZE, STAGING_KEPT, stagingMemory);
        this.probe = probe;
        this.multishotAccept = probe.supports(Abi.OP_SOCKET) && !Boolean.getBoolean("weft.io.singleAccept");
        this.wakeHandle = wakeHandle;
        this.wakeBuffer = arena.allocate(8, 8);
        this.timespecs = arena.allocate(16L * ops.length, 8);
        for (int i = ops.length - 1; i >= 0; i--) {
            free[freeCount++] = i;
            generations[i] = 1;
        }
    }

    /**
     * Creates a driver with its ring (disabled until {@link #attach()} on the worker's thread).
     *
     * @throws ErrnoException when the kernel refuses io_uring, with the errno and a hint
     */
    public static UringDriver open() throws ErrnoException {
        return open(StagingPool.ANONYMOUS);
    }

    /** {@link #open()} with staging buffers from {@code stagingMemory} (tests count them). */
    static UringDriver open(StagingPool.Memory stagingMemory) throws ErrnoException {
        Ring ring = Ring.open(RING_ENTRIES, true);
        try {
            Probe probe = ring.probe();
            WakeHandle wake = WakeHandle.open();
            return new UringDriver(ring, probe, wake, stagingMemory);
        } catch (ErrnoException | RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    /** What the kernel's io_uring supports. */
    public Probe probe() {
        return probe;
    }

    /** The driver of the worker the calling task runs on, or null. */
    static UringDriver current() {
        return Scheduler.currentDriver() instanceof UringDriver u ? u : null;
    }

    // -----------------------------------------------------------------------------------------
    // Driver

    @Override
    public void attach() {
        owner = Thread.currentThread();
        try {
            ring.enable();
        } catch (ErrnoException e) {
            throw new IllegalStateException("could not enable the worker's io_uring ring: " + e.getMessage(), e);
        }
        // No fixed-buffer table yet: the region registry creates it at the first registration
        // (createRegionTable), so a kernel without one still runs everything else.
    }

    @Override
    public void poll() {
        if (controlPending) {
            runControl();
        }
        if (ring.queued() > 0 || ring.needsEnter()) {
            ring.submitAndGetEvents(); // needsEnter: deferred completions wait for us (TASKRUN_FLAG)
        }
        ring.reap(completions);
    }

    @Override
    public boolean busy() {
        return inFlight > 0 || ring.queued() > 0 || controlPending;
    }

    @Override
    public void park() {
        if (controlPending) {
            runControl();
        }
        if (inFlight == 0 && ring.queued() == 0 && !controlPending) {
            // Nothing of ours is in the kernel, so no completion can come: sleep on the thread's
            // park permit, which a wake-up costs less to hand over than an eventfd completion.
            LockSupport.park(this);
            return;
        }
        if (!wakeArmed) {
            armWake();
        }
        inKernel = true; // then read wakeRequested; wake() writes it, then reads inKernel
        if (!wakeRequested) {
            ring.submitAndWait(1, -1);
        }
        inKernel = false;
        wakeRequested = false;
        ring.reap(completions);
    }

    /**
     * Wakes the worker wherever it sleeps: on its park permit (no I/O in flight) or inside
     * {@code io_uring_enter} (through the eventfd). The flags are a Dekker pair: the worker
     * writes {@code inKernel} then reads {@code wakeRequested}; a waker writes
     * {@code wakeRequested} then reads {@code inKernel}. So either the worker sees the request
     * and does not wait, or the waker sees it in the kernel and writes the eventfd. The unpark
     * covers the permit path, and a wake-up before either wait.
     */
    @Override
    public void wake() {
        wakeRequested = true;
        if (inKernel) {
            wakeHandle.wake();
        }
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private volatile boolean inKernel;
    private volatile boolean wakeRequested;
    private volatile Thread owner;

    @Override
    public void close() {
        closed = true;
        java.util.List<MemorySegment> abandonedStaging = new java.util.ArrayList<>();
        if (controlPending) {
            runControl(); // answer what waits (a region update fails with EBADF once closed)
        }
        for (int slot = 0; slot < ops.length; slot++) {
            Op op = ops[slot];
            if (op != null) {
                ops[slot] = null;
                op.abandoned(); // no CQE will come: a multishot accept gives its listener back
                if (op.staging != null) {
                    abandonedStaging.add(op.staging);
                    op.staging = null;
                }
            }
        }
        if (recvBuffers != null) {
            recvBuffers.close();
        }
        ring.close(); // cancels what is still in flight
        wakeHandle.close();
        staging.close();
        abandonedStaging.forEach(staging::give); // after the ring: the kernel no longer writes them
        PROVIDED_BYTES.setOpaque(this, 0L);
        arena.close();
    }

    @Override
    public String backend() {
        return "io_uring";
    }

    @Override
    public long operations() {
        return (long) OPERATIONS.getOpaque(this);
    }

    /** Whether {@link #close()} ran. */
    boolean isClosed() {
        return closed;
    }

    /** CQEs that arrived for an operation that had already ended (their generation did not match). */
    public long staleCompletions() {
        return staleCompletions;
    }

    /** Runs {@code message} on this driver's worker thread at its next poll, and wakes the worker. */
    public void control(Runnable message) {
        controlQueue.add(message);
        controlPending = true;
        if (closed) {
            runControlAfterClose(); // the worker is gone: nobody else will run it
        } else {
            wake();
        }
    }

    private void runControlAfterClose() {
        Runnable m;
        while ((m = controlQueue.poll()) != null) {
            m.run();
        }
    }

    @Override
    public IoGroup group() {
        return group;
    }

    @Override
    public void joinGroup(IoGroup group, int regionSlots) {
        this.group = group; // the region table is created at the first registration, not here
    }

    /**
     * Creates this ring's registered-region table of {@code slots} empty slots, on the worker's
     * thread: sparse (Linux 5.19), else empty iovecs (Linux 5.13); {@code done} gets the first
     * refusal's -errno, or 0.
     */
    void createRegionTable(int slots, java.util.function.IntConsumer done) {
        control(() -> {
            if (closed) {
                done.accept(-Errno.EBADF);
                return;
            }
            int r;
            try {
                ring.registerSparseBuffers(slots);
                r = 0;
            } catch (ErrnoException e) {
                r = ring.registerEmptyBuffers(slots); // before 5.19 the sparse flag is refused
            }
            done.accept(r);
        });
    }

    /** Puts region memory in fixed-buffer slot {@code slot} of this ring (empties it for length 0), on the worker's thread. */
    void updateRegion(int slot, long address, long length, java.util.function.IntConsumer done) {
        control(() -> done.accept(closed ? -Errno.EBADF : ring.updateBuffer(slot, address, length)));
    }

    @Override
    public void cancelAll() {
        control(() -> {
            if (closed) {
                return;
            }
            for (int slot = 0; slot < ops.length; slot++) {
                if (ops[slot] != null) {
                    cancel(((long) generations[slot] << 32) | slot);
                }
            }
        });
    }

    private void runControl() {
        controlPending = false;
        Runnable m;
        while ((m = controlQueue.poll()) != null) {
            m.run();
        }
    }

    /** The ring, for control messages that run on this driver's thread (region registration). */
    Ring ring() {
        return ring;
    }

    private void armWake() {
        long sqe = sqe();
        ring.prepare(sqe, Abi.OP_READ, wakeHandle.fd(), wakeBuffer.address(), 8, 0, WAKE_TOKEN);
        wakeArmed = true;
    }

    // -----------------------------------------------------------------------------------------
    // The operation table (owner thread only)

    /** A fresh SQE; submits the queued ones first if the SQ is full. */
    private long sqe() {
        long sqe = ring.nextSqe();
        while (sqe < 0) {
            int r = ring.submit();
            if (r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY) {
                throw new IllegalStateException("io_uring_enter failed while submitting: " + Errno.name(r));
            }
            if (r <= 0) {
                ring.submitAndGetEvents(); // make room: run deferred completions
                ring.reap(completions);
            }
            sqe = ring.nextSqe();
        }
        return sqe;
    }

    /** Takes a slot for {@code op}: its token. */
    private long track(Op op) {
        if (freeCount == 0) {
            grow();
        }
        int slot = free[--freeCount];
        ops[slot] = op;
        inFlight++;
        OPERATIONS.setOpaque(this, operations + 1); // read by stats from any thread
        op.slot = slot;
        return ((long) generations[slot] << 32) | slot;
    }

    private void grow() {
        int n = ops.length;
        ops = java.util.Arrays.copyOf(ops, n * 2);
        generations = java.util.Arrays.copyOf(generations, n * 2);
        free = java.util.Arrays.copyOf(free, n * 2);
        MemorySegment ts = arena.allocate(16L * n * 2, 8);
        MemorySegment.copy(timespecs, 0, ts, 0, timespecs.byteSize());
        timespecs = ts;
        for (int i = n * 2 - 1; i >= n; i--) {
            generations[i] = 1;
            free[freeCount++] = i;
        }
    }

    private final class Completions implements Ring.CompletionHandler {
        @Override
        public void complete(long userData, int res, int flags) {
            if (userData == WAKE_TOKEN) {
                wakeArmed = false;
                return;
            }
            if (userData == IGNORED_TOKEN) {
                return;
            }
            int slot = (int) userData;
            int generation = (int) (userData >>> 32);
            if (slot < 0 || slot >= ops.length || generations[slot] != generation || ops[slot] == null) {
                staleCompletions++;
                return;
            }
            Op op = ops[slot];
            if ((flags & Abi.CQE_F_MORE) == 0) {
                ops[slot] = null;
                generations[slot] = (generation + 1) & 0x7fff_ffff | 1; // never 0: token 0 is reserved
                free[freeCount++] = slot;
                inFlight--;
            }
            try {
                op.complete(UringDriver.this, res, flags);
            } catch (RuntimeException | Error e) {
                // A failure stays with the operation: its task gets EFAULT, the worker goes on.
                op.res = -Errno.EFAULT;
                op.done = true;
                LockSupport.unpark(op.waiter);
            }
        }
    }

    /** Owner thread: cancels the operation with {@code token} if it is still in flight. */
    void cancelIfInFlight(long token) {
        if (!closed) {
            cancel(token);
        }
    }

    /** Asks the kernel to cancel the operation with {@code token}, if it is still in flight. */
    private void cancel(long token) {
        int slot = (int) token;
        if (slot >= ops.length || ops[slot] == null || generations[slot] != (int) (token >>> 32)) {
            return; // ended meanwhile
        }
        long sqe = sqe();
        ring.prepare(sqe, Abi.OP_ASYNC_CANCEL, -1, token, 0, 0, IGNORED_TOKEN);
    }

    /**
     * The provided-buffer ring for receives into heap buffers, registered on first use (4 MiB a
     * worker: a runtime that never receives into heap memory does not pay for it); null before
     * Linux 5.19, where such receives use staging buffers. Owner thread.
     */
    private BufferRing recvBuffers() {
        if (!recvBuffersTried) {
            recvBuffersTried = true;
            if (noProvidedBuffers) {
                return null;
            }
            try {
                recvBuffers = BufferRing.register(ring, RECV_GROUP, RECV_BUFFERS, RECV_BUFFER_SIZE);
                PROVIDED_BYTES.setOpaque(this, (long) RECV_BUFFERS * (RECV_BUFFER_SIZE + Abi.BUF_SIZE));
            } catch (ErrnoException e) {
                recvBuffers = null;
            }
        }
        return recvBuffers;
    }

    private MemorySegment takeStaging() {
        return staging.take();
    }

    private void releaseStaging(MemorySegment s) {
        staging.give(s); // beyond the kept ones, unmapped at once
    }

    @Override
    public long stagingBytes() {
        return staging.bytesHeld();
    }

    @Override
    public long providedBytes() {
        return (long) PROVIDED_BYTES.getOpaque(this);
    }

    /** Native memory of the provided-buffer ring; written on the owner thread, read by stats. */
    private long providedBytes;

    // -----------------------------------------------------------------------------------------
    // Operations

    /** One operation a task waits for. Result fields are written by the worker before {@code done}. */
    static class Op {
        final Thread waiter = Thread.currentThread();
        // subclass: AcceptQueue (a multishot accept, many CQEs)
        int slot;
        int res;
        int flags;
        volatile boolean done;
        /** Memory the kernel reads or writes until completion: kept reachable until then. */
        Object keepAlive;
        /** A heap buffer to copy received bytes into at completion (from a staging or provided buffer). */
        ByteBuffer heapDst;
        MemorySegment staging;

        /**
         * The driver closed with this operation in flight. A task's operation cannot be in
         * flight then (the runtime terminates only when every task has ended); only an operation
         * that outlives its task (a multishot accept) has something to give back.
         */
        void abandoned() {
        }

        /** On the driver's thread: takes the CQE. */
        void complete(UringDriver d, int res, int flags) {
            if ((flags & Abi.CQE_F_BUFFER) != 0) {
                int id = flags >>> Abi.CQE_BUFFER_SHIFT;
                if (res > 0) {
                    copyInto(heapDst, d.recvBuffers.buffer(id), res);
                }
                d.recvBuffers.recycle(id);
            } else if (staging != null) {
                if (heapDst != null && res > 0) {
                    copyInto(heapDst, staging, res);
                }
                d.releaseStaging(staging);
                staging = null;
            }
            this.res = res;
            this.flags = flags;
            this.done = true;
            LockSupport.unpark(waiter);
        }
    }

    private static void copyInto(ByteBuffer dst, MemorySegment src, int n) {
        MemorySegment.copy(src, JAVA_BYTE, 0, dst.array(), dst.arrayOffset() + dst.position(), n);
    }

    /**
     * Submits the SQE the caller prepared for {@code op} (with a linked timeout if
     * {@code timeoutNanos >= 0}) and parks until it completes.
     *
     * @return the CQE's result; {@code -ETIMEDOUT} if the timeout cancelled it
     */
    private int await(Op op, long sqe, long token, long timeoutNanos) throws InterruptedIOException {
        if (timeoutNanos >= 0) {
            ring.addFlags(sqe, Abi.SQE_IO_LINK); // keep BUFFER_SELECT
            long ts = (long) op.slot * 16;
            timespecs.set(JAVA_LONG, ts, timeoutNanos / 1_000_000_000L);
            timespecs.set(JAVA_LONG, ts + 8, timeoutNanos % 1_000_000_000L);
            long t = sqe();
            ring.prepare(t, Abi.OP_LINK_TIMEOUT, -1, timespecs.address() + ts, 1, 0, IGNORED_TOKEN);
        }
        boolean cancelled = false;
        while (!op.done) {
            LockSupport.park(op);
            // An interrupt makes park return at once: clear it while the cancel goes through (the
            // kernel may still write into the buffer until the CQE), and set it again after.
            if (Thread.interrupted() && !cancelled) {
                cancelled = true;
                requestCancel(token);
            }
        }
        if (cancelled) {
            Thread.currentThread().interrupt();
        }
        Scheduler.resumed();
        int res = op.res;
        if (res == -Errno.ECANCELED) {
            if (cancelled) {
                throw new InterruptedIOException("the task was cancelled while it waited for I/O");
            }
            if (group != null && group.isShuttingDown()) {
                throw new InterruptedIOException("the runtime shut down while the task waited for I/O");
            }
            return -Errno.ETIMEDOUT;
        }
        return res;
    }

    /** Cancels from wherever the task now runs: directly on this driver's thread, else by a control message. */
    private void requestCancel(long token) {
        if (current() == this) {
            cancel(token);
        } else {
            control(() -> cancel(token));
        }
    }

    private static UringSocket socket(SocketHandle s) {
        if (s instanceof UringSocket u) {
            return u;
        }
        throw new IllegalArgumentException(s + " belongs to another I/O backend than this runtime's (io_uring)");
    }

    /** An operation on a socket, run while {@link #holding} keeps its descriptor open. */
    private interface SocketOp {
        long run(UringSocket s) throws InterruptedIOException;
    }

    /**
     * Runs {@code op} while the socket's use count keeps its descriptor open (see
     * {@link UringSocket}); -EBADF if it is closed: its descriptor number may belong to another
     * file now.
     */
    private static long holding(SocketHandle socket, SocketOp op) throws InterruptedIOException {
        UringSocket s = socket(socket);
        if (!s.acquire()) {
            return -Errno.EBADF;
        }
        try {
            return op.run(s);
        } finally {
            s.release();
        }
    }

    @Override
    public SocketHandle listen(InetSocketAddress address, int backlog, SocketConfig config) throws ErrnoException {
        UringSocket s = UringSocket.open(SockAddr.family(address));
        try {
            if (config.reuseAddress()) {
                s.setInt(UringSocket.SOL_SOCKET, UringSocket.SO_REUSEADDR, 1, "SO_REUSEADDR");
            }
            if (config.reusePort()) {
                s.setInt(UringSocket.SOL_SOCKET, UringSocket.SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            s.configureBuffers(config);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment sa = a.allocate(SockAddr.MAX_SIZE, 8);
                int len = SockAddr.write(address, sa);
                MemorySegment errno = Libc.errnoState();
                int r = Libc.bind(errno, s.fd, sa.address(), len);
                if (r < 0) {
                    throw new ErrnoException("bind to " + address, r);
                }
                r = Libc.listen(errno, s.fd, backlog);
                if (r < 0) {
                    throw new ErrnoException("listen on " + address + " (backlog " + backlog + ")", r);
                }
            }
            return s;
        } catch (ErrnoException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public SocketHandle accept(SocketHandle listener, long timeoutNanos, SocketConfig config)
            throws ErrnoException, InterruptedIOException {
        UringSocket l = socket(listener);
        int r;
        if (multishotAccept) {
            r = l.acceptQueue().take(timeoutNanos < 0 ? 0 : System.nanoTime() + Math.max(1, timeoutNanos));
        } else {
            r = (int) holding(l, held -> {
                Op op = new Op();
                long token = track(op);
                long sqe = sqe();
                ring.prepare(sqe, Abi.OP_ACCEPT, held.fd, 0, 0, 0, token);
                ring.setOpFlags(sqe, UringSocket.SOCK_CLOEXEC);
                return await(op, sqe, token, timeoutNanos);
            });
        }
        if (r < 0) {
            throw new ErrnoException("accept on " + l, r);
        }
        UringSocket s = new UringSocket(r);
        try {
            s.configureStream(config);
        } catch (ErrnoException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Submits a multishot accept on this driver's ring for {@code queue}. Owner thread. */
    void armAccept(AcceptQueue queue, int listenerFd) {
        long token = track(queue); // the queue holds a use of the listener until its last CQE
        queue.armed(this, token);
        long sqe = sqe();
        ring.prepare(sqe, Abi.OP_ACCEPT, listenerFd, 0, 0, 0, token);
        ring.setOpFlags(sqe, UringSocket.SOCK_CLOEXEC);
        ring.setIoprio(sqe, Abi.ACCEPT_MULTISHOT);
    }

    @Override
    public SocketHandle connect(InetSocketAddress address, long timeoutNanos, SocketConfig config)
            throws ErrnoException, InterruptedIOException {
        UringSocket s = UringSocket.open(SockAddr.family(address));
        try {
            s.configureStream(config);
            Op op = new Op();
            op.staging = takeStaging();
            int len = SockAddr.write(address, op.staging);
            long token = track(op);
            long sqe = sqe();
            ring.prepare(sqe, Abi.OP_CONNECT, s.fd, op.staging.address(), 0, len, token);
            int r = await(op, sqe, token, timeoutNanos);
            if (r < 0) {
                throw new ErrnoException("connect to " + address, r);
            }
            return s;
        } catch (ErrnoException | InterruptedIOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public int read(SocketHandle socket, ByteBuffer dst, long timeoutNanos) throws InterruptedIOException {
        return (int) holding(socket, s -> readBuffer(socket, dst, timeoutNanos));
    }

    private int readBuffer(SocketHandle socket, ByteBuffer dst, long timeoutNanos) throws InterruptedIOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        int fd = socket(socket).fd;
        int want = dst.remaining();
        if (want == 0) {
            return 0;
        }
        if (!dst.isDirect() && recvBuffers() == null) {
            return readStaged(socket, dst, timeoutNanos); // no provided buffers (before Linux 5.19)
        }
        Op op = new Op();
        long token = track(op);
        long sqe = sqe();
        if (dst.isDirect()) {
            op.keepAlive = dst;
            ring.prepare(sqe, Abi.OP_RECV, fd, MemorySegment.ofBuffer(dst).address(), want, 0, token);
        } else {
            op.heapDst = dst;
            ring.prepare(sqe, Abi.OP_RECV, fd, 0, Math.min(want, RECV_BUFFER_SIZE), 0, token);
            ring.setFlags(sqe, Abi.SQE_BUFFER_SELECT);
            ring.setBufIndex(sqe, RECV_GROUP);
        }
        int r = await(op, sqe, token, timeoutNanos);
        if (r == -Errno.ENOBUFS) {
            return readStaged(socket, dst, timeoutNanos); // every provided buffer was taken: use a staging one
        }
        if (r > 0) {
            dst.position(dst.position() + r);
        }
        return r;
    }

    /**
     * Receives into a heap buffer through a staging buffer that is held only while data is there:
     * waits for readability first ({@code POLL_ADD}, which names no memory), then receives without
     * waiting ({@code MSG_DONTWAIT}) and copies. A receive that finds nothing after all waits again.
     * So a thousand idle heap reads hold no staging memory. (A receive into a provided buffer
     * needs none of this: the kernel picks the buffer when data arrives.)
     */
    private int readStaged(SocketHandle socket, ByteBuffer dst, long timeoutNanos) throws InterruptedIOException {
        int fd = socket(socket).fd;
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        while (true) {
            UringDriver d = current(); // the task may resume on another worker after each wait
            Op ready = new Op();
            long token = d.track(ready);
            long sqe = d.sqe();
            d.ring.prepare(sqe, Abi.OP_POLL_ADD, fd, 0, 0, 0, token);
            d.ring.setOpFlags(sqe, POLLIN);
            long left = timeoutNanos < 0 ? NO_TIMEOUT : Math.max(0, deadline - System.nanoTime());
            int r = d.await(ready, sqe, token, left);
            if (r < 0) {
                return r; // -ETIMEDOUT, or the socket's error
            }
            d = current();
            Op op = new Op();
            op.heapDst = dst;
            op.staging = d.takeStaging();
            token = d.track(op);
            sqe = d.sqe();
            d.ring.prepare(sqe, Abi.OP_RECV, fd, op.staging.address(), Math.min(dst.remaining(), STAGING_SIZE), 0, token);
            d.ring.setOpFlags(sqe, MSG_DONTWAIT);
            r = d.await(op, sqe, token, NO_TIMEOUT);
            if (r != -Errno.EAGAIN) {
                if (r > 0) {
                    dst.position(dst.position() + r);
                }
                return r;
            }
        }
    }

    @Override
    public int read(SocketHandle socket, MemorySegment dst, long timeoutNanos) throws InterruptedIOException {
        return (int) holding(socket, s -> readSegment(socket, dst, timeoutNanos));
    }

    private int readSegment(SocketHandle socket, MemorySegment dst, long timeoutNanos) throws InterruptedIOException {
        if (!dst.isNative()) {
            return readBuffer(socket, dst.asByteBuffer(), timeoutNanos); // copied from a provided buffer
        }
        int fd = socket(socket).fd;
        int want = (int) Math.min(dst.byteSize(), Integer.MAX_VALUE);
        if (want == 0) {
            return 0;
        }
        Op op = new Op();
        op.keepAlive = dst;
        long token = track(op);
        long sqe = sqe();
        ring.prepare(sqe, Abi.OP_RECV, fd, dst.address(), want, 0, token);
        return await(op, sqe, token, timeoutNanos);
    }

    @Override
    public int write(SocketHandle socket, ByteBuffer src, long timeoutNanos) throws InterruptedIOException {
        return (int) holding(socket, s -> writeBuffer(socket, src, timeoutNanos));
    }

    private int writeBuffer(SocketHandle socket, ByteBuffer src, long timeoutNanos) throws InterruptedIOException {
        int fd = socket(socket).fd;
        int n = src.remaining();
        if (n == 0) {
            return 0;
        }
        Op op = new Op();
        long address;
        if (src.isDirect()) {
            op.keepAlive = src;
            address = MemorySegment.ofBuffer(src).address();
        } else {
            op.staging = takeStaging();
            n = Math.min(n, STAGING_SIZE);
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, op.staging, 0, n); // works for read-only buffers too
            address = op.staging.address();
        }
        long token = track(op);
        long sqe = sqe();
        ring.prepare(sqe, Abi.OP_SEND, fd, address, n, 0, token);
        ring.setOpFlags(sqe, MSG_NOSIGNAL);
        int r = await(op, sqe, token, timeoutNanos);
        if (r > 0) {
            src.position(src.position() + r);
        }
        return r;
    }

    @Override
    public int write(SocketHandle socket, MemorySegment src, long timeoutNanos) throws InterruptedIOException {
        return (int) holding(socket, s -> writeSegment(socket, src, timeoutNanos));
    }

    private int writeSegment(SocketHandle socket, MemorySegment src, long timeoutNanos) throws InterruptedIOException {
        if (!src.isNative()) {
            return writeBuffer(socket, src.asByteBuffer(), timeoutNanos); // copied to a staging buffer
        }
        int fd = socket(socket).fd;
        int n = (int) Math.min(src.byteSize(), Integer.MAX_VALUE);
        if (n == 0) {
            return 0;
        }
        Op op = new Op();
        op.keepAlive = src;
        long token = track(op);
        long sqe = sqe();
        ring.prepare(sqe, Abi.OP_SEND, fd, src.address(), n, 0, token);
        ring.setOpFlags(sqe, MSG_NOSIGNAL);
        return await(op, sqe, token, timeoutNanos);
    }

    @Override
    public long write(SocketHandle socket, ByteBuffer[] srcs, long timeoutNanos) throws InterruptedIOException {
        return holding(socket, s -> writeGather(socket, srcs, timeoutNanos));
    }

    private long writeGather(SocketHandle socket, ByteBuffer[] srcs, long timeoutNanos) throws InterruptedIOException {
        int fd = socket(socket).fd;
        // Gather into one staging buffer (a copy, bounded by its size), then one send. Direct
        // buffers could go as an iovec array with SENDMSG; one copy of a small gather costs less
        // than the msghdr set-up, and large writes go through write(ByteBuffer) anyway.
        Op op = new Op();
        op.staging = takeStaging();
        int n = 0;
        for (ByteBuffer b : srcs) {
            int take = Math.min(b.remaining(), STAGING_SIZE - n);
            MemorySegment.copy(MemorySegment.ofBuffer(b), 0, op.staging, n, take);
            n += take;
            if (n == STAGING_SIZE) {
                break;
            }
        }
        if (n == 0) {
            releaseStaging(op.staging);
            return 0;
        }
        long token = track(op);
        long sqe = sqe();
        ring.prepare(sqe, Abi.OP_SEND, fd, op.staging.address(), n, 0, token);
        ring.setOpFlags(sqe, MSG_NOSIGNAL);
        int r = await(op, sqe, token, timeoutNanos);
        if (r > 0) {
            int left = r;
            for (ByteBuffer b : srcs) {
                int step = Math.min(left, b.remaining());
                b.position(b.position() + step);
                left -= step;
                if (left == 0) {
                    break;
                }
            }
        }
        return r;
    }

    @Override
    public int writeRegion(SocketHandle socket, int slot, int generation, long offset, int length,
                           long timeoutNanos) throws InterruptedIOException {
        RegionRegistry regions = regions();
        MemorySegment region = regions.acquire(slot, generation, offset, length);
        try { // the use lasts until the send's completion: unregister waits for it
            return (int) holding(socket, s -> {
                if (fixedSend) {
                    int r = writeFixed(socket, slot, region, offset, length, timeoutNanos);
                    if (r != -Errno.EINVAL) {
                        return r;
                    }
                    // EINVAL: this kernel's SEND takes no fixed buffer (before Linux 6.10); send from
                    // the address, which the region keeps valid. (The flag is a hint read on any
                    // worker: a stale read costs one more EINVAL, never a wrong send.)
                    fixedSend = false;
                }
                return current().sendFrom(s, region, offset, length, timeoutNanos);
            });
        } finally {
            regions.release(slot);
        }
    }

    private static volatile boolean fixedSend = true;

    private int sendFrom(UringSocket s, MemorySegment region, long offset, int length, long timeoutNanos)
            throws InterruptedIOException {
        Op op = new Op();
        op.keepAlive = region;
        long token = track(op);
        long sqe = sqe();
        ring.prepare(sqe, Abi.OP_SEND, s.fd, region.address() + offset, length, 0, token);
        ring.setOpFlags(sqe, MSG_NOSIGNAL);
        return await(op, sqe, token, timeoutNanos);
    }

    @Override
    public int readRegion(SocketHandle socket, int slot, int generation, long offset, int length,
                          long timeoutNanos) throws InterruptedIOException {
        RegionRegistry regions = regions();
        MemorySegment region = regions.acquire(slot, generation, offset, length);
        try { // the use lasts until the receive's completion: unregister waits for it
            return read(socket, region.asSlice(offset, length), timeoutNanos);
        } finally {
            regions.release(slot);
        }
    }

    private RegionRegistry regions() {
        if (group == null || group.regions() == null) {
            throw new IllegalStateException("this driver belongs to no runtime with registered regions");
        }
        return group.regions();
    }

    /**
     * Sends {@code length} bytes at {@code offset} in registered region slot {@code slot}
     * ({@code SEND} with {@code IORING_RECVSEND_FIXED_BUF}).
     */
    int writeFixed(SocketHandle socket, int slot, MemorySegment region, long offset, int length, long timeoutNanos)
            throws InterruptedIOException {
        int fd = socket(socket).fd;
        Op op = new Op();
        op.keepAlive = region;
        long token = track(op);
        long sqe = sqe();
        ring.prepare(sqe, Abi.OP_SEND, fd, region.address() + offset, length, 0, token);
        ring.setOpFlags(sqe, MSG_NOSIGNAL);
        ring.setIoprio(sqe, Abi.RECVSEND_FIXED_BUF);
        ring.setBufIndex(sqe, slot);
        return await(op, sqe, token, timeoutNanos);
    }

    private static final java.lang.invoke.VarHandle OPERATIONS;
    private static final java.lang.invoke.VarHandle PROVIDED_BYTES;

    static {
        try {
            OPERATIONS = java.lang.invoke.MethodHandles.lookup().findVarHandle(UringDriver.class, "operations", long.class);
            PROVIDED_BYTES = java.lang.invoke.MethodHandles.lookup().findVarHandle(UringDriver.class, "providedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString() {
        return "io_uring driver (ring fd " + ring.fd() + ", " + inFlight + " in flight)";
    }
}
