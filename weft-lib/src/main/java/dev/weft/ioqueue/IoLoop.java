package dev.weft.ioqueue;

import dev.weft.io.IoBackends;
import dev.weft.runtime.IoMode;
import dev.weft.uring.Abi;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.KernelFeatures;
import dev.weft.uring.Libc;
import dev.weft.uring.Ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The loop that serves an {@link IoQueue}: one thread with an io_uring ring of its own, the
 * queue's files registered as fixed files and its destinations' regions as fixed buffers.
 *
 * <pre>{@code
 * IoQueue queue = IoQueue.allocate(64);
 * SourceFiles files = new SourceFiles().add(1, dataFile, SourceFiles.Access.READ);
 * MemorySegment buffer = arena.allocate(65536, 4096);
 * Destinations destinations = new Destinations().add(0, buffer);
 * IoLoop loop = IoLoop.start(queue, files, destinations, IoLoopConfig.DEFAULT);
 *
 * QueueProducer producer = queue.producer();
 * long ticket = producer.publish(QueueAbi.OP_READ, 1, 0, 0, 4096, 7);
 * Completion done = producer.await(ticket);   // done.bytes() bytes landed in buffer
 *
 * Optional<IoLoopException> failure = loop.stop();
 * queue.close();
 * }</pre>
 *
 * <h2>What the loop does</h2>
 * It claims published slots in order ({@link SlotDecoder}: a CAS PUBLISHED → CLAIMED with acquire
 * semantics, see {@link IoQueue} for the protocol), as many as the SQ holds, and submits them with
 * one {@code io_uring_enter}: a READ as {@code READ_FIXED} of {@code bytes} from the file offset
 * into the destination at its base, a WRITE as {@code WRITE_FIXED} from the destination's base to
 * the file offset. A slot that fails validation completes at once DONE_ERROR with its
 * {@link QueueError} code, counted by code, and the loop goes on with the next; so does a request
 * into a destination whose arena was closed ({@link QueueError#DESTINATION_FREED}). Each completion
 * writes its result into {@code bytes}, then the status with release semantics. A FENCE waits
 * until every request claimed before it has completed, then completes DONE_OK; the loop claims
 * nothing after a FENCE until then, so a request after a FENCE sees the effects of those before
 * it. Requests in flight are capped at the queue's slots and at the CQ's size, so the CQ never
 * overflows. The {@code user_data} of a request is its position in the queue (the cursor), so a
 * completion can only name the request it belongs to.
 *
 * <h2>Where a loop starts</h2>
 * The loop serves the queue from its position: the ticket of the next request, in slot
 * {@code position mod slots}. On a new queue ({@link IoQueue#allocate}, a new or empty file) that
 * is slot 0; on a queue a loop of this {@code IoQueue} served, where that loop stopped. On a queue
 * that came with contents (an existing file mapped by {@link IoQueue#map}, memory given to
 * {@link IoQueue#of}) and that no loop has served yet, a producer in another process may have
 * published before (its head at slot 17, say), and a loop that died may have left slots CLAIMED:
 * <ol>
 *   <li>before {@link #start} returns, every slot found CLAIMED is completed DONE_ERROR
 *       {@link QueueError#LOOP_DIED} (the request may or may not have run), so that no producer
 *       waits for it forever;</li>
 *   <li>the loop starts at the oldest PUBLISHED slot in ring order: the first of the run of
 *       PUBLISHED slots, walking back around the ring. With nothing PUBLISHED yet it looks at
 *       the slots in turn while it waits (a few per poll), and starts at the first publication
 *       it finds the same way.</li>
 * </ol>
 * This is exact for a producer that publishes in slot order, one request after another, as
 * {@code ioqueue.h} asks of producer processes. This process's own {@link QueueProducer} fixes the
 * position when it is made ({@link IoQueue#producer()}: slot 0 if still unknown), and a loop takes
 * that position over whatever it would have found, so the two always agree, however many threads
 * publish at once.
 *
 * <h2>Waiting</h2>
 * An idle loop backs off with {@link IoLoopConfig#backoff()}: spins, then parks from 10 µs doubling
 * to 100 µs; any claim or completion starts the back-off over. While requests are in flight a park
 * is spent waiting in {@code io_uring_enter} for a completion, for as long as the park would be.
 * Producers need not wake the loop: it finds their slots within one park period.
 *
 * <p>A loop idle for longer, with nothing in flight ({@link IoLoopConfig#dozeAfter()}, 10 ms by
 * default), dozes: it parks for {@link IoLoopConfig#dozePeriod()} (2 ms by default) at a time, so
 * that an idle loop wakes a few hundred times a second instead of thousands. A request published
 * by this process ({@link QueueProducer}) wakes a dozing loop at once: the loop announces its doze
 * and re-reads its next slot, the publisher writes the slot and reads the announcement, each with
 * a full fence between, so one of them sees the other (see {@code IoQueue.dozer};
 * {@code IoLoopDozeTest} races them). A request published by another process, which cannot
 * unpark this thread, waits at most one doze period. {@code withDoze(after, Duration.ZERO)} turns
 * dozing off.
 *
 * <h2>Stopping and failing</h2>
 * {@link #stop()} makes the loop stop claiming, cancels the requests in flight and waits (at most
 * {@link IoLoopConfig#drainTimeout()}) for each one's completion: a request the kernel finished is
 * reported as it finished, one it cancelled DONE_ERROR {@link QueueError#STOPPED}; a FENCE still
 * waiting completes STOPPED too. No claimed slot is left without a completion, so no producer
 * waits forever. Published slots the loop had not claimed stay PUBLISHED: a later loop on the
 * same queue object goes on from where this one stopped, one in another process finds them
 * (see "Where a loop starts"). A fatal error (a hard
 * {@code io_uring_enter} error, a bug in the loop) ends the loop the same way, with
 * {@link QueueError#LOOP_FAILED}; {@link #stop()} returns the first one, and each carries a
 * {@linkplain IoLoopException#hint() hint} that says what to fix. Destination memory is never freed by the
 * loop: if requests were still in the kernel when it gave up draining (the time ran out, or the
 * ring could not be entered three times in a row), they are completed all the same, and the fatal
 * error (or, after another one, its suppressed exception) says that their destinations may still
 * be written and must stay allocated.
 *
 * <p>The loop needs io_uring (Linux 5.11 or later): {@link #start} fails saying so where it is
 * missing, disabled, or turned off with {@code -Dweft.io=nio}.
 */
public final class IoLoop {

    /** {@code user_data} of the loop's own SQEs (opens, cancels), never a request's position. */
    private static final long OWN_TOKEN = -1L;
    private static final int AT_FDCWD = -100;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    /** Slots an idle loop that has not found its position looks at per poll. */
    private static final int POSITION_SCAN = 64;
    /** How long the set-up waits for each file to open. */
    private static final long OPEN_NANOS = 10_000_000_000L;

    /** Where the loop learns what the kernel has: the real probe, or in tests an older kernel's. */
    @FunctionalInterface
    interface KernelSource {
        KernelFeatures probe() throws ErrnoException;
    }

    static volatile KernelSource kernelSource = KernelFeatures::probe;

    /** How the loop registers its files and regions: with its ring, or in tests a refusal. */
    interface Registrar {
        void registerFiles(Ring ring, int[] fds) throws ErrnoException;

        void registerBuffers(Ring ring, java.util.List<MemorySegment> regions) throws ErrnoException;
    }

    /** The kernel's registration, through the ring. */
    static final Registrar RING_REGISTRAR = new Registrar() {
        @Override
        public void registerFiles(Ring ring, int[] fds) throws ErrnoException {
            ring.registerFiles(fds);
        }

        @Override
        public void registerBuffers(Ring ring, java.util.List<MemorySegment> regions) throws ErrnoException {
            ring.registerBuffers(regions);
        }
    };

    static volatile Registrar registrar = RING_REGISTRAR;

    private static final int CLAIMED = 0;
    private static final int OK = 1;
    private static final int ERROR = 2;
    private static final int PARKS = 3;
    private static final int IN_FLIGHT = 4;
    private static final int DOZES = 5;

    private final IoQueue queue;
    private final SourceFiles files;
    private final Destinations destinations;
    private final IoLoopConfig config;
    private final KernelFeatures kernel;
    private final SlotDecoder decoder;
    /** Each region's scope, by fixed-buffer index: a request into a closed one is refused. */
    private final MemorySegment.Scope[] regionScopes;
    private final Thread thread;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    /** Counters: the loop writes them (release), stats read them. */
    private final AtomicLongArray counts = new AtomicLongArray(6);
    private final AtomicLongArray errorsByCode = new AtomicLongArray(QueueError.ERRNO_MAX + 1);
    private volatile boolean stopRequested;
    /** The first fatal error; written by the loop thread only. */
    private volatile IoLoopException failure;

    // The loop thread's own state.
    private Ring ring;
    private final int mask;
    private final long dozeAfterNanos;
    /** One doze's park; 0: the loop never dozes. */
    private final long dozeNanos;
    /** Slots this loop holds CLAIMED: in the kernel, or a FENCE waiting. */
    private final boolean[] busy;
    /** The position ({@code user_data}) of the request in the kernel for each busy slot, -1 for a FENCE. */
    private final long[] positionOf;
    /** The position of the next request to claim; {@link IoQueue#UNKNOWN} until {@link #findPosition} finds it. */
    private long cursor;
    private int inFlight;
    private int maxInFlight;
    private int fenceSlot = -1;
    /** Where {@link #findPosition}'s next scan starts. */
    private int scanFrom;
    private boolean draining;
    private int drainCode;
    private final Ring.CompletionHandler onCompletion = this::completed;

    private IoLoop(IoQueue queue, SourceFiles files, Destinations destinations, IoLoopConfig config,
                   KernelFeatures kernel) {
        this.queue = queue;
        this.files = files;
        this.destinations = destinations;
        this.config = config;
        this.kernel = kernel;
        this.decoder = SlotDecoder.of(files, destinations);
        this.regionScopes = destinations.regionScopes();
        this.mask = queue.mask();
        this.busy = new boolean[queue.slots()];
        this.positionOf = new long[queue.slots()];
        this.cursor = queue.position(); // IoQueue.UNKNOWN: found by findPosition
        this.dozeAfterNanos = config.dozeAfter().toNanos();
        this.dozeNanos = config.dozePeriod().toNanos();
        this.thread = Thread.ofPlatform().name(config.threadName()).daemon(true).unstarted(this::run);
    }

    /** {@link #start(IoQueue, SourceFiles, Destinations, IoLoopConfig)} with {@link IoLoopConfig#DEFAULT}. */
    public static IoLoop start(IoQueue queue, SourceFiles files, Destinations destinations) throws IoLoopException {
        return start(queue, files, destinations, IoLoopConfig.DEFAULT);
    }

    /**
     * Starts a loop serving {@code queue}: opens its thread and ring, opens and registers the
     * files, registers the destinations' regions, and returns once it serves. The queue is served
     * by one loop at a time.
     *
     * @throws IoLoopException       when io_uring is missing or turned off here, a file cannot be
     *                               opened, or the kernel refuses a registration: with the errno
     *                               and a hint; nothing is left open
     * @throws IllegalStateException when another loop serves the queue
     */
    public static IoLoop start(IoQueue queue, SourceFiles files, Destinations destinations, IoLoopConfig config)
            throws IoLoopException {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(destinations, "destinations");
        Objects.requireNonNull(config, "config");
        KernelFeatures kernel = uringKernel();
        queue.takeLoop(config.threadName());
        IoLoop loop;
        try {
            loop = new IoLoop(queue, files.copy(), destinations.copy(), config, kernel);
            loop.thread.start();
        } catch (RuntimeException | Error e) {
            queue.releaseLoop(IoQueue.UNKNOWN);
            throw e;
        }
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    loop.started.get();
                    return loop;
                } catch (InterruptedException e) {
                    interrupted = true; // the set-up is short and ends by itself
                } catch (ExecutionException e) {
                    interrupted |= joinUninterruptibly(loop.thread); // it ends right after saying so
                    queue.releaseLoop(loop.cursor);
                    if (e.getCause() instanceof IoLoopException f) {
                        throw f;
                    }
                    throw new IoLoopException("the loop's set-up failed: " + e.getCause(),
                            "this is a bug in weft: report it with the stack trace", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What the kernel's io_uring has, or an exception saying why the loop cannot run here. */
    private static KernelFeatures uringKernel() throws IoLoopException {
        IoMode mode;
        try {
            mode = IoMode.fromSystemProperty();
        } catch (IllegalArgumentException e) {
            throw new IoLoopException("the I/O request queue cannot start: " + e.getMessage(),
                    "fix -D" + IoMode.PROPERTY);
        }
        if (mode == IoMode.NIO || mode == IoMode.NONE) {
            throw new IoLoopException("the I/O request queue needs io_uring, and -D" + IoMode.PROPERTY + "="
                    + System.getProperty(IoMode.PROPERTY) + " turns io_uring off",
                    "remove -D" + IoMode.PROPERTY + " or set it to auto or uring; the queue has no NIO backend");
        }
        String platform = IoBackends.uringUnavailableReason();
        if (platform != null) {
            throw new IoLoopException("the I/O request queue needs io_uring: " + platform,
                    "run it on Linux 5.11 or later (x86-64 or arm64)");
        }
        KernelFeatures k;
        try {
            k = kernelSource.probe();
        } catch (ErrnoException e) {
            throw new IoLoopException("the I/O request queue needs io_uring, which this kernel refuses: " + e.getMessage(),
                    "run it on Linux 5.11 or later with io_uring enabled (sysctl kernel.io_uring_disabled=0, "
                            + "no seccomp profile that blocks io_uring)", e);
        }
        if (!k.hasFeature(KernelFeatures.REQUIRED_FEATURES)) {
            throw new IoLoopException("the I/O request queue needs io_uring with SINGLE_MMAP, NODROP and EXT_ARG "
                    + "(Linux 5.11); kernel " + k.release() + " has features 0x" + Integer.toHexString(k.features()),
                    "run it on Linux 5.11 or later");
        }
        int[] ops = {Abi.OP_READ_FIXED, Abi.OP_WRITE_FIXED, Abi.OP_OPENAT, Abi.OP_ASYNC_CANCEL};
        String[] names = {"READ_FIXED", "WRITE_FIXED", "OPENAT", "ASYNC_CANCEL"};
        for (int i = 0; i < ops.length; i++) {
            if (!k.supports(ops[i])) {
                throw new IoLoopException("the I/O request queue needs the io_uring opcode " + names[i]
                        + ", which kernel " + k.release() + " lacks", "run it on Linux 5.11 or later");
            }
        }
        return k;
    }

    // -----------------------------------------------------------------------------------------
    // The loop thread

    private void run() {
        try {
            setUp();
        } catch (IoLoopException e) {
            closeRing();
            started.completeExceptionally(e);
            return;
        } catch (Throwable t) {
            closeRing();
            started.completeExceptionally(t);
            return;
        }
        try {
            if (cursor == IoQueue.UNKNOWN) {
                completeAbandoned();
                findPosition(busy.length); // from slot 0, every slot once
            }
        } catch (Throwable t) {
            fatal(new IoLoopException("the loop thread threw " + t + " while finding its position", "this is a bug in "
                    + "weft: report it with the stack trace", t));
        }
        started.complete(null);
        try {
            serve();
        } catch (Throwable t) {
            fatal(new IoLoopException("the loop thread threw " + t, "this is a bug in weft: report it with the "
                    + "stack trace; start a new loop to go on serving (published requests wait in the queue)", t));
        }
        try {
            finish();
        } finally {
            closeRing();
            queue.releaseLoop(cursor);
        }
    }

    /** Opens the ring, opens and registers the files, registers the regions. */
    private void setUp() throws IoLoopException {
        try {
            ring = Ring.open(config.ringEntries(), kernel, true);
            ring.enable();
        } catch (ErrnoException e) {
            throw new IoLoopException("the I/O request queue could not open its io_uring ring: " + e.getMessage(),
                    e.errno() == Errno.ENOMEM ? "raise the locked-memory limit (ulimit -l) or lower ringEntries"
                            : "run it where io_uring works (Linux 5.11+, not disabled by sysctl or seccomp)", e);
        }
        maxInFlight = Math.min(queue.slots(), ring.cqEntries());
        int[] fds = new int[files.size()];
        java.util.Arrays.fill(fds, -1);
        try {
            for (int i = 0; i < fds.length; i++) {
                fds[i] = open(i);
            }
            if (fds.length > 0) {
                try {
                    registrar.registerFiles(ring, fds);
                } catch (ErrnoException e) {
                    throw new IoLoopException("registering " + fds.length + " files with the loop's ring failed: "
                            + Errno.name(e.errno()), e.errno() == Errno.EMFILE || e.errno() == Errno.ENFILE
                            ? "raise the open-file limit (ulimit -n) or serve fewer files"
                            : "check that every file is a regular file or block device", e);
                }
            }
        } finally {
            MemorySegment errno = Libc.errnoState();
            for (int fd : fds) {
                if (fd >= 0) {
                    Libc.close(errno, fd); // the ring holds its own references from here
                }
            }
        }
        if (destinations.size() > 0) {
            try {
                registrar.registerBuffers(ring, destinations.regions());
            } catch (ErrnoException e) {
                String hint = switch (e.errno()) {
                    case Errno.EFAULT, Errno.EOPNOTSUPP -> "a region must be anonymous memory (an Arena's) or a "
                            + "shared mapping of a file on tmpfs or hugetlbfs such as /dev/shm: the kernel cannot "
                            + "pin the pages of other file systems' files";
                    case Errno.ENOMEM -> "the kernel could not pin the regions: raise the locked-memory limit "
                            + "(ulimit -l) or run with CAP_IPC_LOCK";
                    default -> "check that every region is native memory of 1 byte to 1 GiB that stays mapped";
                };
                throw new IoLoopException("registering " + destinations.regions().size()
                        + " destination regions with the loop's ring failed: " + Errno.name(e.errno()), hint, e);
            }
        }
    }

    /** Opens file {@code i} with the ring ({@code OPENAT}); its descriptor. */
    private int open(int i) throws IoLoopException {
        java.nio.file.Path path = files.path(i).toAbsolutePath();
        SourceFiles.Access access = files.access(i);
        boolean direct = files.direct(i);
        int flags = O_CLOEXEC | (direct ? Libc.O_DIRECT : 0) | switch (access) {
            case READ -> O_RDONLY;
            case WRITE -> O_WRONLY;
            case READ_WRITE -> O_RDWR;
        };
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cpath = a.allocateFrom(path.toString());
            long sqe = ring.nextSqe();
            ring.prepare(sqe, Abi.OP_OPENAT, AT_FDCWD, cpath.address(), 0, 0, OWN_TOKEN);
            ring.setOpFlags(sqe, flags);
            int[] res = {Integer.MIN_VALUE};
            long deadline = System.nanoTime() + OPEN_NANOS;
            while (res[0] == Integer.MIN_VALUE) {
                int r = ring.submitAndWait(1, 100_000_000L);
                if (hardEnterError(r)) {
                    throw new IoLoopException("io_uring_enter failed while opening " + path + ": " + Errno.name(r),
                            "run it where io_uring works (Linux 5.11+)");
                }
                ring.reap((userData, result, cqeFlags) -> res[0] = result);
                if (res[0] == Integer.MIN_VALUE && System.nanoTime() - deadline > 0) {
                    throw new IoLoopException("opening " + path + " did not complete in "
                            + OPEN_NANOS / 1_000_000_000L + " s", "check that the file is not a FIFO nobody writes to");
                }
            }
            if (res[0] < 0) {
                int errno = -res[0];
                String hint = switch (errno) {
                    case Errno.ENOENT -> "create the file or correct the path";
                    case Errno.EACCES, Errno.EPERM -> "give this process permission to open it for " + access
                            + ", or open it for less (SourceFiles.Access.READ)";
                    case Errno.EINVAL -> direct ? "its file system does not support O_DIRECT (tmpfs before Linux"
                            + " 6.6 does not): put the file on one that does (ext4, xfs), or add it with SourceFiles.add"
                            : "check the path, its type and its permissions";
                    default -> "check the path, its type and its permissions";
                };
                throw new IoLoopException("cannot open source file " + files.handle(i) + " (" + path + ") for "
                        + access + (direct ? " with O_DIRECT" : "") + ": " + Errno.name(errno), hint);
            }
            return res[0];
        }
    }

    /** Claims, submits and reaps until stopped or failed. */
    private void serve() {
        long step = 0;
        long idleSince = 0; // when the loop last began to park with nothing in flight; 0: it has work
        while (!stopRequested && failure == null) {
            if (cursor == IoQueue.UNKNOWN && !findPosition(POSITION_SCAN)) {
                // nothing is in flight before the first claim
                if (config.backoff().parks(step)) {
                    if (idleSince == 0) {
                        idleSince = System.nanoTime();
                    } else if (dozeNanos > 0 && System.nanoTime() - idleSince >= dozeAfterNanos) {
                        doze();
                        continue;
                    }
                    counts.setRelease(PARKS, counts.getPlain(PARKS) + 1);
                }
                step = config.backoff().idle(step);
                continue;
            }
            boolean work = false;
            if (inFlight > 0 && ring.needsEnter() && !entered(ring.submitAndGetEvents(), "reaping")) {
                return;
            }
            if (inFlight > 0 && ring.reap(onCompletion) > 0) {
                work = true;
            }
            if (fenceSlot >= 0 && inFlight == 0) {
                int slot = fenceSlot;
                fenceSlot = -1;
                busy[slot] = false;
                complete(slot, QueueAbi.STATUS_DONE_OK, 0);
                work = true;
            }
            int claimed = claim();
            if (failure != null) {
                return;
            }
            if (claimed > 0) {
                work = true;
            }
            if (ring.queued() > 0 && !entered(ring.submitAndGetEvents(), "submitting")) {
                return;
            }
            if (work) {
                step = 0;
                idleSince = 0;
                continue;
            }
            if (config.backoff().parks(step)) {
                if (inFlight == 0) {
                    if (idleSince == 0) {
                        idleSince = System.nanoTime();
                    } else if (dozeNanos > 0 && System.nanoTime() - idleSince >= dozeAfterNanos) {
                        doze();
                        continue;
                    }
                }
                counts.setRelease(PARKS, counts.getPlain(PARKS) + 1);
                if (inFlight > 0) {
                    // Park in the ring: a completion ends the wait at once.
                    if (!entered(ring.submitAndWait(1, config.backoff().parkNanos(step)), "waiting")) {
                        return;
                    }
                    step++;
                    continue;
                }
            }
            step = config.backoff().idle(step);
        }
    }

    /**
     * One doze of an idle loop with nothing in flight (see the class comment, "Waiting"): says so
     * to this process's publishers ({@link IoQueue#dozing}), looks at its next slot once more,
     * and parks for the doze period unless a request is there; a publication of this process, or
     * {@link #stop()}, ends the park early.
     */
    private void doze() {
        counts.setRelease(DOZES, counts.getPlain(DOZES) + 1);
        queue.dozing(thread);
        try {
            if (!stopRequested && !nextSlotPublished()) {
                LockSupport.parkNanos(this, dozeNanos);
            }
        } finally {
            queue.awake();
        }
    }

    /** Whether the slot the loop claims next is PUBLISHED (false while its position is unknown). */
    private boolean nextSlotPublished() {
        if (cursor == IoQueue.UNKNOWN) {
            return queue.position() != IoQueue.UNKNOWN; // a producer of this process fixed it
        }
        int slot = (int) cursor & mask;
        return !busy[slot] && queue.statusAcquire(slot) == QueueAbi.STATUS_PUBLISHED;
    }

    /**
     * A queue that came with contents (an existing file, given memory) and that no loop of this
     * process has served: completes every slot found CLAIMED, which a loop that died claimed and
     * never completed, DONE_ERROR {@link QueueError#LOOP_DIED}, so that no producer waits for it
     * forever. Only a loop writes CLAIMED, and one loop serves a queue, so nobody else completes
     * these slots.
     */
    private void completeAbandoned() {
        for (int slot = 0; slot < busy.length; slot++) {
            if (queue.statusAcquire(slot) == QueueAbi.STATUS_CLAIMED) {
                counts.setRelease(CLAIMED, counts.getPlain(CLAIMED) + 1);
                complete(slot, QueueAbi.STATUS_DONE_ERROR, QueueError.LOOP_DIED.code());
            }
        }
    }

    /**
     * Finds where to start on a queue whose position is unknown (see "Where a loop starts"): the
     * position a producer of this process fixed meanwhile, else the oldest PUBLISHED slot: the
     * first slot of the run of PUBLISHED slots, in ring order, that holds the first PUBLISHED slot
     * the scan finds, found by walking back from that slot while the slot before it is PUBLISHED
     * too (every slot PUBLISHED: the one found). The walk reads live statuses: a producer that
     * publishes in slot order published the slot before any PUBLISHED slot it is seen in first, so
     * the walk finds it. The scan goes on where the last one stopped, {@code scan} slots at most,
     * so that an idle loop waiting on a large queue reads a few slots per poll, not all of them.
     *
     * @return whether the position is known now (else nothing is published yet: look again later)
     */
    private boolean findPosition(int scan) {
        long known = queue.position();
        if (known == IoQueue.UNKNOWN) {
            int lowest = -1;
            for (int i = 0; i < scan && lowest < 0; i++) {
                int slot = scanFrom;
                scanFrom = (scanFrom + 1) & mask;
                if (queue.statusAcquire(slot) == QueueAbi.STATUS_PUBLISHED) {
                    lowest = slot;
                }
            }
            if (lowest < 0) {
                return false;
            }
            int start = lowest;
            for (int walked = 1; walked < busy.length; walked++) {
                int before = (start - 1) & mask;
                if (queue.statusAcquire(before) != QueueAbi.STATUS_PUBLISHED) {
                    break;
                }
                start = walked == busy.length - 1 ? lowest : before; // all PUBLISHED: no oldest to find
            }
            known = queue.fixPosition(start); // the producer's position if it fixed one first
        }
        cursor = known;
        return true;
    }

    /**
     * Claims the ready slots at the cursor, as many as the SQ and the in-flight cap allow and at
     * most one lap of the queue (so that a flood of bad slots does not keep the loop from reaping);
     * how many.
     */
    private int claim() {
        int n = 0;
        while (fenceSlot < 0 && inFlight < maxInFlight && n < busy.length) {
            int slot = (int) cursor & mask;
            if (busy[slot]) {
                return n; // its request of the previous lap is still ours
            }
            if (ring.sqSpace() == 0) {
                if (!entered(ring.submitAndGetEvents(), "submitting a full SQ") || ring.sqSpace() == 0) {
                    return n;
                }
            }
            int r = decoder.claim(queue, slot);
            if (r == SlotDecoder.NOT_READY) {
                return n;
            }
            n++;
            counts.setRelease(CLAIMED, counts.getPlain(CLAIMED) + 1);
            long position = cursor++;
            if (r != SlotDecoder.OK) {
                complete(slot, QueueAbi.STATUS_DONE_ERROR, r);
                continue;
            }
            if (decoder.op == QueueAbi.OP_FENCE) {
                if (inFlight == 0) {
                    complete(slot, QueueAbi.STATUS_DONE_OK, 0);
                    continue;
                }
                busy[slot] = true;
                positionOf[slot] = -1;
                fenceSlot = slot;
                return n;
            }
            if (!regionScopes[decoder.buffer].isAlive()) {
                complete(slot, QueueAbi.STATUS_DONE_ERROR, QueueError.DESTINATION_FREED.code());
                continue;
            }
            long sqe = ring.nextSqe();
            ring.prepare(sqe, decoder.op == QueueAbi.OP_READ ? Abi.OP_READ_FIXED : Abi.OP_WRITE_FIXED,
                    decoder.file, decoder.address, decoder.length, decoder.offset, position);
            ring.setFlags(sqe, Abi.SQE_FIXED_FILE);
            ring.setBufIndex(sqe, decoder.buffer);
            busy[slot] = true;
            positionOf[slot] = position;
            inFlight++;
            counts.setRelease(IN_FLIGHT, inFlight);
        }
        return n;
    }

    /** A CQE: completes the slot of the request it names. */
    private void completed(long userData, int res, int flags) {
        if (userData == OWN_TOKEN) {
            return; // a cancel's own completion
        }
        int slot = (int) userData & mask;
        if (!busy[slot] || positionOf[slot] != userData) {
            return; // cannot happen: one request per slot at a time, named by its position
        }
        busy[slot] = false;
        inFlight--;
        counts.setRelease(IN_FLIGHT, inFlight);
        if (res >= 0) {
            complete(slot, QueueAbi.STATUS_DONE_OK, res);
        } else if (draining && (res == -Errno.ECANCELED || res == -Errno.EINTR)) { // cancelled: queued, or interrupted in a worker
            complete(slot, QueueAbi.STATUS_DONE_ERROR, drainCode);
        } else {
            complete(slot, QueueAbi.STATUS_DONE_ERROR, QueueError.fromErrno(res));
        }
    }

    /** L4: the result, then the status with release; counted. */
    private void complete(int slot, int status, int result) {
        queue.setWord(slot, QueueAbi.WORD_BYTES, result);
        queue.setStatusRelease(slot, status);
        if (status == QueueAbi.STATUS_DONE_OK) {
            counts.setRelease(OK, counts.getPlain(OK) + 1);
        } else {
            counts.setRelease(ERROR, counts.getPlain(ERROR) + 1);
            int i = Math.min(Math.max(result, 0), QueueError.ERRNO_MAX);
            errorsByCode.setRelease(i, errorsByCode.getPlain(i) + 1);
        }
    }

    /** Whether {@code r}, an {@code io_uring_enter} result, lets the loop go on; else it is made the fatal error. */
    private boolean entered(int r, String what) {
        if (!hardEnterError(r)) {
            return true;
        }
        fatal(new IoLoopException("io_uring_enter (" + what + ") failed: " + Errno.name(r),
                "the loop's ring is unusable (a kernel resource ran out, or a bug); start a new loop to go on "
                        + "serving: published requests wait in the queue"));
        return false;
    }

    /** Whether {@code r}, an {@code io_uring_enter} result, is an error that retrying will not cure. */
    private static boolean hardEnterError(int r) {
        return r < 0 && r != -Errno.EINTR && r != -Errno.EAGAIN && r != -Errno.EBUSY && r != -Errno.ETIME;
    }

    private void fatal(IoLoopException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /**
     * Stopped or failed: completes every slot the loop holds. Requests in the kernel are cancelled
     * and their completions awaited (a finished one keeps its result); what is left after
     * {@link IoLoopConfig#drainTimeout()}, or when the ring cannot be entered, is completed
     * anyway, and the fatal error says their destinations may still be written. A waiting FENCE
     * completes last.
     */
    private void finish() {
        int code = failure != null ? QueueError.LOOP_FAILED.code() : QueueError.STOPPED.code();
        draining = true;
        drainCode = code;
        String why = drain();
        if (inFlight > 0) {
            int left = inFlight;
            for (int slot = 0; slot < busy.length; slot++) {
                if (busy[slot] && slot != fenceSlot) {
                    busy[slot] = false;
                    complete(slot, QueueAbi.STATUS_DONE_ERROR, code);
                }
            }
            inFlight = 0;
            counts.setRelease(IN_FLIGHT, 0);
            IoLoopException stuck = new IoLoopException(left + " requests were still in the kernel when the loop "
                    + "stopped (" + why + "): the kernel may still write into their destinations",
                    "keep those destinations' memory allocated for the life of this process");
            if (failure != null) {
                failure.addSuppressed(stuck);
            } else {
                failure = stuck;
            }
        }
        if (fenceSlot >= 0) {
            busy[fenceSlot] = false;
            complete(fenceSlot, QueueAbi.STATUS_DONE_ERROR, code);
            fenceSlot = -1;
        }
    }

    /** Cancels what is in flight and reaps until nothing is; why it gave up, if it did. */
    private String drain() {
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        int hardErrors = 0;
        int lastError = 0;
        int nextCancel = 0;
        boolean cancelledAll = false;
        while (inFlight > 0) {
            if (kernel.cancelAll()) {
                if (!cancelledAll && ring.sqSpace() > 0) {
                    long sqe = ring.nextSqe();
                    ring.prepare(sqe, Abi.OP_ASYNC_CANCEL, -1, 0, 0, 0, OWN_TOKEN);
                    ring.setOpFlags(sqe, Abi.ASYNC_CANCEL_ALL | Abi.ASYNC_CANCEL_ANY);
                    cancelledAll = true;
                }
            } else {
                while (nextCancel < busy.length && ring.sqSpace() > 0) {
                    int slot = nextCancel++;
                    if (busy[slot] && positionOf[slot] >= 0) {
                        long sqe = ring.nextSqe();
                        ring.prepare(sqe, Abi.OP_ASYNC_CANCEL, -1, positionOf[slot], 0, 0, OWN_TOKEN);
                    }
                }
            }
            int r = ring.submitAndWait(1, 10_000_000L);
            if (hardEnterError(r)) {
                lastError = r;
                if (++hardErrors == 3) {
                    return "io_uring_enter failed three times in a row: " + Errno.name(lastError);
                }
            } else {
                hardErrors = 0;
            }
            ring.reap(onCompletion);
            if (inFlight > 0 && System.nanoTime() - deadline > 0) {
                return "they did not complete within " + config.drainTimeout();
            }
        }
        return null;
    }

    private void closeRing() {
        if (ring != null) {
            ring.close();
        }
    }

    // -----------------------------------------------------------------------------------------
    // Control, from any thread

    /**
     * Stops the loop: it claims nothing more, completes every slot it holds (see the class
     * comment), closes its ring and files, and its thread ends; this waits for that. Idempotent.
     *
     * @return the loop's first fatal error, if it had one
     */
    public Optional<IoLoopException> stop() {
        stopRequested = true;
        LockSupport.unpark(thread);
        if (joinUninterruptibly(thread)) {
            Thread.currentThread().interrupt();
        }
        return Optional.ofNullable(failure);
    }

    /** Joins {@code t}; whether the caller was interrupted meanwhile (the flag is cleared). */
    private static boolean joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    /** The loop's first fatal error so far, if any (the loop ends after one). */
    public Optional<IoLoopException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether the loop's thread still runs (false after {@link #stop()} or a fatal error's clean-up). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** What the loop has done so far. */
    public IoLoopStats stats() {
        Map<Integer, Long> codes = new LinkedHashMap<>();
        for (int code = 0; code < errorsByCode.length(); code++) {
            long n = errorsByCode.getAcquire(code);
            if (n != 0) {
                codes.put(code, n);
            }
        }
        return new IoLoopStats(counts.getAcquire(CLAIMED), counts.getAcquire(OK), counts.getAcquire(ERROR), codes,
                (int) counts.getAcquire(IN_FLIGHT), counts.getAcquire(PARKS), counts.getAcquire(DOZES));
    }

    /** The loop's ring, for tests that inject faults into it; set before {@link #start} returns. */
    Ring ring() {
        return ring;
    }

    /** The loop's thread, for tests. */
    Thread thread() {
        return thread;
    }

    @Override
    public String toString() {
        return "IoLoop[" + config.threadName() + ", " + queue.slots() + " slots, " + files.size() + " files, "
                + destinations.size() + " destinations]";
    }
}
