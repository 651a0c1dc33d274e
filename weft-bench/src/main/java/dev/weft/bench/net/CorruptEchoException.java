package dev.weft.bench.net;

import java.io.IOException;

/**
 * A server echoed a byte that differs from the one sent at that place in the stream (or more
 * bytes than were sent). The measurement is void: the suite reports it and fails the run.
 */
public final class CorruptEchoException extends IOException {

    /** @param message where in which connection's stream, the byte received and the one expected */
    public CorruptEchoException(String message) {
        super(message);
    }
}
