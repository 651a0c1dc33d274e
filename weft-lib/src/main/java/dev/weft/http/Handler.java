package dev.weft.http;

/**
 * Answers a request. A handler is plain blocking Java: it runs as the connection's weft task, so
 * it may read the body, sleep, call other services or touch files, and each wait frees the worker.
 * An exception other than {@link HttpException} is a failure: the server answers 500, closes that
 * connection, counts it ({@link HttpServer#handlerFailures()}) and logs at most one a second.
 */
@FunctionalInterface
public interface Handler {

    /** The response to {@code request}; never null. */
    Response handle(Request request) throws Exception;
}
