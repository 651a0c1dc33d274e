package dev.weft.http;

/**
 * A request the server refuses, with the status it answers: the parser's and the body readers'
 * one error type. {@link #status()} is always a 4xx or 5xx code; the message names what was wrong.
 * A handler may throw one to answer with its status (the connection then closes).
 */
public final class HttpException extends RuntimeException {

    private final int status;

    /**
     * @param status the status to answer, 400 to 599
     * @param message what was wrong with the request, naming the value
     */
    public HttpException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HttpException carries a 4xx or 5xx status, was " + status);
        }
        this.status = status;
    }

    /** The status the server answers with. */
    public int status() {
        return status;
    }
}
