package dev.weft.net;

import java.nio.channels.AsynchronousCloseException;

/**
 * A read or write on a {@link TcpStream} that another task closed while the call waited: an
 * {@link AsynchronousCloseException}, as the {@link java.nio.channels.Channel} contract asks,
 * with a message that names the call, the stream and the errno the operation ended with.
 */
final class StreamClosedMeanwhileException extends AsynchronousCloseException {

    private static final long serialVersionUID = 1L;

    private final String message;

    StreamClosedMeanwhileException(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
