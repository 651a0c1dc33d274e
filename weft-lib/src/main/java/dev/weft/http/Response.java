package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a handler answers: a status, header fields, and one body: bytes, text, a file region (sent
 * with {@link dev.weft.fs.FileHandle#transferTo}, no copy through the heap) or a writer that
 * streams to an {@link OutputStream} (sent chunked to HTTP/1.1 clients, close-delimited to
 * HTTP/1.0 ones, since its length is not known in advance).
 *
 * <p>The server writes {@code Date}, {@code Server}, {@code Content-Length} or
 * {@code Transfer-Encoding}, and {@code Connection}; a handler sets the rest with
 * {@link #header}. A response with {@code Connection: close} closes the connection after it.
 * Responses to HEAD, and 204 and 304 responses, carry no body. A response is built and returned
 * by one task; it is not safe for concurrent use.
 */
public final class Response {

    /** Streams a body whose length is not known in advance. */
    @FunctionalInterface
    public interface BodyWriter {
        /** Writes the body to {@code out}; the server frames and flushes it, and ends it when this returns. */
        void writeTo(OutputStream out) throws IOException;
    }

    private final int status;
    final List<String> headerNames = new ArrayList<>(4);
    final List<String> headerValues = new ArrayList<>(4);
    byte[] bytes;
    Path file;
    long fileOffset;
    long fileLength;
    BodyWriter writer;
    boolean close;

    private Response(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("a response status is 200 to 599, was " + status
                    + " (the server sends 100 Continue itself)");
        }
        this.status = status;
    }

    /** A response with no body ({@code Content-Length: 0}, or none for 204 and 304). */
    public static Response of(int status) {
        return new Response(status);
    }

    /** 200 with {@code text} as {@code text/plain; charset=utf-8}. */
    public static Response text(String text) {
        return text(200, text);
    }

    /** {@code status} with {@code text} as {@code text/plain; charset=utf-8}. */
    public static Response text(int status, String text) {
        return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code status} with {@code body} as it is, of type {@code contentType}. */
    public static Response bytes(int status, String contentType, byte[] body) {
        Response r = new Response(status).header("Content-Type", contentType);
        r.bytes = Objects.requireNonNull(body, "body");
        return r;
    }

    /**
     * 200 with {@code length} bytes of the file at {@code path} from {@code offset}. The server
     * opens the file when it sends the response (a missing file is then a 500) and sends it with
     * {@link dev.weft.fs.FileHandle#transferTo}; a negative {@code length} means to the end of the file.
     */
    public static Response file(Path path, long offset, long length, String contentType) {
        return file(200, path, offset, length, contentType);
    }

    /** As {@link #file(Path, long, long, String)}, with {@code status} (206 for a range, say). */
    public static Response file(int status, Path path, long offset, long length, String contentType) {
        Objects.requireNonNull(path, "path");
        if (offset < 0) {
            throw new IllegalArgumentException("file offset must be >= 0, was " + offset);
        }
        Response r = new Response(status).header("Content-Type", contentType);
        r.file = path;
        r.fileOffset = offset;
        r.fileLength = length;
        return r;
    }

    /** {@code status} with a body that {@code writer} streams, of type {@code contentType}. */
    public static Response stream(int status, String contentType, BodyWriter writer) {
        Response r = new Response(status).header("Content-Type", contentType);
        r.writer = Objects.requireNonNull(writer, "writer");
        return r;
    }

    /**
     * Adds a header field (repeat the call for a repeated field).
     *
     * @throws IllegalArgumentException for a name that is not a token, a value with CR, LF or
     *         another control character, or a field the server writes itself
     */
    public Response header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a header name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xFF || !HttpParser.isTchar(c)) {
                throw new IllegalArgumentException("header name '" + HttpParser.abbreviate(name)
                        + "' has a character that is not a token character at " + i);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("the value of header '" + name + "' has character 0x"
                        + Integer.toHexString(c) + " at " + i + ": only tab, space, visible ASCII and Latin-1");
            }
        }
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Date") || name.equalsIgnoreCase("Server")) {
            throw new IllegalArgumentException("the server writes '" + name + "' itself: set the body instead");
        }
        if (name.equalsIgnoreCase("Connection")) {
            if (!value.equalsIgnoreCase("close")) {
                throw new IllegalArgumentException("a response may set 'Connection: close' only, was '" + value + "'");
            }
            close = true;
            return this;
        }
        headerNames.add(name);
        headerValues.add(value);
        return this;
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The first value a handler set for {@code name}, or null. */
    public String header(String name) {
        for (int i = 0; i < headerNames.size(); i++) {
            if (headerNames.get(i).equalsIgnoreCase(name)) {
                return headerValues.get(i);
            }
        }
        return null;
    }

    /** The reason phrase the server writes for {@code status}. */
    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
