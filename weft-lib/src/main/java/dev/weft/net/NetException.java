package dev.weft.net;

import java.io.IOException;

/**
 * An I/O operation failed. The message names the operation, the errno ({@code ECONNRESET}) and,
 * where there is one, what to do. Subclasses name the failures a caller handles on its own:
 * {@link ConnectionResetException}, {@link ConnectionRefusedException},
 * {@link BrokenPipeException}, {@link IoTimeoutException}, {@link EndOfStreamException}.
 * The NIO backend reports the same types with the errno its JDK exception stands for.
 */
public class NetException extends IOException {

    private final int errno;

    public NetException(String message, int errno) {
        super(message);
        this.errno = Math.abs(errno);
    }

    public NetException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = Math.abs(errno);
    }

    /** The errno, positive; 0 when the failure has none (a timeout measured by weft, an EOF). */
    public int errno() {
        return errno;
    }

    /**
     * The typed exception for a failed operation: {@code what} is the operation and its target,
     * e.g. {@code read from 127.0.0.1:8080}; {@code errno} positive or negated.
     */
    public static NetException of(String what, int errno) {
        int e = Math.abs(errno);
        String name = dev.weft.uring.Errno.name(e);
        return switch (e) {
            case dev.weft.uring.Errno.ECONNRESET ->
                    new ConnectionResetException(what + " failed: connection reset by peer (" + name + ")", e);
            case dev.weft.uring.Errno.ECONNREFUSED ->
                    new ConnectionRefusedException(what + " failed: connection refused (" + name
                            + "): nothing listens there", e);
            case dev.weft.uring.Errno.EPIPE ->
                    new BrokenPipeException(what + " failed: the peer closed the connection (" + name + ")", e);
            case dev.weft.uring.Errno.ETIMEDOUT, dev.weft.uring.Errno.ETIME ->
                    new IoTimeoutException(what + " timed out (" + name + ")", e);
            default -> new NetException(what + " failed: " + name, e);
        };
    }
}
