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

    private StreamSockets() {
    }

    /** Installs the lookup; by {@code TcpStream}'s class initializer, once. */
    public static void install(Function<Object, SocketHandle> socketOf) {
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
}
