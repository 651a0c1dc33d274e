package dev.weft.io;

import dev.weft.sched.CarrierPin;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A worker's NIO driver: one {@link Selector}, for machines (or JVMs) without io_uring. Sockets
 * are non-blocking channels ({@link NioSocket}); a task tries an operation at once and waits only
 * if the channel is not ready.
 *
 * <h2>What it owns</h2>
 * The selector, and through it one {@link SelectionKey} per channel that a task on this worker has
 * waited on (a channel gets a key in the selector of each worker it was waited on from; keys live
 * until the channel closes), whose attachment is the {@link NioSocket}. The tasks waiting are
 * kept in the socket, one list per direction (read/accept, write/connect): see {@link NioSocket}.
 * A count of the waiters registered here makes {@link #busy()}.
 *
 * <h2>The wait</h2>
 * A task waits for readiness through {@link NioWaiter}: the steps, and why no wake-up is lost,
 * are stated there. Workers sleeping in {@link #park()} are woken by {@link #wake()}
 * ({@link SelectorWakeup}).
 *
 * <h2>Threads</h2>
 * The selector, the keys' creation and interest changes, and the operation count are touched only
 * on the worker's thread: its loop, or a task mounted on it while it registers. After it parks, a
 * task may resume on another worker; from then on it touches only its {@link NioWaiter}, the socket's
 * lists (under the socket's lock) and the wait count of the driver its waiter is registered with
 * ({@link AtomicInteger}). A task that gives up leaves the interest bit set: the selector drops it
 * the next time it fires with nobody waiting (one spurious select return, no spin). A waiter can
 * be settled by a selector other than the one it registered with (the channel has keys in both):
 * readiness is readiness, and the task retries either way.
 *
 * <p><b>Pinned.</b> Tasks and workers' threads take the same locks: the socket's (its waiter
 * lists), the selector's (its monitor in {@code select}, its key-update lock in {@code select}
 * and in interest changes, its interrupt lock in {@code wakeup} and after a select that a wake-up
 * ended) and the channel's (its key locks in {@code register}; a worker takes them and the
 * channel's state locks when it drops the key of a closed channel). Since
 * JDK 24 a virtual thread blocked on a contended monitor leaves its carrier, and a task that did
 * so while it held such a lock, or was next in line for it, could then only go on once a worker
 * ran it; a worker's thread waiting for the lock runs nothing, so when no other worker was awake
 * (or left: the last task's end wakes every worker to exit) both waited for ever. So every
 * operation on a socket, {@link NioSocket}'s methods, {@link #poll()} (which a runner searching
 * for work calls from a virtual thread) and {@link #wake()} run pinned to
 * the task's carrier ({@link CarrierPin}): there a contended lock blocks the carrier, as it would
 * a platform thread, and is released by a running thread. A waiting task unpins only to park,
 * after its registration. Pinned, a registration cannot move to another worker halfway either.
 *
 * <h2>Control messages and shutdown</h2>
 * Other threads hand the owner work through {@link #control}: a {@link ControlMailbox} (whose
 * pending flag makes {@link #busy()} true, and which wakes the worker through
 * {@link SelectorWakeup}; it defines what happens to messages after close). The worker runs the messages at the start of
 * {@link #poll()} and {@link #park()}; a park that ran any only polls and returns, since a
 * message may have made tasks runnable on this worker. {@link #cancelAll()} is such a message: it
 * settles every waiter registered here as cancelled, and those tasks throw
 * {@link InterruptedIOException}; a task registering after it sees the group cancelling. (A
 * task that starts waiting during the grace period before, once listeners closed, waits.)
 *
 * <h2>Errors</h2>
 * Results are counts or {@code -errno}, as on io_uring; the JDK's exceptions are mapped by
 * {@link NioErrno}. A read returns 0 at end of stream (the JDK's -1). Accept, connect and
 * listen throw {@link ErrnoException}. A task interrupted (cancelled) while it waits gets
 * {@link InterruptedIOException}, its interrupt status still set.
 */
public final class NioDriver implements IoDriver {

    private final Selector selector;
    private final Consumer<SelectionKey> onReady = this::ready;
    /** Waiters registered with this driver and not settled yet: up on the owner, down by whoever settles. */
    final AtomicInteger waiting = new AtomicInteger();
    private final SelectorWakeup wakeup;
    /** Messages any thread posts for the owner to run at its next poll or park ({@link #cancelAll()}). */
    private final ControlMailbox mailbox;
    private volatile IoGroup group;
    private volatile Thread owner;
    /** Why this driver failed, or null: written once by the owner ({@link #fail}), read by tasks and stats. */
    private volatile IOException failure;
    /** Operations started on this driver: written by the owner only (opaque), read by stats. */
    @SuppressWarnings("unused") // through OPERATIONS
    private long operations;

    /**
     * A driver with its selector.
     *
     * @throws UncheckedIOException if the JDK cannot open a selector (out of file descriptors)
     */
    public NioDriver() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open an NIO selector for a weft worker: " + e.getMessage(), e);
        }
        wakeup = new SelectorWakeup(selector);
        mailbox = new ControlMailbox(this::wake); // this.wake: a failed driver's owner sleeps on its permit
    }

    // -----------------------------------------------------------------------------------------
    // Driver

    @Override
    public void attach() {
        owner = Thread.currentThread();
    }

    @Override
    /**
     * Pinned: a runner searching for work calls it from a virtual thread, and the selector's and
     * sockets' locks taken here must not move that search to another worker (see Threads).
     */
    public void poll() {
        CarrierPin.enter();
        try {
            if (mailbox.pending()) {
                mailbox.runPending();
            }
            if (failure != null) {
                return; // no waiter is registered here any more (see fail)
            }
            selector.selectNow(onReady);
        } catch (IOException e) {
            throw new UncheckedIOException("selectNow on " + this + " failed: " + e.getMessage(), e);
        } finally {
            CarrierPin.exit();
        }
    }

    @Override
    public boolean busy() {
        return waiting.get() != 0 || mailbox.pending();
    }

    @Override
    public void park() {
        if (mailbox.pending()) {
            // A message may have made tasks runnable (queued on this worker): do not block, so
            // that the worker sees them; a spurious return is allowed.
            mailbox.runPending();
            poll();
            return;
        }
        if (failure != null) {
            LockSupport.park(this); // see fail: wake() unparks a failed driver's owner
            return;
        }
        try {
            selector.select(onReady);
        } catch (IOException e) {
            throw new UncheckedIOException("select on " + this + " failed: " + e.getMessage(), e);
        }
    }

    /** From any thread, tasks too: see {@link SelectorWakeup}. */
    @Override
    public void wake() {
        wakeup.wake();
        if (failure != null) {
            // A failed driver's owner sleeps on its permit. A wake-up that read null here came
            // before the failure was recorded, inside the park that failed, which returns anyway.
            Thread t = owner;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * On the owner's thread: {@link #poll()} or {@link #park()} threw {@code cause} (a select
     * that failed, a throwing control message). Records the failure, so every operation that
     * starts from now on fails at once with an {@link IOException} naming it; settles every
     * waiter registered here, whose task throws likewise (the JDK's channels hold no memory of
     * the task's, so nothing needs to drain); and marks the runtime failed
     * ({@link IoGroup#failed}). From then on the worker sleeps on its thread's permit. Idempotent.
     */
    @Override
    public void fail(Throwable cause) {
        if (failure != null) {
            return;
        }
        Thread t = owner;
        IOException f = new IOException("the NIO driver of " + (t == null ? "an unattached worker" : t.getName())
                + " failed: " + cause, cause);
        failure = f;
        IoGroup g = group;
        if (g != null) {
            g.failed(f);
        }
        try {
            settleEveryWaiter();
        } catch (RuntimeException | Error e) { // a selector closed under us has no keys to settle
            f.addSuppressed(e);
        }
        try {
            // No select runs from now on, and the JDK releases a closed channel's descriptor only
            // when a select drops its key: closing the selector drops every key now, so sockets
            // closed later release theirs at once (open ones stay open, usable elsewhere).
            selector.close();
        } catch (IOException | RuntimeException e) {
            f.addSuppressed(e);
        }
    }

    /** Why this driver's I/O failed (its own failure, or the runtime's), or null; any thread. */
    @Override
    public IOException failure() {
        IOException f = failure;
        IoGroup g = group;
        return f != null || g == null ? f : g.failure();
    }


    /** Closes the mailbox first (what is pending runs, and sees the driver closed), then the selector. */
    @Override
    public void close() {
        mailbox.close();
        try {
            selector.close(); // deregisters every key: closed channels release their descriptors
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    @Override
    public String backend() {
        return "nio";
    }

    @Override
    public long operations() {
        return (long) OPERATIONS.getOpaque(this);
    }

    @Override
    public IoGroup group() {
        return group;
    }

    /** Joins the runtime's group; NIO has no registered regions, so {@code regionSlots} is unused. */
    @Override
    public void joinGroup(IoGroup group, int regionSlots) {
        this.group = group;
    }

    /**
     * From any thread: every task waiting on this driver throws {@link InterruptedIOException}
     * saying the runtime shut down. Runs on the worker at its next poll or park; a task that
     * registers after that sees the group shutting down and throws likewise.
     */
    @Override
    public void cancelAll() {
        control(this::settleEveryWaiter);
    }

    /** Runs {@code message} on the worker's thread at its next poll or park, and wakes the worker (see {@link ControlMailbox}). */
    void control(Runnable message) {
        mailbox.post(message);
    }

    /**
     * On the owner: settles every waiter registered with this driver, marked as cancelled. After
     * close it has nothing to do (no task waits on a closed driver; its selector has no keys).
     */
    private void settleEveryWaiter() {
        if (mailbox.isClosed() || !selector.isOpen()) { // closed, or failed: fail settled them
            return;
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof NioSocket socket) {
                for (int direction = NioSocket.READERS; direction <= NioSocket.WRITERS; direction++) {
                    NioSocket.settleAll(socket.takeRegisteredWith(direction, this), true);
                }
            }
        }
    }

    /** Waiters registered with this driver and not settled yet. */
    int waiting() {
        return waiting.get();
    }

    @Override
    public String toString() {
        Thread t = owner;
        return "NIO driver" + (t != null ? " of " + t.getName() : "");
    }

    /** On the owner: a key the selector reported ready. */
    private void ready(SelectionKey key) {
        NioSocket socket = (NioSocket) key.attachment();
        boolean read;
        boolean write;
        try {
            int ops = key.readyOps();
            read = (ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0;
            write = (ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0;
            int fired = (read ? SelectionKey.OP_READ | SelectionKey.OP_ACCEPT : 0)
                    | (write ? SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT : 0);
            key.interestOpsAnd(~fired); // before any settled task can register again (it runs after this)
        } catch (CancelledKeyException e) {
            return; // the socket was closed: close() settled its waiters
        }
        if (read) {
            NioSocket.settleAll(socket.takeAll(NioSocket.READERS), false);
        }
        if (write) {
            NioSocket.settleAll(socket.takeAll(NioSocket.WRITERS), false);
        }
    }

    /** On the owner: adds {@code op} to the interest set of the channel's key in this selector. */
    void interest(NioSocket socket, int op) throws ClosedChannelException {
        SelectionKey key = socket.channel.keyFor(selector);
        if (key == null) {
            socket.channel.register(selector, op, socket);
        } else {
            key.interestOpsOr(op); // CancelledKeyException if the channel was closed
        }
    }

    /** Counts an operation starting on this driver; throws if the runtime's I/O failed. */
    private void started() throws IOException {
        IOException f = failure();
        if (f != null) {
            throw new DriverFailedException(f);
        }
        countOperation();
    }

    private void countOperation() {
        OPERATIONS.setOpaque(this, (long) OPERATIONS.getOpaque(this) + 1);
    }

    /** The NIO driver of the worker the calling task runs on. */
    static NioDriver current(String what) {
        IoDriver d = IoDriver.current(what);
        if (d instanceof NioDriver n) {
            return n;
        }
        throw new IllegalStateException(what + " on an NIO socket must run on a runtime whose I/O backend is NIO;"
                + " this worker's backend is " + d.backend());
    }

    private static NioSocket nio(SocketHandle handle, String what) {
        Objects.requireNonNull(handle, "socket");
        if (handle instanceof NioSocket s) {
            return s;
        }
        throw new IllegalArgumentException(what + " on the NIO backend was given " + handle
                + "; sockets work only with drivers of the backend that made them");
    }

    // -----------------------------------------------------------------------------------------
    // Operations

    @Override
    public SocketHandle listen(InetSocketAddress address, int backlog, SocketConfig config) throws ErrnoException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(config, "config");
        ServerSocketChannel ch;
        try {
            ch = ServerSocketChannel.open(family(address, "listen"));
        } catch (IOException e) {
            throw NioErrno.errnoException("socket() to listen on " + address, e);
        }
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, config.reuseAddress());
            if (config.reusePort()) {
                if (!ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new ErrnoException("SO_REUSEPORT on " + address + " failed: EOPNOTSUPP (this platform"
                            + " has no SO_REUSEPORT)", Errno.EOPNOTSUPP, null);
                }
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (config.receiveBuffer() > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBuffer()); // accepted sockets inherit it
            }
            ch.bind(address, backlog);
            return new NioSocket(ch);
        } catch (ErrnoException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException | UnresolvedAddressException e) {
            closeQuietly(ch);
            throw NioErrno.errnoException("listen on " + address, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public SocketHandle accept(SocketHandle listener, long timeoutNanos, SocketConfig config)
            throws IOException {
        Objects.requireNonNull(config, "config");
        NioSocket l = nio(listener, "accept");
        ServerSocketChannel server = l.server("accept");
        current("accept").started();
        boolean timed = NioWaiter.timed(timeoutNanos);
        long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
        CarrierPin.enter();
        try {
            return acceptPinned(l, server, timed, deadline, config);
        } finally {
            CarrierPin.exit();
        }
    }

    private static SocketHandle acceptPinned(NioSocket l, ServerSocketChannel server, boolean timed, long deadline,
                                             SocketConfig config) throws IOException {
        for (;;) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                throw NioErrno.errnoException("accept on " + l, e);
            }
            if (c != null) {
                try {
                    c.configureBlocking(false);
                    configureStream(c, config);
                } catch (IOException e) {
                    closeQuietly(c);
                    throw NioErrno.errnoException("configuring a socket accepted on " + l, e);
                }
                return new NioSocket(c);
            }
            int r = NioWaiter.await(l, NioSocket.READERS, SelectionKey.OP_ACCEPT, timed, deadline, "accept");
            if (r < 0) {
                throw new ErrnoException("accept on " + l, r);
            }
        }
    }

    @Override
    public SocketHandle connect(InetSocketAddress address, long timeoutNanos, SocketConfig config)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(config, "config");
        current("connect").started();
        boolean timed = NioWaiter.timed(timeoutNanos);
        long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
        CarrierPin.enter();
        try {
            return connectPinned(address, timed, deadline, config);
        } finally {
            CarrierPin.exit();
        }
    }

    private static SocketHandle connectPinned(InetSocketAddress address, boolean timed, long deadline,
                                              SocketConfig config) throws IOException {
        SocketChannel c;
        try {
            c = SocketChannel.open(family(address, "connect"));
        } catch (IOException e) {
            throw NioErrno.errnoException("socket() to connect to " + address, e);
        }
        NioSocket s = new NioSocket(c);
        try {
            c.configureBlocking(false);
            configureStream(c, config);
            if (!c.connect(address)) {
                for (;;) {
                    int r = NioWaiter.await(s, NioSocket.WRITERS, SelectionKey.OP_CONNECT, timed, deadline, "connect");
                    if (r < 0) {
                        throw new ErrnoException("connect to " + address, r);
                    }
                    if (c.finishConnect()) {
                        break;
                    }
                }
            }
            return s;
        } catch (ErrnoException | InterruptedIOException e) {
            s.close();
            throw e;
        } catch (DriverFailedException e) {
            s.close();
            throw e;
        } catch (IOException e) {
            s.close();
            throw NioErrno.errnoException("connect to " + address, e);
        } catch (UnresolvedAddressException e) {
            s.close();
            throw NioErrno.errnoException("connect to " + address, e);
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    @Override
    public int read(SocketHandle socket, ByteBuffer dst, long timeoutNanos) throws IOException {
        NioSocket s = nio(socket, "read");
        SocketChannel c = s.stream("read");
        Objects.requireNonNull(dst, "dst");
        current("read").started();
        if (!dst.hasRemaining()) {
            return 0;
        }
        return (int) NioWaiter.transfer(s, NioSocket.READERS, SelectionKey.OP_READ, timeoutNanos, "read", () -> {
            int n = c.read(dst);
            return n > 0 ? n : n < 0 ? 0 : NioWaiter.WOULD_BLOCK; // -1 is end of stream: 0, as io_uring reports it
        });
    }

    @Override
    public int read(SocketHandle socket, MemorySegment dst, long timeoutNanos) throws IOException {
        return read(socket, buffer(dst), timeoutNanos);
    }

    @Override
    public int write(SocketHandle socket, ByteBuffer src, long timeoutNanos) throws IOException {
        NioSocket s = nio(socket, "write");
        SocketChannel c = s.stream("write");
        Objects.requireNonNull(src, "src");
        current("write").started();
        if (!src.hasRemaining()) {
            return 0;
        }
        return (int) afterShutdown(s, NioWaiter.transfer(s, NioSocket.WRITERS, SelectionKey.OP_WRITE, timeoutNanos, "write", () -> {
            int n = c.write(src);
            return n > 0 ? n : NioWaiter.WOULD_BLOCK;
        }));
    }

    /** The JDK reports a write after shutdownOutput as a closed channel; Linux says EPIPE. */
    private static long afterShutdown(NioSocket s, long r) {
        return r == -Errno.EBADF && s.outputShut() && !s.isClosed() ? -Errno.EPIPE : r;
    }

    @Override
    public int write(SocketHandle socket, MemorySegment src, long timeoutNanos) throws IOException {
        return write(socket, buffer(src), timeoutNanos);
    }

    @Override
    public long write(SocketHandle socket, ByteBuffer[] srcs, long timeoutNanos) throws IOException {
        NioSocket s = nio(socket, "write");
        SocketChannel c = s.stream("write");
        Objects.requireNonNull(srcs, "srcs");
        current("write").started();
        long total = 0;
        for (ByteBuffer b : srcs) {
            total += b.remaining();
        }
        if (total == 0) {
            return 0;
        }
        return afterShutdown(s, NioWaiter.transfer(s, NioSocket.WRITERS, SelectionKey.OP_WRITE, timeoutNanos, "write", () -> {
            long n = c.write(srcs);
            return n > 0 ? n : NioWaiter.WOULD_BLOCK;
        }));
    }

    /** Opens a file: {@link NioFile#open}. */
    @Override
    public OpenFile openFile(java.nio.file.Path path, OpenSpec spec) throws IOException {
        return NioFile.open(path, spec);
    }

    /** @throws UnsupportedOperationException always: registered regions are io_uring's */
    @Override
    public int writeRegion(SocketHandle socket, int slot, int generation, long offset, int length, long timeoutNanos) {
        throw noRegions();
    }

    /** @throws UnsupportedOperationException always: registered regions are io_uring's */
    @Override
    public int readRegion(SocketHandle socket, int slot, int generation, long offset, int length, long timeoutNanos) {
        throw noRegions();
    }

    private static UnsupportedOperationException noRegions() {
        return new UnsupportedOperationException("registered regions need the io_uring backend; this runtime uses NIO"
                + " (read and write the region's memory as a MemorySegment instead)");
    }

    // -----------------------------------------------------------------------------------------
    // Helpers

    /** The segment as a buffer (its first 2 GiB: one operation moves less anyway). */
    private static ByteBuffer buffer(MemorySegment segment) {
        Objects.requireNonNull(segment, "segment");
        return segment.byteSize() > Integer.MAX_VALUE
                ? segment.asSlice(0, Integer.MAX_VALUE).asByteBuffer() : segment.asByteBuffer();
    }

    private static ProtocolFamily family(InetSocketAddress address, String what) throws ErrnoException {
        if (address.isUnresolved()) {
            throw new ErrnoException(what + " to " + address + " failed: EINVAL (the address is unresolved;"
                    + " resolve the host name first)", Errno.EINVAL, null);
        }
        return address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private static void configureStream(SocketChannel c, SocketConfig config) throws IOException {
        c.setOption(StandardSocketOptions.TCP_NODELAY, config.noDelay());
        if (config.receiveBuffer() > 0) {
            c.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBuffer());
        }
        if (config.sendBuffer() > 0) {
            c.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBuffer());
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to report: the caller throws the original failure
        }
    }

    private static final VarHandle OPERATIONS;

    static {
        try {
            OPERATIONS = MethodHandles.lookup().findVarHandle(NioDriver.class, "operations", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
