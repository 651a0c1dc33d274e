package dev.weft.net;

import dev.weft.io.IoDriver;
import dev.weft.io.SocketConfig;
import dev.weft.io.IoGroup;
import dev.weft.io.SocketHandle;
import dev.weft.uring.ErrnoException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A listening TCP socket on the runtime's I/O backend. Created and used from weft tasks:
 *
 * <pre>{@code
 * runtime.spawn(() -> {
 *     try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 8080), 1024)) {
 *         for (;;) {
 *             TcpStream conn = listener.accept();
 *             Task.spawn(() -> serve(conn));
 *         }
 *     }
 * });
 * }</pre>
 * Any task may call {@link #accept()}; several may wait at once. {@link #close()} ends the
 * waiting accepts with an exception.
 */
public final class TcpListener implements AutoCloseable {

    private final SocketHandle socket;
    private final SocketConfig config;
    private final InetSocketAddress local;
    private final IoGroup group;

    private TcpListener(SocketHandle socket, SocketConfig config, IoGroup group) throws ErrnoException {
        this.socket = socket;
        this.config = config;
        this.local = socket.localAddress();
        this.group = group;
    }

    /** Binds with {@link SocketOptions#DEFAULTS} (SO_REUSEADDR, TCP_NODELAY on accepted streams). */
    public static TcpListener bind(InetSocketAddress address, int backlog) throws IOException {
        return bind(address, backlog, SocketOptions.DEFAULTS);
    }

    /**
     * Binds a listener; port 0 picks a free port ({@link #localAddress()} tells which).
     *
     * @param backlog pending connections the kernel queues, 1 or more
     * @param config  options for the listener (reuse address and port, buffer sizes) and for the
     *                streams it accepts (TCP_NODELAY, buffer sizes)
     * @throws IllegalStateException when not called from a weft task
     * @throws NetException          naming the address and errno (EADDRINUSE, EACCES, ...)
     */
    public static TcpListener bind(InetSocketAddress address, int backlog, SocketOptions options) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        SocketConfig config = options.toConfig();
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1, was " + backlog);
        }
        IoDriver io = IoDriver.current("TcpListener.bind");
        if (io.group().isShuttingDown()) {
            throw new NetException("bind to " + address + " failed: the runtime is shutting down", 0);
        }
        SocketHandle s;
        try {
            s = io.listen(address, backlog, config);
        } catch (ErrnoException e) {
            throw NetException.of("bind to " + address, e.errno());
        }
        try {
            TcpListener l = new TcpListener(s, config, io.group());
            io.group().listening(s); // shutdown closes it
            return l;
        } catch (ErrnoException e) {
            s.close();
            throw NetException.of("getsockname of listener on " + address, e.errno());
        }
    }

    /** Waits for a connection, without a time limit. */
    public TcpStream accept() throws IOException {
        return accept(IoDriver.NO_TIMEOUT);
    }

    /**
     * Waits for a connection at most {@code timeout}.
     *
     * @throws IoTimeoutException   when none arrived in time
     * @throws InterruptedIOException when the task was cancelled while it waited
     */
    public TcpStream accept(Duration timeout) throws IOException {
        return accept(TcpStream.nanos(timeout, "accept timeout"));
    }

    private TcpStream accept(long timeoutNanos) throws IOException {
        if (socket.isClosed()) {
            throw new NetException("accept on " + this + " failed: the listener is closed", 9);
        }
        IoDriver io = IoDriver.current("TcpListener.accept");
        try {
            return new TcpStream(io.accept(socket, timeoutNanos, config));
        } catch (ErrnoException e) {
            if (socket.isClosed()) {
                throw new NetException("accept on " + this + " failed: the listener was closed"
                        + (group.isShuttingDown() ? " (the runtime is shutting down)" : ""), e.errno());
            }
            throw NetException.of("accept on " + this, e.errno());
        }
    }

    /** The address it listens on (with the port the kernel picked for port 0). */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** Stops listening; waiting accepts fail. Idempotent. */
    @Override
    public void close() {
        socket.close();
        group.stoppedListening(socket);
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public String toString() {
        return "TcpListener " + local + (socket.isClosed() ? " (closed)" : "");
    }
}
