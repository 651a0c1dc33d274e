package dev.weft.io;

import dev.weft.uring.ErrnoException;

import java.net.InetSocketAddress;

/**
 * A socket as a backend holds it: a file descriptor for io_uring, a channel for NIO. Any worker's
 * driver of the same backend can operate on it, so a task that moves between workers keeps using
 * it. The synchronous operations are here; the ones that wait are on {@link IoDriver}.
 */
public interface SocketHandle {

    /** The address the socket is bound to. */
    InetSocketAddress localAddress() throws ErrnoException;

    /** The peer's address, for a connected socket. */
    InetSocketAddress remoteAddress() throws ErrnoException;

    /** Sends FIN: the peer reads EOF; this side can still read. */
    void shutdownOutput() throws ErrnoException;

    /** TCP_NODELAY on a connected socket. */
    void setNoDelay(boolean on) throws ErrnoException;

    /**
     * Closes the socket. Operations still pending on it end (a read returns EOF or an error, an
     * accept fails); closing twice does nothing.
     */
    void close();

    /** Whether {@link #close()} was called. */
    boolean isClosed();
}
