package dev.weft.bench.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The check every server passes before it is measured: over one keep-alive connection, a plain
 * {@code GET} of {@code /plaintext}, {@code /json} and each static file, each answered with
 * status 200 and the right body (the files byte for byte), then a 404 for a file that is not
 * there. A server that answers wrong is not measured: a fast wrong answer must not win.
 */
final class ResponseCheck {

    private static final int TIMEOUT_MILLIS = 10_000;

    private ResponseCheck() {
    }

    /** A response: its status, its headers (names in lower case) and its body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Checks the server on {@code port} against {@code files}.
     *
     * @throws IOException naming the request and what was wrong with its answer
     */
    static void check(int port, BenchFiles files) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            expect("/plaintext", get(in, out, "/plaintext"), NginxConf.PLAINTEXT.getBytes(StandardCharsets.UTF_8));
            Response json = get(in, out, "/json");
            String compact = json.text().replaceAll("\\s", "");
            if (json.status() != 200 || !compact.equals(NginxConf.JSON.replaceAll("\\s", ""))) {
                throw new IOException("GET /json answered " + json.status() + " '" + json.text() + "', expected 200 "
                        + NginxConf.JSON);
            }
            for (String name : new String[] {BenchFiles.SMALL, BenchFiles.LARGE}) {
                expect("/" + name, get(in, out, "/" + name), Files.readAllBytes(files.root().resolve(name)));
            }
            Response missing = get(in, out, "/weft-bench-no-such-file");
            if (missing.status() != 404) {
                throw new IOException("GET /weft-bench-no-such-file answered " + missing.status() + ", expected 404");
            }
        }
    }

    private static void expect(String path, Response r, byte[] body) throws IOException {
        if (r.status() != 200) {
            throw new IOException("GET " + path + " answered status " + r.status() + ", expected 200");
        }
        if (!Arrays.equals(r.body(), body)) {
            throw new IOException(String.format(Locale.ROOT, "GET %s answered a body of %d bytes that is not the"
                    + " expected %d bytes%s", path, r.body().length, body.length,
                    body.length < 100 ? " '" + new String(body, StandardCharsets.UTF_8) + "' (it was '" + r.text() + "')" : ""));
        }
    }

    /** Sends {@code GET path} on a keep-alive connection and reads the whole response. */
    static Response get(InputStream in, OutputStream out, String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("GET " + path + ": not an HTTP/1.x status line: '" + statusLine + "'");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("GET " + path + ": status '" + parts[1] + "' is not a number", e);
        }
        Map<String, String> headers = new TreeMap<>();
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                b.write(in.readNBytes(size));
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
            body = b.toByteArray();
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("GET " + path + ": the connection ended after " + body.length + " of "
                        + length + " body bytes");
            }
        } else {
            throw new IOException("GET " + path + ": a response without Content-Length or chunked encoding on a"
                    + " keep-alive connection (headers " + headers + ")");
        }
        return new Response(status, headers, body);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("the connection ended in the middle of a response (after '" + s + "')");
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }
}
