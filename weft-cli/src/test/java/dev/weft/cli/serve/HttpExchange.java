package dev.weft.cli.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A raw HTTP/1.1 exchange over a loopback socket, for tests that check the exact bytes of an
 * answer: the status line, every header field in order, and the body.
 *
 * @param statusLine the status line
 * @param fields     the header fields in order, each {@code Name: value} as sent
 * @param body       the body
 */
record HttpExchange(String statusLine, List<String> fields, byte[] body) {

    /** {@code GET path} on a new connection with {@code Connection: close}; the answer. */
    static HttpExchange get(int port, String path) throws IOException {
        try (Socket s = connect(port)) {
            send(s, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
            return read(s.getInputStream());
        }
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(30_000);
        return s;
    }

    static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Reads one answer framed by Content-Length (or by the close). */
    static HttpExchange read(InputStream in) throws IOException {
        String statusLine = line(in);
        List<String> fields = new ArrayList<>();
        for (String l; !(l = line(in)).isEmpty(); ) {
            fields.add(l);
        }
        HttpExchange head = new HttpExchange(statusLine, fields, new byte[0]);
        Optional<String> length = head.field("Content-Length");
        byte[] body = length.isPresent() ? in.readNBytes(Integer.parseInt(length.get())) : in.readAllBytes();
        return new HttpExchange(statusLine, fields, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new java.io.EOFException("the server closed the connection in the middle of a head: " + b);
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** The status code. */
    int status() {
        return Integer.parseInt(statusLine.substring(9, 12));
    }

    /** The value of the first field named {@code name} (case-insensitive). */
    Optional<String> field(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return fields.stream().filter(f -> f.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(f -> f.substring(prefix.length()).strip()).findFirst();
    }

    /** The names of the fields, in order. */
    List<String> fieldNames() {
        return fields.stream().map(f -> f.substring(0, f.indexOf(':'))).toList();
    }

    /** The body as UTF-8 text. */
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
