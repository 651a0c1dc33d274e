package dev.weft.net;

/** The peer closed its side before the bytes a caller needed arrived (a read that must fill its buffer). */
public class EndOfStreamException extends NetException {

    public EndOfStreamException(String message) {
        super(message, 0);
    }
}
