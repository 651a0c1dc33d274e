package dev.weft.io;

import java.util.Objects;
import java.util.function.Function;

/**
 * How a layer above {@code dev.weft.net} finds the socket of a {@code TcpStream} without the
 * stream's public API showing it: {@code TcpStream} installs the lookup when its class
 * initializes, and {@code dev.weft.fs} asks it (a file's {@code transferTo} sends to the stream's
 * socket). The lookup takes the stream as an {@link Object}, since this package sits below
 * {@code net} and cannot name its types.
 */
public final class StreamSockets {

    private static volatile Function<Object, SocketHandle> lookup;
    private static volatile java.util.function.ToLongFunction<Object> writeTimeouts;

    private StreamSockets() {
    }

    /**
     * Installs the lookups: a stream's socket, and its write timeout in nanoseconds
     * ({@link IoDriver#NO_TIMEOUT} for none); by {@code TcpStream}'s class initializer, once.
     */
    public static void install(Function<Object, SocketHandle> socketOf, java.util.function.ToLongFunction<Object> writeTimeoutOf) {
        writeTimeouts = Objects.requireNonNull(writeTimeoutOf, "writeTimeoutOf");
        lookup = Objects.requireNonNull(socketOf, "socketOf");
    }

    /**
     * The socket of {@code stream}, a {@code TcpStream} (whose class has initialized: the caller
     * holds an instance).
     */
    public static SocketHandle of(Object stream) {
        Objects.requireNonNull(stream, "stream");
        Function<Object, SocketHandle> f = lookup;
        if (f == null) {
            throw new IllegalStateException("no stream type installed its socket lookup; " + stream.getClass()
                    + " is not a weft TcpStream");
        }
        return f.apply(stream);
    }

    /** The write timeout of {@code stream}, a {@code TcpStream} (see {@link #of}), in nanoseconds. */
    public static long writeTimeoutNanos(Object stream) {
        of(stream); // the same checks
        return writeTimeouts.applyAsLong(stream);
    }
}
