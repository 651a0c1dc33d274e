package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/** Random and mutated requests for the parser's fuzz tests, and the check of an answer's status line. */
final class HttpFuzz {

    private HttpFuzz() {
    }

    /** A status line as RFC 9112 writes it, for the answer a fuzzed request may get. */
    static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 [1-5][0-9][0-9] [\\x20-\\x7e]*\r\n");

    static final List<byte[]> SEEDS = List.of(
            "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET /a/b?c=d&e=%20f HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nX-Repeat: 1\r\nx-repeat: 2\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;e=1\r\nhello\r\n0\r\nT: v\r\n\r\n",
            "PUT /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
            "GET http://h:80/x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
            "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
            "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "HEAD /echo HTTP/1.1\r\nHost: h\r\n\r\n")
            .stream().map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList();

    private static final byte[] INTERESTING = " \t\r\n:;,/?%*\u0000\u007f\u0080\u00ff0123456789abcdefHTTP".getBytes(
            StandardCharsets.ISO_8859_1);
    private static final String[] TOKENS = {"\r\n", "\r\n\r\n", "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n",
            "Host: x\r\n", " ", ":", "\n", "\r", "HTTP/1.1", "HTTP/1.0", "0\r\n\r\n", "ffffffffffffffff\r\n",
            "Expect: 100-continue\r\n", "Connection: close\r\n", "GET ", "%zz", "{id}"};

    /** One request: a seed with 1 to 4 mutations, or (one time in 8) random bytes. */
    static byte[] next(Random rnd) {
        if (rnd.nextInt(8) == 0) {
            byte[] b = new byte[rnd.nextInt(200)];
            for (int i = 0; i < b.length; i++) {
                b[i] = rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)] : (byte) rnd.nextInt(256);
            }
            return b;
        }
        byte[] b = SEEDS.get(rnd.nextInt(SEEDS.size()));
        int mutations = 1 + rnd.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            b = mutate(b, rnd);
        }
        return b;
    }

    private static byte[] mutate(byte[] b, Random rnd) {
        int at = b.length == 0 ? 0 : rnd.nextInt(b.length);
        return switch (rnd.nextInt(7)) {
            case 0 -> { // overwrite a byte
                byte[] c = b.clone();
                if (c.length > 0) {
                    c[at] = rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)] : (byte) rnd.nextInt(256);
                }
                yield c;
            }
            case 1 -> { // delete a run
                int n = Math.min(b.length - at, 1 + rnd.nextInt(4));
                byte[] c = new byte[b.length - n];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + n, c, at, b.length - at - n);
                yield c;
            }
            case 2 -> insert(b, at, TOKENS[rnd.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1));
            case 3 -> { // duplicate a run
                int n = Math.min(b.length - at, 1 + rnd.nextInt(30));
                yield insert(b, at, Arrays.copyOfRange(b, at, at + n));
            }
            case 4 -> Arrays.copyOf(b, at); // truncate
            case 5 -> insert(b, at, "a".repeat(rnd.nextInt(40) == 0 ? 9000 : 40).getBytes(StandardCharsets.US_ASCII));
            default -> { // flip a bit
                byte[] c = b.clone();
                if (c.length > 0) {
                    c[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                yield c;
            }
        };
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }
}
