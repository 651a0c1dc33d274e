package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the handler sees it. The head (method, target, headers) is parsed and checked
 * before the handler runs; the body is read when the handler asks for it, either whole
 * ({@link #body()}, at most the server's body limit) or as a stream ({@link #bodyStream()},
 * chunked bodies decoded). A request with {@code Expect: 100-continue} gets its
 * {@code 100 Continue} when the handler first reads the body, so a handler that answers without
 * reading it spares the client the upload. A request belongs to its connection's task: read it
 * there, while the handler runs.
 */
public final class Request {

    private final RequestHead head;
    private final Map<String, String> pathParams;
    private final InputStream body;
    private final InetSocketAddress remote;
    private final long maxBody;
    private Map<String, List<String>> query;
    private boolean bodyTaken;

    Request(RequestHead head, Map<String, String> pathParams, InputStream body, InetSocketAddress remote,
            long maxBody) {
        this.head = head;
        this.pathParams = pathParams;
        this.body = body;
        this.remote = remote;
        this.maxBody = maxBody;
    }

    /** The method, e.g. {@code GET} (case-sensitive, as sent). */
    public String method() {
        return head.method();
    }

    /** The request target as sent: origin-form {@code /a?b}, absolute-form {@code http://h/a} or {@code *}. */
    public String target() {
        return head.target();
    }

    /** The path of the target, as sent (percent-encoded), without the query; {@code *} for asterisk-form. */
    public String path() {
        return head.path();
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version() {
        return head.minorVersion() == 1 ? "HTTP/1.1" : "HTTP/1.0";
    }

    /** The header fields, in order, names case-insensitive. */
    public Headers headers() {
        return head.headers();
    }

    /** The first value of header {@code name}. */
    public Optional<String> header(String name) {
        return head.headers().first(name);
    }

    /**
     * The value of path parameter {@code name} of the matched route ({@code /users/{id}}),
     * percent-decoded.
     *
     * @throws IllegalArgumentException when the route has no such parameter
     */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the route has no path parameter '" + name + "'; it has "
                    + pathParams.keySet());
        }
        return v;
    }

    /** The query parameters, decoded ({@code %XX} and {@code +} for a space), in order, repeated ones kept. */
    public Map<String, List<String>> queryParams() {
        if (query == null) {
            Map<String, List<String>> m = new LinkedHashMap<>();
            String q = head.query();
            if (q != null && !q.isEmpty()) {
                for (String pair : q.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String k = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
                    String v = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true);
                    m.computeIfAbsent(k, x -> new ArrayList<>(1)).add(v);
                }
            }
            query = Collections.unmodifiableMap(m);
        }
        return query;
    }

    /** The first value of query parameter {@code name}. */
    public Optional<String> queryParam(String name) {
        List<String> v = queryParams().get(name);
        return v == null ? Optional.empty() : Optional.of(v.getFirst());
    }

    /** The client's address. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /**
     * The whole body (empty when there is none).
     *
     * @throws HttpException 413 when it is over the server's body limit, 400 when it is malformed
     * @throws IOException   when the connection failed or timed out meanwhile
     * @throws IllegalStateException when the body was taken already
     */
    public byte[] body() throws IOException {
        take();
        if (head.contentLength() == 0 || !head.hasBody()) {
            return new byte[0];
        }
        if (head.contentLength() > 0) {
            // grows with the bytes that arrive: a declared length (within the limit, checked with the
            // head) reserves no memory until the client sends the bytes
            byte[] out = body.readNBytes((int) head.contentLength());
            if (out.length < head.contentLength()) {
                throw new java.io.EOFException("the client closed the connection after " + out.length + " of "
                        + head.contentLength() + " body bytes");
            }
            return out;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.transferTo(out); // the decoder enforces the limit
        return out.toByteArray();
    }

    /** The whole body as UTF-8 text; see {@link #body()}. */
    public String bodyAsString() throws IOException {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /**
     * The body as a stream, read from the connection as the handler reads (chunked bodies
     * decoded); it ends at the end of the body. Closing it is optional: the server reads what is
     * left of a body before the next request.
     *
     * @throws IllegalStateException when the body was taken already
     */
    public InputStream bodyStream() {
        take();
        return body;
    }

    private void take() {
        if (bodyTaken) {
            throw new IllegalStateException("the request body was taken already: call body() or bodyStream() once");
        }
        bodyTaken = true;
    }

    long maxBody() {
        return maxBody;
    }

    @Override
    public String toString() {
        return head.method() + " " + HttpParser.abbreviate(head.target()) + " " + version();
    }

    /** Decodes {@code %XX} (and {@code +} as a space for a query); a malformed escape is a 400. */
    static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new HttpException(400, "a malformed percent-encoding in '" + HttpParser.abbreviate(s) + "'");
                }
                out[n++] = (byte) (Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                out[n++] = (byte) (plusIsSpace && c == '+' ? ' ' : c);
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
