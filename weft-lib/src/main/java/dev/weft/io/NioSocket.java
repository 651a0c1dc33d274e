package dev.weft.io;

import dev.weft.sched.CarrierPin;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * A socket on the NIO backend: a non-blocking {@link SocketChannel} or {@link ServerSocketChannel},
 * and the tasks waiting on it.
 *
 * <p><b>Waiters.</b> Tasks waiting for readiness are kept here, not in a selection key, because
 * the channel may have a key in several workers' selectors (a task registers with the driver of
 * the worker it runs on) and because {@link #close()} must find them. There are two lists, one
 * per direction: {@link #READERS} (read, accept) and {@link #WRITERS} (write, connect). They are
 * guarded by this socket's lock, held only for a few field writes, never across a park. A waiter
 * leaves its list exactly once, by one of three parties: a driver whose selector reported the
 * direction ready ({@link #takeAll}), the task itself giving up ({@link #remove}: timeout,
 * interrupt), or {@link #close()}. Whoever takes it out settles it ({@link NioWaiter#settle}:
 * the driver's wait count, the ready flag, the unpark).
 *
 * <p><b>Pinned.</b> A task calls every method here pinned to its worker's thread
 * ({@link dev.weft.sched.CarrierPin}; the list methods through {@link NioDriver}, which pins its
 * operations): this lock, the channel's locks and the selectors' locks are also taken by workers'
 * threads, and a task must not leave its carrier while it holds or waits for one (see
 * {@link NioDriver}, "Threads").
 *
 * <p><b>Closing.</b> {@link #close()} marks the socket closed under the lock (so no waiter joins
 * after it), closes the channel (which cancels its keys), settles every waiter (each retries its
 * operation, finds the channel closed and returns {@code -EBADF}), and wakes every driver whose
 * selector holds a key for the channel: the JDK closes the file descriptor only once each of
 * those selectors has dropped its cancelled key, which it does in its next select.
 */
final class NioSocket implements SocketHandle {

    /** Direction of tasks waiting to read or accept. */
    static final int READERS = 0;
    /** Direction of tasks waiting to write or connect. */
    static final int WRITERS = 1;

    private static final NioDriver[] NO_DRIVERS = new NioDriver[0];

    final SelectableChannel channel;
    private final Object lock = new Object();
    /** Heads of the waiter lists, by direction; guarded by {@link #lock}. */
    private final NioWaiter[] waiters = new NioWaiter[2];
    /** Drivers whose selector holds (or held) a key for the channel; guarded by {@link #lock}. */
    private NioDriver[] drivers = NO_DRIVERS;
    private volatile boolean closed;

    NioSocket(SelectableChannel channel) {
        this.channel = channel;
    }

    /** The connected (or connecting) channel; a listener is the caller's mistake. */
    SocketChannel stream(String what) {
        if (channel instanceof SocketChannel c) {
            return c;
        }
        throw new IllegalArgumentException(what + " needs a connected socket, not the listener " + this);
    }

    /** The listening channel; a connected socket is the caller's mistake. */
    ServerSocketChannel server(String what) {
        if (channel instanceof ServerSocketChannel s) {
            return s;
        }
        throw new IllegalArgumentException(what + " needs a listening socket, not the connected " + this);
    }

    // -----------------------------------------------------------------------------------------
    // Waiters

    /**
     * Adds {@code w} to the waiters of {@code direction} and notes its driver.
     *
     * @return false if the socket is closed (nothing was added)
     */
    boolean enqueue(int direction, NioWaiter w) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            w.next = waiters[direction];
            waiters[direction] = w;
            NioDriver d = w.driver;
            NioDriver[] ds = drivers;
            for (NioDriver known : ds) {
                if (known == d) {
                    return true;
                }
            }
            ds = Arrays.copyOf(ds, ds.length + 1);
            ds[ds.length - 1] = d;
            drivers = ds;
            return true;
        }
    }

    /**
     * Takes {@code w} out of its list, if it is still there.
     *
     * @return true if this call took it (the caller settles it); false if a driver or
     *         {@link #close()} took it first
     */
    boolean remove(int direction, NioWaiter w) {
        synchronized (lock) {
            NioWaiter prev = null;
            for (NioWaiter x = waiters[direction]; x != null; prev = x, x = x.next) {
                if (x == w) {
                    if (prev == null) {
                        waiters[direction] = x.next;
                    } else {
                        prev.next = x.next;
                    }
                    x.next = null;
                    return true;
                }
            }
            return false;
        }
    }

    /** Takes every waiter of {@code direction}: a chain through {@code next}, or null. The caller settles them. */
    NioWaiter takeAll(int direction) {
        synchronized (lock) {
            NioWaiter head = waiters[direction];
            waiters[direction] = null;
            return head;
        }
    }

    /** Takes the waiters of {@code direction} registered with {@code driver}: a chain, or null. */
    NioWaiter takeRegisteredWith(int direction, NioDriver driver) {
        synchronized (lock) {
            NioWaiter taken = null;
            NioWaiter prev = null;
            for (NioWaiter x = waiters[direction]; x != null; ) {
                NioWaiter next = x.next;
                if (x.driver == driver) {
                    if (prev == null) {
                        waiters[direction] = next;
                    } else {
                        prev.next = next;
                    }
                    x.next = taken;
                    taken = x;
                } else {
                    prev = x;
                }
                x = next;
            }
            return taken;
        }
    }

    /** Settles every waiter of a chain taken out of a list; {@code cancel}: they throw instead of retrying. */
    static void settleAll(NioWaiter chain, boolean cancel) {
        while (chain != null) {
            NioWaiter next = chain.next;
            chain.next = null;
            chain.settle(cancel);
            chain = next;
        }
    }

    // -----------------------------------------------------------------------------------------
    // SocketHandle

    @Override
    public InetSocketAddress localAddress() throws ErrnoException {
        CarrierPin.enter();
        try {
            return (InetSocketAddress) ((NetworkChannel) channel).getLocalAddress();
        } catch (IOException e) {
            throw NioErrno.errnoException("getsockname on " + this, e);
        } finally {
            CarrierPin.exit();
        }
    }

    @Override
    public InetSocketAddress remoteAddress() throws ErrnoException {
        InetSocketAddress a;
        CarrierPin.enter();
        try {
            a = channel instanceof SocketChannel c ? (InetSocketAddress) c.getRemoteAddress() : null;
        } catch (IOException e) {
            throw NioErrno.errnoException("getpeername on " + this, e);
        } finally {
            CarrierPin.exit();
        }
        if (a == null) {
            throw new ErrnoException("getpeername on " + this + " failed: ENOTCONN (not connected)",
                    Errno.ENOTCONN, null);
        }
        return a;
    }

    private volatile boolean outputShut;

    /** Whether {@link #shutdownOutput()} was called: a write after it fails as EPIPE, as on Linux. */
    boolean outputShut() {
        return outputShut;
    }

    @Override
    public void shutdownOutput() throws ErrnoException {
        CarrierPin.enter();
        try {
            stream("shutdownOutput").shutdownOutput();
            outputShut = true;
        } catch (IOException | NotYetConnectedException e) {
            throw NioErrno.errnoException("shutdown(SHUT_WR) on " + this, e);
        } finally {
            CarrierPin.exit();
        }
    }

    @Override
    public void setNoDelay(boolean on) throws ErrnoException {
        CarrierPin.enter();
        try {
            stream("setNoDelay").setOption(StandardSocketOptions.TCP_NODELAY, on);
        } catch (IOException e) {
            throw NioErrno.errnoException("setsockopt(TCP_NODELAY=" + on + ") on " + this, e);
        } finally {
            CarrierPin.exit();
        }
    }

    @Override
    public void close() {
        CarrierPin.enter(); // this lock, the channel's and the selectors' are the workers' too (see NioDriver)
        try {
            closePinned();
        } finally {
            CarrierPin.exit();
        }
    }

    private void closePinned() {
        NioWaiter readers;
        NioWaiter writers;
        NioDriver[] ds;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            readers = waiters[READERS];
            writers = waiters[WRITERS];
            waiters[READERS] = null;
            waiters[WRITERS] = null;
            ds = drivers;
            drivers = NO_DRIVERS;
        }
        try {
            channel.close(); // cancels the channel's keys; waiters retrying now see it closed
        } catch (IOException ignored) {
            // the descriptor is released either way; there is nobody to tell
        }
        settleAll(readers, false);
        settleAll(writers, false);
        for (NioDriver d : ds) {
            d.wake(); // its next select drops the cancelled key, and the JDK then closes the fd
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        String kind = channel instanceof ServerSocketChannel ? "listener" : "socket";
        if (closed) {
            return "NIO " + kind + " (closed)";
        }
        try {
            Object local = ((NetworkChannel) channel).getLocalAddress();
            Object remote = channel instanceof SocketChannel c ? c.getRemoteAddress() : null;
            return "NIO " + kind + " " + local + (remote != null ? " -> " + remote : "");
        } catch (IOException | RuntimeException e) {
            return "NIO " + kind;
        }
    }
}
