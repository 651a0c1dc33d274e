package dev.weft.net;

/** Nothing accepted the connection (ECONNREFUSED). */
public class ConnectionRefusedException extends NetException {

    public ConnectionRefusedException(String message, int errno) {
        super(message, errno);
    }
}
