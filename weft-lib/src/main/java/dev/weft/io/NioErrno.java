package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;

/**
 * The NIO backend's errno mapping: the JDK's exceptions as the kernel's {@code -errno} results,
 * so that results and {@link ErrnoException}s read the same on both backends. Stateless; any
 * thread.
 */
final class NioErrno {

    private NioErrno() {
    }

    /**
     * The errno for a JDK exception: the kernel's value where the exception type or message names
     * it, {@code EIO} otherwise. Closed channels are {@code EBADF}.
     */
    static int errno(Throwable e) {
        if (e instanceof ErrnoException ee) {
            return ee.errno();
        }
        if (e instanceof ClosedChannelException) { // also AsynchronousCloseException, ClosedByInterruptException
            return Errno.EBADF;
        }
        if (e instanceof NotYetConnectedException) {
            return Errno.ENOTCONN;
        }
        if (e instanceof UnresolvedAddressException) {
            return Errno.EINVAL;
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof BindException) {
            return m.contains("assign requested address") ? Errno.EADDRNOTAVAIL : Errno.EADDRINUSE;
        }
        if (e instanceof NoRouteToHostException) {
            return Errno.EHOSTUNREACH;
        }
        if (e instanceof ConnectException) {
            if (m.contains("timed out")) {
                return Errno.ETIMEDOUT;
            }
            if (m.contains("No route to host") || m.contains("unreachable")) {
                return m.contains("Network") ? Errno.ENETUNREACH : Errno.EHOSTUNREACH;
            }
            return Errno.ECONNREFUSED;
        }
        if (m.contains("Connection reset")) { // "Connection reset", "Connection reset by peer"
            return Errno.ECONNRESET;
        }
        if (m.contains("Broken pipe")) {
            return Errno.EPIPE;
        }
        if (m.contains("Connection refused")) {
            return Errno.ECONNREFUSED;
        }
        if (m.contains("timed out")) {
            return Errno.ETIMEDOUT;
        }
        if (m.contains("Too many open files")) {
            return Errno.EMFILE;
        }
        if (m.contains("Address already in use")) {
            return Errno.EADDRINUSE;
        }
        return Errno.EIO;
    }

    /** An {@link ErrnoException} for {@code what} failing with the JDK's {@code e}. */
    static ErrnoException errnoException(String what, Throwable e) {
        if (e instanceof ErrnoException ee) {
            return ee;
        }
        int errno = errno(e);
        return new ErrnoException(what + " failed: " + Errno.name(errno) + " (" + e + ")", errno, e);
    }
}
