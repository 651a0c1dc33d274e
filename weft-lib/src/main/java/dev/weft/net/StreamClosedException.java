package dev.weft.net;

import java.nio.channels.ClosedChannelException;

/**
 * A call on a {@link TcpStream} (or one of its {@linkplain TcpStream#inputStream() stream views})
 * that was already closed: a {@link ClosedChannelException}, as the {@link java.nio.channels.Channel}
 * contract asks, with a message that names the call and the stream (the JDK type has none).
 */
final class StreamClosedException extends ClosedChannelException {

    private static final long serialVersionUID = 1L;

    private final String message;

    StreamClosedException(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
