package dev.weft.net;

/** A write found the connection closed by the peer (EPIPE). */
public class BrokenPipeException extends NetException {

    public BrokenPipeException(String message, int errno) {
        super(message, errno);
    }
}
