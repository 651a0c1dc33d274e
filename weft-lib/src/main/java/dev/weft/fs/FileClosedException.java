package dev.weft.fs;

import java.nio.channels.ClosedChannelException;

/**
 * A call on a {@link FileHandle} that is closed, or that another task closed while the call
 * waited. A {@link ClosedChannelException}, as the JDK's channels throw, with a message naming the
 * file.
 */
public class FileClosedException extends ClosedChannelException {

    private final String message;

    public FileClosedException(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
