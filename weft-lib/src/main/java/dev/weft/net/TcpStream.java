package dev.weft.net;

import dev.weft.io.IoDriver;
import dev.weft.io.SocketConfig;
import dev.weft.io.SocketHandle;
import dev.weft.runtime.RegionId;
import dev.weft.task.Task;
import dev.weft.uring.ErrnoException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A TCP connection on the runtime's I/O backend, used from weft tasks with blocking-style calls:
 * a call parks the task, not the worker. On io_uring, a read or write is one SQE submitted in a
 * batch with the other tasks' I/O; a direct {@link ByteBuffer} or a native {@link MemorySegment}
 * goes to the kernel as it is, a heap buffer is copied once (from a provided receive buffer, or
 * into a staging buffer for sends).
 *
 * <p>Failures are typed: {@link ConnectionResetException}, {@link BrokenPipeException},
 * {@link ConnectionRefusedException}, {@link IoTimeoutException}, {@link EndOfStreamException},
 * else {@link NetException}; each names the errno. Cancelling the task cancels the pending
 * operation ({@code IORING_OP_ASYNC_CANCEL}) and the call throws
 * {@link java.io.InterruptedIOException}.
 *
 * <p>A stream is a {@link ByteChannel} (and a {@link GatheringByteChannel}) and has {@link InputStream} and {@link OutputStream}
 * views ({@link #inputStream()}, {@link #outputStream()}), so that code written against the JDK's
 * interfaces (codecs, {@code DataInputStream}, a {@code BufferedReader}, an
 * {@link javax.net.ssl.SSLEngine} driven over a channel) runs on it unchanged. As a channel it is
 * blocking: {@link #read(ByteBuffer)} waits for at least one byte, and
 * {@link #write(ByteBuffer)} writes at least one (some, not necessarily all, as its javadoc says;
 * {@link #writeAll(ByteBuffer)} writes all). Every call on a closed stream throws
 * {@link ClosedChannelException}, and a read or write that was waiting when another task closed
 * the stream throws {@link java.nio.channels.AsynchronousCloseException}. Unlike an
 * {@link java.nio.channels.InterruptibleChannel}, cancelling (interrupting) a task does not close
 * the stream: the pending operation is cancelled and the stream stays usable.
 *
 * <p>Every call, on the stream or its views, must come from a weft task (it runs on the current
 * worker's driver); from any other thread it throws {@link IllegalStateException}.
 *
 * <p>One task may read while another writes; two concurrent reads (or writes) on one stream
 * interleave in an unspecified order.
 */
public final class TcpStream implements ByteChannel, GatheringByteChannel {

    static {
        // dev.weft.fs sends files to a stream's socket (FileHandle.transferTo) without an API here
        dev.weft.io.StreamSockets.install(stream -> ((TcpStream) stream).socket,
                stream -> ((TcpStream) stream).writeTimeoutNanos);
    }

    private final SocketHandle socket;
    private volatile long readTimeoutNanos = IoDriver.NO_TIMEOUT;
    private volatile long writeTimeoutNanos = IoDriver.NO_TIMEOUT;
    /** The views, made on first use; a race makes two equal views, of which one is kept. */
    private TcpInputStream inputView;
    private TcpOutputStream outputView;

    TcpStream(SocketHandle socket) {
        this.socket = socket;
    }

    /** Connects with {@link SocketOptions#DEFAULTS}. */
    public static TcpStream connect(InetSocketAddress address, Duration timeout) throws IOException {
        return connect(address, timeout, SocketOptions.DEFAULTS);
    }

    /**
     * Connects to {@code address}, waiting at most {@code timeout}. An
     * {@linkplain InetSocketAddress#isUnresolved() unresolved} address is connected to by its
     * host name, as {@link #connect(String, int, Duration, SocketOptions)} does.
     *
     * @throws ConnectionRefusedException when nothing listens there
     * @throws IoTimeoutException         when the connection was not made in time
     * @throws IllegalStateException      when not called from a weft task
     */
    public static TcpStream connect(InetSocketAddress address, Duration timeout, SocketOptions options)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        if (address.isUnresolved()) {
            return connect(address.getHostString(), address.getPort(), timeout, options);
        }
        SocketConfig config = options.toConfig();
        long nanos = nanos(timeout, "connect timeout");
        IoDriver io = IoDriver.current("TcpStream.connect");
        try {
            return new TcpStream(io.connect(address, nanos, config));
        } catch (ErrnoException e) {
            throw NetException.of("connect to " + address, e.errno());
        }
    }

    /** Connects to {@code host} with {@link SocketOptions#DEFAULTS}: see {@link #connect(String, int, Duration, SocketOptions)}. */
    public static TcpStream connect(String host, int port, Duration timeout) throws IOException {
        return connect(host, port, timeout, SocketOptions.DEFAULTS);
    }

    /**
     * Connects to {@code port} on {@code host}, a name or an address literal. A name is resolved
     * with {@link InetAddress#getAllByName} inside {@link Task#blocking} (a lookup blocks the
     * thread it runs on, and would otherwise hold the worker); a literal is used as it is. The
     * addresses are tried in the order the resolver gave them, each for up to {@code timeout},
     * until one connects. The resolver's own time limits bound the lookup.
     *
     * @throws UnknownHostException    when {@code host} does not resolve (the message names it)
     * @throws NetException            when no address connects: the first address's failure
     *                                 ({@link ConnectionRefusedException}, {@link IoTimeoutException},
     *                                 ...), the others' {@linkplain Throwable#getSuppressed()
     *                                 suppressed} in it
     * @throws java.io.InterruptedIOException when the task is cancelled meanwhile (no further
     *                                 address is tried; the interrupt stays set)
     * @throws IllegalStateException   when not called from a weft task
     * @throws IllegalArgumentException for a blank host or a port outside 0..65535
     */
    public static TcpStream connect(String host, int port, Duration timeout, SocketOptions options)
            throws IOException {
        return connect(host, port, timeout, options, InetAddress::getAllByName);
    }

    /** How {@link #connect(String, int, Duration, SocketOptions)} resolves a name; a seam for tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static TcpStream connect(String host, int port, Duration timeout, SocketOptions options, Resolver resolver)
            throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank; pass a name such as \"localhost\" or an address");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        nanos(timeout, "connect timeout");
        IoDriver.current("TcpStream.connect"); // fail before a lookup when not in a task
        IOException failure = null;
        for (InetAddress address : resolve(host, resolver)) {
            try {
                return connect(new InetSocketAddress(address, port), timeout, options);
            } catch (InterruptedIOException e) {
                throw e; // cancelled: try no further
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    private static InetAddress[] resolve(String host, Resolver resolver) throws IOException {
        try {
            return new InetAddress[] {InetAddress.ofLiteral(host)};
        } catch (IllegalArgumentException notALiteral) {
            // a name: look it up below
        }
        InetAddress[] all;
        try {
            all = Task.blocking(() -> resolver.resolve(host));
        } catch (UnknownHostException e) {
            UnknownHostException named = new UnknownHostException("cannot resolve host '" + host
                    + "' for TcpStream.connect (" + e.getMessage() + "); check the name, or connect to an address");
            named.initCause(e);
            throw named;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException("the task was cancelled while TcpStream.connect"
                    + " resolved host '" + host + "'");
            x.initCause(e);
            throw x;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("resolving host '" + host + "' failed: " + e, e);
        }
        if (all == null || all.length == 0) {
            throw new UnknownHostException("cannot resolve host '" + host + "' for TcpStream.connect: the resolver"
                    + " returned no address");
        }
        return all;
    }

    static long nanos(Duration timeout, String what) {
        Objects.requireNonNull(timeout, what);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + timeout);
        }
        return timeout.toNanos();
    }

    /**
     * A time limit for each later read; a read that passes it throws {@link IoTimeoutException}.
     * {@link Duration#ZERO} removes the limit.
     */
    public TcpStream readTimeout(Duration timeout) {
        readTimeoutNanos = limit(timeout, "read timeout");
        return this;
    }

    /** A time limit for each later write; {@link Duration#ZERO} removes it. */
    public TcpStream writeTimeout(Duration timeout) {
        writeTimeoutNanos = limit(timeout, "write timeout");
        return this;
    }

    private static long limit(Duration timeout, String what) {
        Objects.requireNonNull(timeout, what);
        return timeout.isZero() ? IoDriver.NO_TIMEOUT : nanos(timeout, what);
    }

    private void checkOpen(String what) throws ClosedChannelException {
        if (socket.isClosed()) {
            throw new StreamClosedException(what + " on " + this + " failed: the stream is closed");
        }
    }

    private IoDriver io(String what) throws ClosedChannelException {
        checkOpen(what);
        return IoDriver.current("TcpStream." + what);
    }

    /** The exception for an operation that ended with {@code errno}: closed meanwhile, or the typed one. */
    private IOException failure(String what, int errno) {
        if (socket.isClosed()) {
            return new StreamClosedMeanwhileException(what + " on " + this + " failed: the stream was closed"
                    + " meanwhile (" + dev.weft.uring.Errno.name(Math.abs(errno)) + ")");
        }
        return NetException.of(what + " on " + this, errno);
    }

    /**
     * Reads some bytes into {@code dst} from its position, advancing it; waits until at least one
     * byte is there, or the end of stream, unless {@code dst} has no room (then 0).
     *
     * @return the number read, or -1 at end of stream (the peer shut its side down)
     * @throws ClosedChannelException   when the stream is closed
     * @throws java.nio.channels.AsynchronousCloseException when another task closed it meanwhile
     * @throws IoTimeoutException       when the {@linkplain #readTimeout read timeout} passed
     * @throws IllegalArgumentException for a read-only buffer
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only buffer: pass a writable one");
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int r = io("read").read(socket, dst, readTimeoutNanos);
        return readResult(r);
    }

    /** Reads some bytes into native memory: the number read, or -1 at end of stream. */
    public int read(MemorySegment dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only segment: pass a writable one");
        }
        if (dst.byteSize() == 0) {
            return 0;
        }
        return readResult(io("read").read(socket, dst, readTimeoutNanos));
    }

    private int readResult(int r) throws IOException {
        if (r > 0) {
            return r;
        }
        if (r == 0) {
            return -1;
        }
        throw failure("read", -r);
    }

    /**
     * Reads until {@code dst} is full.
     *
     * @throws EndOfStreamException if the stream ends first; the bytes read stay in {@code dst}
     */
    public void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new EndOfStreamException("read on " + this + " reached end of stream with "
                        + dst.remaining() + " bytes still expected");
            }
        }
    }

    /**
     * Writes some of {@code src} from its position, advancing it: the number written, at least one
     * unless {@code src} is empty (then 0). {@link #writeAll(ByteBuffer)} writes all of it.
     *
     * @throws ClosedChannelException when the stream is closed
     * @throws java.nio.channels.AsynchronousCloseException when another task closed it meanwhile
     * @throws IoTimeoutException     when the {@linkplain #writeTimeout write timeout} passed
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!src.hasRemaining()) {
            return 0;
        }
        int r = io("write").write(socket, src, writeTimeoutNanos);
        if (r < 0) {
            throw failure("write", -r);
        }
        return r;
    }

    /** Writes some of native memory: the number written. */
    public int write(MemorySegment src) throws IOException {
        if (src.byteSize() == 0) {
            return 0;
        }
        int r = io("write").write(socket, src, writeTimeoutNanos);
        if (r < 0) {
            throw failure("write", -r);
        }
        return r;
    }

    /** Writes some of the buffers, in order (a gathering write): the number written. */
    @Override
    public long write(ByteBuffer... srcs) throws IOException {
        long r = io("write").write(socket, srcs, writeTimeoutNanos);
        if (r < 0) {
            throw failure("write", (int) -r);
        }
        return r;
    }

    /**
     * Writes some of {@code srcs[offset]} to {@code srcs[offset + length - 1]}, in order: the
     * number written, 0 when they hold nothing.
     *
     * @throws IndexOutOfBoundsException when the range is not within {@code srcs}
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        return write(offset == 0 && length == srcs.length ? srcs : Arrays.copyOfRange(srcs, offset, offset + length));
    }

    /**
     * Sends {@code length} bytes from {@code offset} of a registered region (a fixed buffer on
     * io_uring: no per-operation page pinning): the number written.
     *
     * @throws UnsupportedOperationException on the NIO backend
     * @throws IllegalArgumentException      for an id that is not registered, or a range outside it
     */
    public int write(RegionId region, long offset, int length) throws IOException {
        Objects.requireNonNull(region, "region");
        int r = io("write").writeRegion(socket, region.slot(), region.generation(), offset, length,
                writeTimeoutNanos);
        if (r < 0) {
            throw failure("write", -r);
        }
        return r;
    }

    /** Receives into a registered region at {@code offset}: the number read, or -1 at end of stream. */
    public int read(RegionId region, long offset, int length) throws IOException {
        Objects.requireNonNull(region, "region");
        if (length == 0) {
            return 0;
        }
        return readResult(io("read").readRegion(socket, region.slot(), region.generation(), offset, length,
                readTimeoutNanos));
    }

    /** Writes all of {@code src}. */
    public void writeAll(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            write(src);
        }
    }

    /** Writes all of native memory. */
    public void writeAll(MemorySegment src) throws IOException {
        long done = 0;
        long n = src.byteSize();
        while (done < n) {
            done += write(src.asSlice(done));
        }
    }

    /** Writes all of the buffers, in order. */
    public void writeAll(ByteBuffer... srcs) throws IOException {
        for (;;) {
            boolean left = false;
            for (ByteBuffer b : srcs) {
                left |= b.hasRemaining();
            }
            if (!left) {
                return;
            }
            write(srcs);
        }
    }

    /** Sends FIN: the peer reads end of stream; this side can still read. */
    public void shutdownOutput() throws IOException {
        checkOpen("shutdownOutput");
        try {
            socket.shutdownOutput();
        } catch (ErrnoException e) {
            throw failure("shutdownOutput", e.errno());
        }
    }

    /** TCP_NODELAY. */
    public void setNoDelay(boolean on) throws IOException {
        checkOpen("setNoDelay");
        try {
            socket.setNoDelay(on);
        } catch (ErrnoException e) {
            throw failure("setNoDelay", e.errno());
        }
    }

    public InetSocketAddress localAddress() throws IOException {
        checkOpen("localAddress");
        try {
            return socket.localAddress();
        } catch (ErrnoException e) {
            throw failure("localAddress", e.errno());
        }
    }

    public InetSocketAddress remoteAddress() throws IOException {
        checkOpen("remoteAddress");
        try {
            return socket.remoteAddress();
        } catch (ErrnoException e) {
            throw failure("remoteAddress", e.errno());
        }
    }

    /**
     * An {@link InputStream} over this stream's reads, unbuffered (wrap it in a
     * {@link java.io.BufferedInputStream} or a reader for small reads): each {@code read} is one
     * {@link #read(ByteBuffer)}, waits for at least one byte and returns -1 at end of stream;
     * {@link InputStream#available()} is 0, as it cannot know without a system call; the
     * {@linkplain #readTimeout read timeout} applies and throws {@link IoTimeoutException}, after
     * which the stream is still usable. Closing it closes this stream (as a
     * {@link java.net.Socket}'s does). Its calls too must come from a weft task. The same view is
     * returned every time.
     */
    public InputStream inputStream() {
        TcpInputStream in = inputView;
        if (in == null) {
            inputView = in = new TcpInputStream(this);
        }
        return in;
    }

    /**
     * An {@link OutputStream} over this stream's writes, unbuffered (wrap it in a
     * {@link java.io.BufferedOutputStream} for small writes): each {@code write} writes all its
     * bytes ({@link #writeAll(ByteBuffer)}) before it returns, so {@code flush()} has nothing to
     * do; the {@linkplain #writeTimeout write timeout} applies to each system call and throws
     * {@link IoTimeoutException}. Closing it closes this stream (as a {@link java.net.Socket}'s
     * does). Its calls too must come from a weft task. The same view is returned every time.
     */
    public OutputStream outputStream() {
        TcpOutputStream out = outputView;
        if (out == null) {
            outputView = out = new TcpOutputStream(this);
        }
        return out;
    }

    /** Closes the connection; pending reads and writes end. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    /** {@code !isClosed()}, for the {@link java.nio.channels.Channel} contract. */
    @Override
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public String toString() {
        return "TcpStream(" + socket + ")";
    }
}
