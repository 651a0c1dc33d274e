package dev.weft.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 10^6 random and mutated requests through the parser and the chunked decoder in-process, each
 * fed in random pieces: every one ends as a request, as "need more bytes" (the server's clean
 * close at the end of input), or as an {@link HttpException} with a refusal status whose answer
 * starts with a valid status line. Anything else thrown is a parser bug.
 */
class HttpParserFuzzTest {

    private static final Set<Integer> REFUSALS = Set.of(400, 408, 413, 414, 417, 431, 501, 505);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aMillionRandomAndMutatedRequestsEndCleanly() {
        long seed = Long.getLong("weft.http.fuzzSeed", 13L);
        Random rnd = new Random(seed);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 1_000_000; i++) {
            byte[] request = HttpFuzz.next(rnd);
            try {
                if (run(request, rnd)) {
                    parsed++;
                }
            } catch (HttpException e) {
                refused++;
                if (!REFUSALS.contains(e.status())) {
                    fail("request " + i + " (seed " + seed + ") refused with " + e.status() + ": " + e.getMessage()
                            + "\n" + HexFormat.of().formatHex(request));
                }
                String answer = new String(Connection.errorAnswer(e.status(), e.getMessage()),
                        StandardCharsets.ISO_8859_1);
                int eol = answer.indexOf("\r\n") + 2;
                assertTrue(HttpFuzz.STATUS_LINE.matcher(answer.substring(0, eol)).matches(), answer);
            } catch (RuntimeException e) {
                throw new AssertionError("request " + i + " (seed " + seed + ") threw " + e + "\n"
                        + HexFormat.of().formatHex(request), e);
            }
        }
        // the mix is worth its name: both outcomes are common
        assertTrue(parsed > 50_000 && refused > 50_000, "parsed " + parsed + ", refused " + refused);
    }

    /** Feeds {@code request} in random pieces; whether a whole request (head and body) was read. */
    private static boolean run(byte[] request, Random rnd) {
        HttpParser parser = new HttpParser(8 * 1024, 16 * 1024);
        int end = 0;
        RequestHead head = null;
        while (head == null) {
            if (end == request.length) {
                return false; // the client stopped sending: the server closes
            }
            end = Math.min(request.length, end + 1 + rnd.nextInt(64));
            head = parser.parse(request, 0, end); // HttpParserTest checks it reads nothing past end
        }
        int pos = head.length();
        if (head.chunked()) {
            ChunkedDecoder d = new ChunkedDecoder(1 << 20, 16 * 1024);
            while (!d.done()) {
                if (pos == request.length) {
                    return false;
                }
                int to = Math.min(request.length, pos + 1 + rnd.nextInt(64));
                pos = d.advance(request, pos, to);
            }
        }
        return true;
    }
}
