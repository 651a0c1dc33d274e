package dev.weft.io;

import dev.weft.uring.ErrnoException;
import dev.weft.uring.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A socket on the io_uring backend: a file descriptor.
 *
 * <h2>Closing while operations are pending</h2>
 * A descriptor number is reused by the kernel as soon as it is closed, and an SQE names the
 * socket by number until the worker submits it; so the descriptor must stay open while any
 * operation may still use it. {@link DescriptorUses} holds a closed bit (the sign bit) and the number of
 * operations using the descriptor. An operation {@link #acquire}s (a CAS that fails once closed)
 * before it writes its SQE and {@link #release}s after its CQE. {@link #close()} sets the closed
 * bit and shuts the socket down, which ends pending receives (EOF) and accepts (EINVAL); the
 * descriptor itself is closed by whoever brings the state to "closed, no users": close() when
 * nothing was in flight, else the last release. Exactly one of them sees that value.
 */
final class UringSocket implements SocketHandle {

    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_REUSEPORT = 15;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int SHUT_WR = 1;
    static final int SHUT_RDWR = 2;


    final int fd;
    private final DescriptorUses uses = new DescriptorUses();
    private volatile AcceptQueue acceptQueue;
    /** The direct buffer this socket last received into, with its segment (see {@link #address}). */
    private BufferAddress received;
    /** The direct buffer this socket last sent from, with its segment. */
    private BufferAddress sent;

    UringSocket(int fd) {
        this.fd = fd;
    }

    /** A new TCP socket for {@code family}. */
    static UringSocket open(int family) throws ErrnoException {
        int fd = Libc.socket(Libc.errnoState(), family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new ErrnoException("socket(" + (family == SockAddr.AF_INET ? "AF_INET" : "AF_INET6") + ", SOCK_STREAM)", fd);
        }
        return new UringSocket(fd);
    }

    void setInt(int level, int option, int value, String name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            int r = Libc.setsockopt(Libc.errnoState(), fd, level, option, v.address(), 4);
            if (r < 0) {
                throw new ErrnoException("setsockopt(" + name + "=" + value + ") on fd " + fd, r);
            }
        }
    }

    /** Applies the options of {@code config} that a connected socket takes. */
    void configureStream(SocketConfig config) throws ErrnoException {
        if (config.noDelay()) {
            setInt(IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
        }
        configureBuffers(config);
    }

    void configureBuffers(SocketConfig config) throws ErrnoException {
        if (config.receiveBuffer() > 0) {
            setInt(SOL_SOCKET, SO_RCVBUF, config.receiveBuffer(), "SO_RCVBUF");
        }
        if (config.sendBuffer() > 0) {
            setInt(SOL_SOCKET, SO_SNDBUF, config.sendBuffer(), "SO_SNDBUF");
        }
    }

    /** Takes a use of the descriptor; false once the socket is closed. */
    boolean acquire() {
        return uses.acquire();
    }

    /** Gives a use back; the last one after {@link #close()} closes the descriptor. */
    void release() {
        if (uses.release()) {
            Libc.close(Libc.errnoState(), fd);
        }
    }

    /** Takes a use, or fails on a closed socket: its descriptor number may belong to another file. */
    /**
     * The native address of direct buffer {@code b}'s position, for a receive ({@code receive})
     * or a send. A connection reads and writes through the same buffer, call after call, and
     * {@link MemorySegment#ofBuffer} costs more than the rest of preparing an operation; so each
     * direction keeps its last buffer with a segment over the buffer's whole capacity, and a
     * call with the same buffer only checks that the segment's scope is alive (a buffer from an
     * arena that was closed is refused as {@code ofBuffer} refuses it). The pair is one
     * immutable object in one field, so tasks reading and writing at once never mix two pairs.
     * It keeps that one buffer per direction reachable while the socket lives.
     *
     * @throws IllegalStateException if {@code b}'s memory was freed (its arena closed)
     */
    long address(ByteBuffer b, boolean receive) {
        BufferAddress last = receive ? received : sent;
        if (last == null || last.buffer != b) {
            last = new BufferAddress(b, MemorySegment.ofBuffer(b.duplicate().clear()));
            if (receive) {
                received = last;
            } else {
                sent = last;
            }
        } else if (!last.segment.scope().isAlive()) {
            throw new IllegalStateException("the buffer's memory was freed: its arena is closed");
        }
        return last.segment.address() + b.position();
    }

    /** A direct buffer and a segment over its whole capacity. */
    private record BufferAddress(ByteBuffer buffer, MemorySegment segment) {
    }

    private void requireOpen(String what) throws ErrnoException {
        if (!acquire()) {
            throw new ErrnoException(what + " on " + this + " failed: EBADF (the socket is closed)",
                    dev.weft.uring.Errno.EBADF, null);
        }
    }

    private InetSocketAddress name(boolean peer) throws ErrnoException {
        requireOpen(peer ? "getpeername" : "getsockname");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(SockAddr.MAX_SIZE, 8);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, SockAddr.MAX_SIZE);
            int r = peer ? Libc.getpeername(Libc.errnoState(), fd, addr.address(), len.address())
                    : Libc.getsockname(Libc.errnoState(), fd, addr.address(), len.address());
            if (r < 0) {
                throw new ErrnoException((peer ? "getpeername" : "getsockname") + " on fd " + fd, r);
            }
            return SockAddr.read(addr);
        } finally {
            release();
        }
    }

    @Override
    public InetSocketAddress localAddress() throws ErrnoException {
        return name(false);
    }

    @Override
    public InetSocketAddress remoteAddress() throws ErrnoException {
        return name(true);
    }

    @Override
    public void shutdownOutput() throws ErrnoException {
        requireOpen("shutdown(SHUT_WR)");
        try {
            int r = Libc.shutdown(Libc.errnoState(), fd, SHUT_WR);
            if (r < 0) {
                throw new ErrnoException("shutdown(SHUT_WR) on fd " + fd, r);
            }
        } finally {
            release();
        }
    }

    @Override
    public void setNoDelay(boolean on) throws ErrnoException {
        requireOpen("setsockopt(TCP_NODELAY)");
        try {
            setInt(IPPROTO_TCP, TCP_NODELAY, on ? 1 : 0, "TCP_NODELAY");
        } finally {
            release();
        }
    }

    /** The listener's multishot accept queue, created on first use. */
    AcceptQueue acceptQueue() {
        AcceptQueue q = acceptQueue;
        if (q == null) {
            synchronized (this) {
                q = acceptQueue;
                if (q == null) {
                    q = new AcceptQueue(this);
                    acceptQueue = q;
                }
            }
        }
        return q;
    }

    @Override
    public void close() {
        int v = uses.close();
        if (v < 0) {
            return; // closed already
        }
        MemorySegment errno = Libc.errnoState();
        Libc.shutdown(errno, fd, SHUT_RDWR); // ends pending receives and accepts; ENOTCONN if never connected
        if (v == 0) {
            Libc.close(errno, fd); // nothing in flight: close now; else the last release() does
        }
        AcceptQueue q = acceptQueue;
        if (q != null) {
            q.listenerClosed(); // cancel it, wake acceptors, close descriptors not taken
        }
    }

    @Override
    public boolean isClosed() {
        return uses.isClosed();
    }

    @Override
    public String toString() {
        return "io_uring socket fd " + fd + (isClosed() ? " (closed)" : "");
    }
}
