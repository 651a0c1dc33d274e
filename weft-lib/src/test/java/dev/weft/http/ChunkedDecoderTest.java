package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chunked body decoder: sizes, extensions, trailers, limits, and where it stops. */
class ChunkedDecoderTest {

    /** Decodes {@code body} fed in pieces of {@code piece} bytes; the data, and the bytes consumed. */
    static String decode(String body, int piece, long limit) {
        byte[] all = body.getBytes(StandardCharsets.ISO_8859_1);
        ChunkedDecoder d = new ChunkedDecoder(limit, 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        int end = 0;
        while (!d.done()) {
            if (pos == end) {
                if (end == all.length) {
                    throw new AssertionError("the body ended before the decoder was done");
                }
                end = Math.min(all.length, end + piece);
            }
            byte[] visible = Arrays.copyOf(all, end); // the decoder may not look past what arrived
            pos = d.advance(visible, pos, end);
            out.write(visible, d.dataStart(), d.dataLength());
        }
        return out.toString(StandardCharsets.ISO_8859_1) + "|" + pos;
    }

    @Test
    void decodesChunksInEveryPieceSize() {
        String body = "4\r\nWiki\r\n5;name=value\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\n";
        for (int piece = 1; piece <= body.length(); piece++) {
            assertEquals("Wikipedia in\r\n\r\nchunks.|" + body.length(), decode(body, piece, 1 << 20), "piece " + piece);
        }
    }

    @Test
    void stopsAtTheEndOfTheBody() {
        String body = "1\r\na\r\n0\r\n\r\n";
        assertEquals("a|" + body.length(), decode(body + "GET / HTTP/1.1\r\n", 1000, 100));
    }

    @Test
    void upperAndLowerCaseHexSizes() {
        assertEquals("0123456789|20", decode("a\r\n0123456789\r\n0\r\n\r\n", 3, 100));
        assertEquals("0123456789|20", decode("A\r\n0123456789\r\n0\r\n\r\n", 3, 100));
    }

    @Test
    void aBodyOverTheLimitIs413() {
        assertEquals(413, assertThrows(HttpException.class, () -> decode("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", 64, 8))
                .status());
    }

    @Test
    void aMalformedSizeIs400() {
        assertEquals(400, assertThrows(HttpException.class, () -> decode("x\r\n\r\n", 64, 100)).status());
        assertEquals(400, assertThrows(HttpException.class, () -> decode("\r\n", 64, 100)).status());
        assertEquals(400, assertThrows(HttpException.class, () -> decode("1234567890abcdef0\r\n", 64, 1L << 60)).status());
    }

    @Test
    void dataLongerThanItsSizeIs400() {
        assertEquals(400, assertThrows(HttpException.class, () -> decode("2\r\nabc\r\n0\r\n\r\n", 64, 100)).status());
    }

    @Test
    void aBareLineFeedAfterASizeIs400() {
        assertEquals(400, assertThrows(HttpException.class, () -> decode("2\nab\r\n0\r\n\r\n", 64, 100)).status());
        assertEquals(400, assertThrows(HttpException.class, () -> decode("2\rab\r\n0\r\n\r\n", 64, 100)).status());
    }

    @Test
    void aControlCharacterInAnExtensionIs400() {
        assertEquals(400, assertThrows(HttpException.class, () -> decode("2;a\u0000\r\nab\r\n0\r\n\r\n", 64, 100))
                .status());
    }

    @Test
    void aMalformedTrailerIs400() {
        assertEquals(400, assertThrows(HttpException.class, () -> decode("0\r\nno colon\r\n\r\n", 64, 100)).status());
    }

    @Test
    void aTrailerSectionOverTheLimitIs431() {
        String trailer = "X: " + "a".repeat(2000) + "\r\n";
        assertEquals(431, assertThrows(HttpException.class, () -> decode("0\r\n" + trailer + "\r\n", 64, 100)).status());
    }

    @Test
    void isNotDoneBeforeTheLastChunksEmptyLine() {
        ChunkedDecoder d = new ChunkedDecoder(100, 100);
        byte[] b = "0\r\n".getBytes(StandardCharsets.ISO_8859_1);
        d.advance(b, 0, b.length);
        assertFalse(d.done());
        byte[] rest = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        d.advance(rest, 3, 5);
        assertTrue(d.done());
    }
}
