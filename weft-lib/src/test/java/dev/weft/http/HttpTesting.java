package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP/1.1 client over loopback sockets, for the tests that need to see the bytes. */
final class HttpTesting {

    private HttpTesting() {
    }

    /** A response as read off the wire: status line, headers (lower-cased names, last wins), body. */
    record Raw(String statusLine, int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(15_000);
        return s;
    }

    static void send(Socket s, String bytes) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Everything the server sends until it closes. */
    static String readToEnd(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code request} on a new connection and returns all the server sent until it closed. */
    static String exchange(int port, String request) throws IOException {
        try (Socket s = connect(port)) {
            send(s, request);
            return readToEnd(s);
        }
    }

    /** Reads one response; {@code head} says whether it answers a HEAD (no body). */
    static Raw read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l; !(l = line(in)).isEmpty(); ) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).toLowerCase(Locale.ROOT), l.substring(c + 1).strip());
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (!head && status != 204 && status != 304 && status >= 200) {
            if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equals(headers.get("transfer-encoding"))) {
                for (;;) {
                    int size = Integer.parseInt(line(in).split(";")[0], 16);
                    if (size == 0) {
                        while (!line(in).isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    body.write(in.readNBytes(size));
                    line(in);
                }
            } else {
                body.write(in.readAllBytes());
            }
        }
        return new Raw(statusLine, status, headers, body.toByteArray());
    }

    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed in the middle of a line: '" + sb + "'");
            }
            if (b == '\n') {
                if (sb.isEmpty() || sb.charAt(sb.length() - 1) != '\r') {
                    throw new IOException("a line not ended by CRLF: '" + sb + "'");
                }
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) b);
        }
    }
}
