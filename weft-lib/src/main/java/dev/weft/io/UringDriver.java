package dev.weft.io;

import dev.weft.sched.CarrierPin;
import dev.weft.sched.Scheduler;
import dev.weft.uring.Abi;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.Libc;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Ring;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker's io_uring driver: its {@link Ring} and the socket operations on it. The driver's other
 * jobs live in their own classes: the operations in flight in an {@link OperationTable}, the
 * handling of their CQEs in {@link UringCompletions} and {@link UringOp} (where a CQE becomes a
 * wake-up), the worker's sleep and wake-up in {@link UringWakeup}, the messages other threads post
 * in a {@link ControlMailbox}, and the buffers that stand in for heap memory in
 * {@link ProvidedBuffers} (receives) and {@link StagingBuffers} (sends, gathers, addresses).
 *
 * <h2>An operation's life</h2>
 * A task running on this driver's worker takes a slot in the operation table, writes an SQE whose
 * {@code user_data} is the slot's token and parks. The SQE is only queued: the worker submits
 * every queued SQE with one {@code io_uring_enter} when it next polls (every 64 tasks, when its
 * run queue runs dry, and when it sleeps). When the CQE arrives the worker looks the token up,
 * stores the result in the operation, sets its {@code done} flag (volatile) and unparks the task
 * ({@link UringCompletions}).
 *
 * <h2>Threads</h2>
 * The ring, the table, the buffer pools and the counters are touched only on the worker's
 * thread: by the worker's loop, or by a task mounted on it while it submits. After a task parks
 * it may resume on another worker; from then on it touches only its operation object, whose
 * result fields are published by the {@code done} write. To cancel (its thread was interrupted)
 * it posts a control message ({@link #control}) that the owning worker runs at its next poll.
 *
 * <h2>Timeouts and cancellation</h2>
 * A timeout is an {@code IORING_OP_LINK_TIMEOUT} linked to the operation: the operation ends with
 * {@code -ECANCELED}, reported as {@code -ETIMEDOUT}. A cancelled task's operation gets an
 * {@code IORING_OP_ASYNC_CANCEL}; the task still waits for the operation's own CQE (the kernel
 * may be writing into its buffer until then), then throws {@link InterruptedIOException}, unless
 * the operation completed first, in which case its result stands (an accepted socket is never
 * dropped).
 *
 * <h2>Staying on the worker</h2>
 * Since JDK 24 a virtual thread blocked on a contended lock may resume on another carrier, and
 * code here takes such locks unawares (an FFM call's errno capture state registers with the
 * JDK's cleaner; closing a descriptor allocates one). A task that moved between taking an SQE
 * and parking would go on with the first worker's ring and table from another thread, and a
 * runner that moved in {@link #poll()} would finish its worker's search elsewhere. So every
 * operation runs pinned ({@link CarrierPin}) from the moment it picks its driver until it
 * parks, and again from when it resumes; {@link #poll()} runs pinned; {@link #park()} runs on the
 * worker's own thread.
 */
public final class UringDriver implements IoDriver {

    /** SQ entries per worker ring; the CQ gets four times as many. */
    static final int RING_ENTRIES = 1024;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int POLLIN = 0x1;

    private final Ring ring;
    private final KernelFeatures kernel;
    /** Multishot accept (Linux 5.19), unless -Dweft.io.singleAccept=true asks for one SQE per accept. */
    private final boolean multishotAccept;
    private final UringWakeup wakeup;
    private final ControlMailbox mailbox;
    private final OperationTable table = new OperationTable();
    private final UringCompletions completions;
    private final StagingBuffers staging;
    private final ProvidedBuffers provided;
    private IoGroup group;
    private boolean closed;
    /**
     * Why this driver failed, or null: written once by the owner ({@link #fail}), read by tasks on
     * any worker and by stats.
     */
    private volatile IOException failure;
    /** Owner: the failure left operations in the kernel that could not be reaped (see {@link #fail}). */
    private boolean undrained;
    /** Owner: the operations an undrained failure left in the kernel, kept with the driver. */
    private java.util.List<UringOp> kept = java.util.List.of();
    /**
     * Drivers that failed without draining: the memory their operations named (buffers, the
     * timespecs, the staging and provided buffers) stays reachable from here and is never freed,
     * since the kernel may still write into it.
     */
    private static final java.util.Queue<UringDriver> UNDRAINED = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** How long a failed driver waits for the CQEs of what it cancelled before it gives up on them. */
    private static final long DRAIN_NANOS = 2_000_000_000L;
    /** Polls that found completions in the kernel's overflow backlog (the CQ was full); owner writes, stats read. */
    private long cqOverflows;
    /** The kernel's count of completions it dropped (CQ full, no memory for its backlog); owner writes, stats read. */
    private long cqDropped;

    private UringDriver(Ring ring, KernelFeatures kernel, UringWakeup wakeup) {
        this.ring = ring;
        this.kernel = kernel;
        this.staging = new StagingBuffers();
        this.multishotAccept = kernel.multishotAccept() && !Boolean.getBoolean("weft.io.singleAccept");
        this.wakeup = wakeup;
        this.mailbox = new ControlMailbox(wakeup);
        this.completions = new UringCompletions(this, table, wakeup);
        this.provided = new ProvidedBuffers(ring);
    }

    /**
     * Creates a driver with its ring (disabled until {@link #attach()} on the worker's thread),
     * using only what {@code features} says the kernel has.
     *
     * @throws ErrnoException when the kernel refuses io_uring, with the errno and a hint
     */
    static UringDriver open(UringKernel source, KernelFeatures features) throws ErrnoException {
        Ring ring = source.open(RING_ENTRIES, features);
        UringWakeup wake = null;
        try {
            wake = UringWakeup.open();
            return new UringDriver(ring, features, wake);
        } catch (ErrnoException | RuntimeException | Error e) {
            if (wake != null) {
                wake.close();
            }
            ring.close();
            throw e;
        }
    }

    /** What the kernel's io_uring supports, as this driver uses it. */
    public KernelFeatures kernel() {
        return kernel;
    }

    /** The driver of the worker the calling task runs on, or null. */
    static UringDriver current() {
        return Scheduler.currentDriver() instanceof UringDriver u ? u : null;
    }

    // -----------------------------------------------------------------------------------------
    // Driver

    @Override
    public void attach() {
        wakeup.attach(Thread.currentThread());
        try {
            ring.enable();
        } catch (ErrnoException e) {
            throw new IllegalStateException("could not enable the worker's io_uring ring: " + e.getMessage(), e);
        }
        // No fixed-buffer table yet: the region registry creates it at the first registration
        // (createRegionTable), so a kernel without one still runs everything else.
    }

    /** Pinned: a runner searching for work calls it from a virtual thread (see the class comment). */
    @Override
    public void poll() {
        CarrierPin.enter();
        try {
            pollPinned();
        } finally {
            CarrierPin.exit();
        }
    }

    private void pollPinned() {
        if (mailbox.pending()) {
            mailbox.runPending();
        }
        if (failure != null) {
            reapAfterFailure(0); // what the drain did not end yet (see fail)
            return;
        }
        boolean needsEnter = ring.needsEnter();
        if (needsEnter && ring.cqOverflowed()) {
            countOverflow();
        }
        if (ring.queued() > 0 || needsEnter) {
            // needsEnter: deferred completions wait for us (TASKRUN_FLAG)
            if (failed(ring.submitAndGetEvents(), "submitting")) {
                return;
            }
        }
        ring.reap(completions);
    }

    /** Whether {@code r}, an {@code io_uring_enter} result, is an error that ends this driver (which then failed). */
    private boolean failed(int r, String what) {
        if (!hardEnterError(r)) {
            return false;
        }
        fail(new ErrnoException("io_uring_enter (" + what + ") on " + this, r));
        return true;
    }

    @Override
    public boolean busy() {
        return table.inFlight() > 0 || ring.queued() > 0 || mailbox.pending();
    }

    /** Sleeps on the thread's permit with nothing in flight, else in the kernel: see {@link UringWakeup}. */
    @Override
    public void park() {
        if (mailbox.pending()) {
            // A message may have made tasks runnable, queued on this worker (its acknowledgement
            // unparked a task: the JDK hands the task to this thread's own queue without a wake):
            // return without sleeping, so that the worker looks at its queue; a spurious return
            // is allowed. ControlMessageWakeTest.
            mailbox.runPending();
            return;
        }
        if (failure != null && !undrained && (table.inFlight() > 0 || wakeup.armed())) {
            reapAfterFailure(10_000_000L); // failed, CQEs still due: wait for them in short slices
            return;
        }
        if (failure != null || table.inFlight() == 0 && ring.queued() == 0 && !mailbox.pending()) {
            // Nothing of ours is in the kernel, so no completion can come: sleep on the thread's
            // park permit, which a wake-up costs less to hand over than an eventfd completion.
            // (A failed driver sleeps so once nothing of its is in the kernel.)
            wakeup.sleepOnPermit(this);
            return;
        }
        if (!wakeup.armed()) {
            long sqe = sqe();
            if (sqe < 0) {
                return; // failed meanwhile
            }
            wakeup.arm(ring, sqe);
        }
        if (failed(wakeup.sleepInKernel(ring), "waiting")) {
            return;
        }
        ring.reap(completions);
        int dropped = ring.cqDropped();
        if (dropped != cqDropped) {
            CQ_DROPPED.setOpaque(this, (long) dropped);
        }
    }

    /** The CQ was full and completions wait in the kernel's backlog: counted, and the drop counter read too. */
    private void countOverflow() {
        CQ_OVERFLOWS.setOpaque(this, cqOverflows + 1);
        CQ_DROPPED.setOpaque(this, (long) ring.cqDropped());
    }

    @Override
    public long cqOverflows() {
        return (long) CQ_OVERFLOWS.getOpaque(this);
    }

    @Override
    public long cqDropped() {
        return (long) CQ_DROPPED.getOpaque(this);
    }

    /** Wakes the worker wherever it sleeps: see {@link UringWakeup}. */
    @Override
    public void wake() {
        wakeup.wake();
    }

    /**
     * Closes the mailbox first (what is pending runs, and sees the driver closed), then the ring
     * and the pools. Idempotent: a worker closes its driver as it exits, and a runtime that failed
     * to start may close it again.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        mailbox.close(); // answer what waits (a region update fails with EBADF once closed)
        if (!undrained && (table.inFlight() > 0 || wakeup.armed()) && drain(DRAIN_NANOS) != DRAINED) {
            undrained = true; // the kernel did not give everything back: keep the memory
        }
        closed = true;
        table.abandonAll();
        if (undrained) {
            // The kernel may still write into what the stuck operations named: close the ring (the
            // kernel cancels what it holds) and keep every buffer, for good (see fail).
            ring.close();
            wakeup.closeKeepingBuffer();
            UNDRAINED.add(this);
            return;
        }
        provided.close();
        ring.close(); // cancels what is still in flight
        wakeup.close();
        staging.close();
        table.close();
    }

    // -----------------------------------------------------------------------------------------
    // Failure

    /**
     * On the owner's thread: this driver cannot go on ({@code cause}: an {@code io_uring_enter}
     * error other than EINTR, EAGAIN, EBUSY, ETIME or EBADR; or anything {@link #poll()} or
     * {@link #park()} threw, such as a throwing control message). In order:
     * <ol>
     *   <li>records the failure and marks the runtime's I/O failed ({@link IoGroup#failed}: one
     *       log line; every other driver cancels what it has in flight; every operation that
     *       starts from now on, anywhere, fails at once with a {@link DriverFailedException});</li>
     *   <li>cancels everything in flight (one {@code ASYNC_CANCEL} with {@code CANCEL_ALL | CANCEL_ANY}
     *       where the kernel has it, else one per operation, as many at a time as the SQ holds)
     *       and reaps CQEs until none is in flight, for at most {@link #DRAIN_NANOS}: each
     *       operation ends with its own CQE, so its memory is given back only once the kernel is
     *       done with it, and its task throws a {@link DriverFailedException} (an operation that
     *       completed first keeps its result). What is still in flight after that stays so:
     *       {@link #poll()} and {@link #park()} go on reaping it;</li>
     *   <li>only if the kernel cannot be entered any more (three hard errors in a row) are the
     *       operations in flight failed without their CQE; the memory they named is then never
     *       freed ({@link #close()} keeps it), their tasks are told that the kernel may still write
     *       into their buffers ({@link DriverFailedException#bufferStillInKernel()}), and a
     *       registered region they used keeps that use (its unregister waits for good).</li>
     * </ol>
     * The worker goes on running tasks; with nothing in flight {@link #park()} sleeps on the
     * thread's permit. Idempotent.
     */
    @Override
    public void fail(Throwable cause) {
        if (failure != null || closed) {
            return;
        }
        IOException f = new IOException("the io_uring driver of " + wakeup.ownerName() + " failed: " + cause, cause);
        failure = f;
        if (group != null) {
            group.failed(f);
        }
        if (drain(DRAIN_NANOS) == UNENTERABLE) {
            abandonInKernel();
        }
    }

    /** Owner: the kernel cannot be entered: fails what is in flight without its CQE and keeps its memory. */
    private void abandonInKernel() {
        undrained = true;
        java.util.List<UringOp> stuck = new java.util.ArrayList<>();
        table.takeAll(stuck::add);
        kept = stuck;
        for (UringOp op : stuck) {
            op.inKernel = true;
            op.fail(-Errno.ECANCELED);
        }
    }

    private static final int DRAINED = 0;
    private static final int PENDING = 1;
    private static final int UNENTERABLE = 2;

    /**
     * Owner, failed or closing: cancels everything in flight and reaps until none is, for at most
     * {@code nanos}; the cancels are sent again every 100 ms while something is left.
     *
     * @return {@link #DRAINED}, {@link #PENDING} (time ran out with operations in flight), or
     *         {@link #UNENTERABLE} (three hard {@code io_uring_enter} errors in a row)
     */
    private int drain(long nanos) {
        long now = System.nanoTime();
        long deadline = now + nanos;
        long resend = now;
        long[] cancels = new long[0];
        int next = 0;
        int errors = 0;
        while (table.inFlight() > 0 || wakeup.armed()) {
            if (next == cancels.length && now - resend >= 0) {
                cancels = cancelTargets();
                next = 0;
                resend = now + 100_000_000L;
            }
            while (next < cancels.length && ring.sqSpace() > 0) {
                long target = cancels[next++];
                long sqe = ring.nextSqe();
                ring.prepare(sqe, Abi.OP_ASYNC_CANCEL, -1, target, 0, 0, OperationTable.IGNORED_TOKEN);
                if (target == OperationTable.IGNORED_TOKEN) {
                    ring.setOpFlags(sqe, Abi.ASYNC_CANCEL_ALL | Abi.ASYNC_CANCEL_ANY);
                }
            }
            int r = ring.submitAndWait(1, 10_000_000L);
            if (hardEnterError(r)) {
                if (++errors == 3) {
                    return UNENTERABLE;
                }
            } else {
                errors = 0;
            }
            ring.reap(completions);
            now = System.nanoTime();
            if (now - deadline > 0) {
                return table.inFlight() > 0 || wakeup.armed() ? PENDING : DRAINED;
            }
        }
        return DRAINED;
    }

    /**
     * What to cancel: everything at once where the kernel has {@code CANCEL_ANY} (the target
     * {@link OperationTable#IGNORED_TOKEN} stands for that), else the token of every operation in
     * flight and of the wake-up's read.
     */
    private long[] cancelTargets() {
        if (kernel.cancelAll()) {
            return new long[] {OperationTable.IGNORED_TOKEN};
        }
        long[] targets = new long[table.inFlight() + (wakeup.armed() ? 1 : 0)];
        int[] n = {0};
        table.forEachInFlight(token -> {
            if (n[0] < targets.length) {
                targets[n[0]++] = token;
            }
        });
        if (wakeup.armed() && n[0] < targets.length) {
            targets[n[0]++] = UringWakeup.TOKEN;
        }
        return java.util.Arrays.copyOf(targets, n[0]);
    }

    /** Whether {@code r}, an {@code io_uring_enter} result, is an error that retrying will not cure. */
    private static boolean hardEnterError(int r) {
        // EBADR: the kernel dropped a CQE (no memory for its backlog); said once, counted in cqDropped.
        return r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY && r != -Errno.ETIME
                && r != -Errno.EBADR;
    }

    /**
     * Owner, failed with operations still in the kernel (the drain ran out of time): submits and
     * reaps, so that their CQEs still end them; three hard errors in a row give them up.
     *
     * @param waitNanos how long to wait for a completion (0: do not wait)
     */
    private void reapAfterFailure(long waitNanos) {
        if (undrained || table.inFlight() == 0 && !wakeup.armed()) {
            return;
        }
        int r = waitNanos > 0 ? ring.submitAndWait(1, waitNanos) : ring.submitAndGetEvents();
        if (hardEnterError(r)) {
            if (++enterErrorsAfterFailure == 3) {
                abandonInKernel();
                return;
            }
        } else {
            enterErrorsAfterFailure = 0;
        }
        ring.reap(completions);
    }

    /** Owner: hard enter errors in a row while reaping after a failure. */
    private int enterErrorsAfterFailure;

    /** Why this driver's I/O failed (its own failure, or the runtime's), or null; any thread. */
    @Override
    public IOException failure() {
        IOException f = failure;
        IoGroup g = group;
        return f != null || g == null ? f : g.failure();
    }


    /** Whether a failure that could not reap everything left memory behind for good (see {@link #fail}). */
    boolean undrained() {
        return undrained;
    }

    /** Whether {@code d} closed after an undrained failure and is kept, with its memory, for good. */
    static boolean keptForGood(UringDriver d) {
        return UNDRAINED.contains(d);
    }

    /** Operations an undrained failure left in the kernel, kept reachable with their memory. */
    int keptOperations() {
        return kept.size();
    }

    @Override
    public String backend() {
        return "io_uring";
    }

    @Override
    public long operations() {
        return table.operations();
    }

    @Override
    public long stagingBytes() {
        return staging.bytesHeld();
    }

    @Override
    public long providedBytes() {
        return provided.bytesHeld();
    }

    /** Whether {@link #close()} ran. */
    boolean isClosed() {
        return mailbox.isClosed();
    }

    /** CQEs that arrived for an operation that had already ended (their generation did not match). */
    public long staleCompletions() {
        return table.staleCompletions();
    }

    /** Runs {@code message} on this driver's worker thread at its next poll, and wakes the worker (see {@link ControlMailbox}). */
    public void control(Runnable message) {
        mailbox.post(message);
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
            if (isClosed()) {
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
        control(() -> done.accept(isClosed() ? -Errno.EBADF : ring.updateBuffer(slot, address, length)));
    }

    /**
     * Creates this ring's registered-file table of {@code slots} empty slots, on the worker's
     * thread; {@code done} gets 0 or the refusal's -errno ({@link FileTable}).
     */
    void createFileTable(int slots, java.util.function.IntConsumer done) {
        control(() -> {
            if (isClosed()) {
                done.accept(-Errno.EBADF);
                return;
            }
            if (!kernel.sparseBuffers()) {
                done.accept(-Errno.EINVAL); // sparse resource tables came with Linux 5.19
                return;
            }
            int r;
            try {
                ring.registerSparseFiles(slots);
                r = 0;
            } catch (ErrnoException e) {
                r = -e.errno();
            }
            done.accept(r);
        });
    }

    /** Puts {@code fd} (-1: empty) in registered-file slot {@code slot} of this ring, on the worker's thread. */
    void installFile(int slot, int fd, java.util.function.IntConsumer done) {
        control(() -> done.accept(isClosed() ? -Errno.EBADF : ring.updateFile(slot, fd)));
    }

    @Override
    public void cancelAll() {
        control(() -> {
            if (isClosed()) {
                return;
            }
            table.forEachInFlight(this::cancel);
        });
    }

    /** The ring, for control messages that run on this driver's thread (region registration). */
    Ring ring() {
        return ring;
    }

    /** The operations in flight; owner thread. */
    OperationTable table() {
        return table;
    }

    /** The provided-buffer ring; owner thread. */
    ProvidedBuffers providedBuffers() {
        return provided;
    }

    /** The staging buffers; owner thread. */
    StagingBuffers stagingBuffers() {
        return staging;
    }

    /** A fresh SQE, submitting the queued ones first if the SQ is full; -1 if that failed the driver. */
    private long sqe() {
        return sqe(1);
    }

    /**
     * The SQE for an operation that {@link #await} links a timeout to when {@code timeoutNanos >= 0}:
     * room for both is made first, so that a full SQ cannot submit the operation without its
     * timeout (the kernel would then run it with none, and refuse the lone timeout).
     */
    long sqeFor(long timeoutNanos) throws IOException {
        IOException f = failure();
        if (f == null) {
            long sqe = sqe(timeoutNanos >= 0 ? 2 : 1);
            if (sqe >= 0) {
                return sqe;
            }
            f = failure;
        }
        throw new DriverFailedException(f);
    }

    /**
     * A fresh SQE with at least {@code needed - 1} more free behind it, submitting the queued ones
     * first if there is no room; -1 if the driver has failed (or failed now, submitting).
     */
    private long sqe(int needed) {
        if (needed > ring.sqEntries()) {
            throw new IllegalStateException("an operation needs " + needed + " SQEs and the ring has "
                    + ring.sqEntries());
        }
        while (ring.sqSpace() < needed) {
            if (failure != null || failed(ring.submit(), "submitting")) {
                return -1;
            }
            if (ring.sqSpace() < needed) {
                if (failed(ring.submitAndGetEvents(), "making room")) { // run deferred completions
                    return -1;
                }
                ring.reap(completions);
            }
        }
        return failure != null ? -1 : ring.nextSqe();
    }

    /** Owner thread: cancels the operation with {@code token} if it is still in flight. */
    void cancelIfInFlight(long token) {
        if (!isClosed()) {
            cancel(token);
        }
    }

    /** Asks the kernel to cancel the operation with {@code token}, if it is still in flight. */
    private void cancel(long token) {
        if (!table.inFlight(token)) {
            return; // ended meanwhile
        }
        long sqe = sqe();
        if (sqe < 0) {
            return; // the driver failed: it cancelled everything
        }
        ring.prepare(sqe, Abi.OP_ASYNC_CANCEL, -1, token, 0, 0, OperationTable.IGNORED_TOKEN);
    }

    // -----------------------------------------------------------------------------------------
    // Socket operations

    /**
    /**
     * Submits the SQE the caller prepared for {@code op} (with a linked timeout if
     * {@code timeoutNanos >= 0}) and parks until it completes.
     *
     * @return the CQE's result; {@code -ETIMEDOUT} if the timeout cancelled it
     */
    int await(UringOp op, long sqe, long token, long timeoutNanos) throws IOException {
        return await(op, sqe, token, timeoutNanos, IoDriver.NO_TIMEOUT);
    }

    /**
     * Submits the SQE the caller prepared for {@code op} and parks until it completes; if it has
     * not completed after {@code timeoutNanos}, cancels it with {@code ASYNC_CANCEL} and waits
     * for its CQE. For an operation the kernel runs on its async workers ({@code SPLICE}): a
     * linked timeout does not stop one blocked there (a splice into the socket of a peer that
     * stopped reading stays blocked; {@code TransferToTest}), an {@code ASYNC_CANCEL} does.
     *
     * @return the CQE's result; {@code -ETIMEDOUT} if the cancel after the timeout ended it
     */
    int awaitCancellingAfter(UringOp op, long sqe, long token, long timeoutNanos) throws IOException {
        return await(op, sqe, token, IoDriver.NO_TIMEOUT, timeoutNanos);
    }

    private int await(UringOp op, long sqe, long token, long timeoutNanos, long cancelAfterNanos) throws IOException {
        if (timeoutNanos >= 0) {
            ring.addFlags(sqe, Abi.SQE_IO_LINK); // keep BUFFER_SELECT
            long ts = table.timespec(op, timeoutNanos);
            long t = ring.nextSqe(); // reserved with the operation's (sqeFor): never a submit between them
            if (t < 0) {
                throw new IllegalStateException("no SQE was reserved for the linked timeout (take the operation's with sqeFor)");
            }
            ring.prepare(t, Abi.OP_LINK_TIMEOUT, -1, ts, 1, 0, OperationTable.IGNORED_TOKEN);
        }
        if (group != null && (group.isCancelling() || group.failure() != null)) {
            // cancelAll has run, or runs now, and may not have seen this operation: cancel it here,
            // so that a task retrying after its InterruptedIOException does not wait for good.
            // Its CQE is still awaited below (the kernel may write into the buffer until then).
            requestCancel(token);
        }
        boolean cancelled = false;
        boolean timedOut = false;
        long cancelAt = cancelAfterNanos >= 0 ? System.nanoTime() + cancelAfterNanos : 0;
        CarrierPin.exit(); // the operation's pinned section (see the class comment): parked, the task may move
        try {
            while (!op.done) {
                if (cancelAt == 0) {
                    LockSupport.park(op);
                } else {
                    long left = cancelAt - System.nanoTime();
                    if (left > 0) {
                        LockSupport.parkNanos(op, left);
                    } else {
                        cancelAt = 0;
                        timedOut = true;
                        cancelWhileParked(token);
                        continue;
                    }
                }
                // An interrupt makes park return at once: clear it while the cancel goes through (the
                // kernel may still write into the buffer until the CQE), and set it again after.
                if (Thread.interrupted() && !cancelled) {
                    cancelled = true;
                    cancelWhileParked(token);
                }
            }
        } finally {
            CarrierPin.enter();
        }
        if (cancelled) {
            Thread.currentThread().interrupt();
        }
        Scheduler.resumed();
        int res = op.res;
        if (timedOut && !cancelled && (res == -Errno.EINTR || res == -Errno.ERESTARTSYS)) {
            return -Errno.ETIMEDOUT; // a blocked call the cancel interrupted
        }
        if (res == -Errno.ECANCELED) {
            if (cancelled) {
                throw new InterruptedIOException("the task was cancelled while it waited for I/O");
            }
            IOException f = failure();
            if (f != null) {
                throw new DriverFailedException(f, op.inKernel); // cancelled by the failure of this driver or another
            }
            if (group != null && group.isShuttingDown()) {
                throw new InterruptedIOException("the runtime shut down while the task waited for I/O");
            }
            return -Errno.ETIMEDOUT;
        }
        return res;
    }

    /** {@link #requestCancel} from {@link #await}'s park loop, which runs outside the operation's pinned section. */
    private void cancelWhileParked(long token) {
        CarrierPin.enter();
        try {
            requestCancel(token);
        } finally {
            CarrierPin.exit();
        }
    }

    /** Cancels from wherever the task now runs: directly on this driver's thread, else by a control message. */
    private void requestCancel(long token) {
        if (current() == this) {
            cancel(token);
        } else {
            control(() -> cancelIfInFlight(token)); // may run after close, on this thread
        }
    }

    static UringSocket socket(SocketHandle s) {
        if (s instanceof UringSocket u) {
            return u;
        }
        throw new IllegalArgumentException(s + " belongs to another I/O backend than this runtime's (io_uring)");
    }

    /** An operation on a socket, run while {@link #holding} keeps its descriptor open. */
    private interface SocketOp {
        long run(UringSocket s) throws IOException;
    }

    /**
     * Runs {@code op} while the socket's use count keeps its descriptor open (see
     * {@link UringSocket}); -EBADF if it is closed: its descriptor number may belong to another
     * file now.
     */
    private static long holding(SocketHandle socket, SocketOp op) throws IOException {
        UringSocket s = socket(socket);
        if (!s.acquire()) {
            return -Errno.EBADF;
        }
        CarrierPin.enter(); // see "Staying on the worker" in the class comment
        try {
            return op.run(s);
        } finally {
            CarrierPin.exit();
            s.release();
        }
    }

    /** Opens a file: {@link UringFile#open}. */
    @Override
    public OpenFile openFile(java.nio.file.Path path, OpenSpec spec) throws IOException {
        return UringFile.open(path, spec);
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
            throws IOException {
        UringSocket l = socket(listener);
        int r;
        if (multishotAccept) {
            try {
                r = l.acceptQueue().take(timeoutNanos < 0 ? 0 : System.nanoTime() + Math.max(1, timeoutNanos));
            } catch (UncheckedIOException e) { // arming on a failed driver
                throw e.getCause();
            }
            IOException f = failure();
            if (r == -Errno.ECANCELED && f != null) {
                throw new DriverFailedException(f);
            }
        } else {
            r = (int) holding(l, held -> {
                UringOp op = new UringOp();
                long sqe = sqeFor(timeoutNanos);
                long token = table.track(op);
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
        // The SQE first: if taking it throws, nothing is tracked; if tracking throws, the zeroed
        // SQE goes out as a NOP whose CQE (user_data 0) is ignored. Either way nothing was armed.
        long sqe;
        try {
            sqe = sqeFor(NO_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the driver failed: accept rethrows the cause
        }
        long token = table.track(queue); // the queue holds a use of the listener until its last CQE
        queue.armed(this, token);
        ring.prepare(sqe, Abi.OP_ACCEPT, listenerFd, 0, 0, 0, token);
        ring.setOpFlags(sqe, UringSocket.SOCK_CLOEXEC);
        ring.setIoprio(sqe, Abi.ACCEPT_MULTISHOT);
    }

    @Override
    public SocketHandle connect(InetSocketAddress address, long timeoutNanos, SocketConfig config)
            throws IOException {
        UringSocket s = UringSocket.open(SockAddr.family(address));
        try {
            s.configureStream(config); // may take a lock, and the task move: the driver is picked after
            CarrierPin.enter();
            try {
                UringDriver d = current();
                long sqe = d.sqeFor(timeoutNanos);
                UringOp op = new UringOp();
                op.staging = d.staging.acquire(SockAddr.MAX_SIZE);
                int len = SockAddr.write(address, op.staging);
                long token = d.table.track(op);
                d.ring.prepare(sqe, Abi.OP_CONNECT, s.fd, op.staging.address(), 0, len, token);
                int r = d.await(op, sqe, token, timeoutNanos);
                if (r < 0) {
                    throw new ErrnoException("connect to " + address, r);
                }
                return s;
            } finally {
                CarrierPin.exit();
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public int read(SocketHandle socket, ByteBuffer dst, long timeoutNanos) throws IOException {
        return (int) holding(socket, s -> readBuffer(socket, dst, timeoutNanos));
    }

    private int readBuffer(SocketHandle socket, ByteBuffer dst, long timeoutNanos) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        int fd = socket(socket).fd;
        int want = dst.remaining();
        if (want == 0) {
            return 0;
        }
        if (!dst.isDirect() && !provided.available()) {
            return readStaged(socket, dst, timeoutNanos); // no provided buffers (before Linux 5.19)
        }
        long address = dst.isDirect() ? socket(socket).address(dst, true) : 0; // may refuse freed memory: before any slot is taken
        UringOp op = new UringOp();
        long sqe = sqeFor(timeoutNanos);
        long token = table.track(op);
        if (dst.isDirect()) {
            op.keepAlive = dst;
            ring.prepare(sqe, Abi.OP_RECV, fd, address, want, 0, token);
        } else {
            op.heapDst = dst;
            ring.prepare(sqe, Abi.OP_RECV, fd, 0, Math.min(want, ProvidedBuffers.BUFFER_SIZE), 0, token);
            ring.setFlags(sqe, Abi.SQE_BUFFER_SELECT);
            ring.setBufIndex(sqe, ProvidedBuffers.GROUP);
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
    private int readStaged(SocketHandle socket, ByteBuffer dst, long timeoutNanos) throws IOException {
        int fd = socket(socket).fd;
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        while (true) {
            UringDriver d = current(); // the task may resume on another worker after each wait
            UringOp ready = new UringOp();
            long left = timeoutNanos < 0 ? NO_TIMEOUT : Math.max(0, deadline - System.nanoTime());
            long sqe = d.sqeFor(left);
            long token = d.table.track(ready);
            d.ring.prepare(sqe, Abi.OP_POLL_ADD, fd, 0, 0, 0, token);
            d.ring.setOpFlags(sqe, POLLIN);
            int r = d.await(ready, sqe, token, left);
            if (r < 0) {
                return r; // -ETIMEDOUT, or the socket's error
            }
            d = current();
            sqe = d.sqeFor(NO_TIMEOUT);
            UringOp op = new UringOp();
            op.heapDst = dst;
            op.staging = d.staging.acquire(dst.remaining());
            token = d.table.track(op);
            d.ring.prepare(sqe, Abi.OP_RECV, fd, op.staging.address(),
                    Math.min(dst.remaining(), (int) op.staging.byteSize()), 0, token);
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
    public int read(SocketHandle socket, MemorySegment dst, long timeoutNanos) throws IOException {
        return (int) holding(socket, s -> readSegment(socket, dst, timeoutNanos));
    }

    private int readSegment(SocketHandle socket, MemorySegment dst, long timeoutNanos) throws IOException {
        if (!dst.isNative()) {
            return readBuffer(socket, dst.asByteBuffer(), timeoutNanos); // copied from a provided buffer
        }
        int fd = socket(socket).fd;
        int want = (int) Math.min(dst.byteSize(), Integer.MAX_VALUE);
        if (want == 0) {
            return 0;
        }
        UringOp op = new UringOp();
        op.keepAlive = dst;
        long sqe = sqeFor(timeoutNanos);
        long token = table.track(op);
        ring.prepare(sqe, Abi.OP_RECV, fd, dst.address(), want, 0, token);
        return await(op, sqe, token, timeoutNanos);
    }

    @Override
    public int write(SocketHandle socket, ByteBuffer src, long timeoutNanos) throws IOException {
        return (int) holding(socket, s -> writeBuffer(socket, src, timeoutNanos));
    }

    private int writeBuffer(SocketHandle socket, ByteBuffer src, long timeoutNanos) throws IOException {
        int fd = socket(socket).fd;
        int n = src.remaining();
        if (n == 0) {
            return 0;
        }
        long address = src.isDirect() ? socket(socket).address(src, false) : 0; // before any slot is taken
        long sqe = sqeFor(timeoutNanos);
        UringOp op = new UringOp();
        if (src.isDirect()) {
            op.keepAlive = src;
        } else {
            op.staging = staging.acquire(n);
            n = Math.min(n, (int) op.staging.byteSize());
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, op.staging, 0, n); // works for read-only buffers too
            address = op.staging.address();
        }
        long token = table.track(op);
        ring.prepare(sqe, Abi.OP_SEND, fd, address, n, 0, token);
        ring.setOpFlags(sqe, MSG_NOSIGNAL);
        int r = await(op, sqe, token, timeoutNanos);
        if (r > 0) {
            src.position(src.position() + r);
        }
        return r;
    }

    @Override
    public int write(SocketHandle socket, MemorySegment src, long timeoutNanos) throws IOException {
        return (int) holding(socket, s -> writeSegment(socket, src, timeoutNanos));
    }

    private int writeSegment(SocketHandle socket, MemorySegment src, long timeoutNanos) throws IOException {
        if (!src.isNative()) {
            return writeBuffer(socket, src.asByteBuffer(), timeoutNanos); // copied to a staging buffer
        }
        int fd = socket(socket).fd;
        int n = (int) Math.min(src.byteSize(), Integer.MAX_VALUE);
        if (n == 0) {
            return 0;
        }
        UringOp op = new UringOp();
        op.keepAlive = src;
        long sqe = sqeFor(timeoutNanos);
        long token = table.track(op);
        ring.prepare(sqe, Abi.OP_SEND, fd, src.address(), n, 0, token);
        ring.setOpFlags(sqe, MSG_NOSIGNAL);
        return await(op, sqe, token, timeoutNanos);
    }

    @Override
    public long write(SocketHandle socket, ByteBuffer[] srcs, long timeoutNanos) throws IOException {
        return holding(socket, s -> writeGather(socket, srcs, timeoutNanos));
    }

    private long writeGather(SocketHandle socket, ByteBuffer[] srcs, long timeoutNanos) throws IOException {
        int fd = socket(socket).fd;
        // Gather into one staging buffer (a copy, bounded by its size), then one send. Direct
        // buffers could go as an iovec array with SENDMSG; one copy of a small gather costs less
        // than the msghdr set-up, and large writes go through write(ByteBuffer) anyway.
        long total = 0;
        for (ByteBuffer b : srcs) {
            total += b.remaining();
        }
        if (total == 0) {
            return 0;
        }
        long sqe = sqeFor(timeoutNanos);
        UringOp op = new UringOp();
        op.staging = staging.acquire((int) Math.min(total, StagingBuffers.MAX_LENGTH));
        int capacity = (int) op.staging.byteSize();
        int n = 0;
        for (ByteBuffer b : srcs) {
            int take = Math.min(b.remaining(), capacity - n);
            MemorySegment.copy(MemorySegment.ofBuffer(b), 0, op.staging, n, take);
            n += take;
            if (n == capacity) {
                break;
            }
        }
        long token = table.track(op);
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
                           long timeoutNanos) throws IOException {
        // the use lasts until the send's completion: unregister waits for it
        return regions().using(slot, generation, offset, length, region -> (int) holding(socket, s -> {
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
        }));
    }

    private static volatile boolean fixedSend = true;

    private int sendFrom(UringSocket s, MemorySegment region, long offset, int length, long timeoutNanos)
            throws IOException {
        UringOp op = new UringOp();
        op.keepAlive = region;
        long sqe = sqeFor(timeoutNanos);
        long token = table.track(op);
        ring.prepare(sqe, Abi.OP_SEND, s.fd, region.address() + offset, length, 0, token);
        ring.setOpFlags(sqe, MSG_NOSIGNAL);
        return await(op, sqe, token, timeoutNanos);
    }

    @Override
    public int readRegion(SocketHandle socket, int slot, int generation, long offset, int length,
                          long timeoutNanos) throws IOException {
        // the use lasts until the receive's completion: unregister waits for it
        return regions().using(slot, generation, offset, length,
                region -> read(socket, region.asSlice(offset, length), timeoutNanos));
    }

    RegionRegistry regions() {
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
            throws IOException {
        int fd = socket(socket).fd;
        UringOp op = new UringOp();
        op.keepAlive = region;
        long sqe = sqeFor(timeoutNanos);
        long token = table.track(op);
        ring.prepare(sqe, Abi.OP_SEND, fd, region.address() + offset, length, 0, token);
        ring.setOpFlags(sqe, MSG_NOSIGNAL);
        ring.setIoprio(sqe, Abi.RECVSEND_FIXED_BUF);
        ring.setBufIndex(sqe, slot);
        return await(op, sqe, token, timeoutNanos);
    }

    private static final java.lang.invoke.VarHandle CQ_OVERFLOWS;
    private static final java.lang.invoke.VarHandle CQ_DROPPED;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            CQ_OVERFLOWS = l.findVarHandle(UringDriver.class, "cqOverflows", long.class);
            CQ_DROPPED = l.findVarHandle(UringDriver.class, "cqDropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString() {
        return "io_uring driver (ring fd " + ring.fd() + ", " + table.inFlight() + " in flight)";
    }
}
