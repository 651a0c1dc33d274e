package dev.weft.net;

/** The peer reset the connection (ECONNRESET). */
public class ConnectionResetException extends NetException {

    public ConnectionResetException(String message, int errno) {
        super(message, errno);
    }
}
