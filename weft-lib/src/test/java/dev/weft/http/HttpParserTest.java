package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request-head parser: what it accepts, and each rejection with its status. */
class HttpParserTest {

    static HttpParser parser() {
        return new HttpParser(8 * 1024, 16 * 1024);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static RequestHead parse(String request) {
        byte[] b = ascii(request);
        RequestHead h = parser().parse(b, 0, b.length);
        if (h == null) {
            throw new AssertionError("the head was not complete: " + request);
        }
        return h;
    }

    static int status(String request) {
        return assertThrows(HttpException.class, () -> parse(request)).status();
    }

    @Test
    void parsesARequestLineAndHeaders() {
        RequestHead h = parse("GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n");
        assertEquals("GET", h.method());
        assertEquals("/a/b?x=1&y=2", h.target());
        assertEquals("/a/b", h.path());
        assertEquals("x=1&y=2", h.query());
        assertEquals(1, h.minorVersion());
        assertEquals("example.com", h.headers().first("host").orElseThrow());
        assertEquals("*/*", h.headers().first("ACCEPT").orElseThrow());
        assertEquals(-1, h.contentLength());
        assertTrue(h.keepAlive());
    }

    @Test
    void headerNamesAreCaseInsensitiveAndRepeatsKeptInOrder() {
        RequestHead h = parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\nX-B: 3\r\nX-A: 4\r\n\r\n");
        assertEquals(List.of("1", "2", "4"), h.headers().all("x-A"));
        assertEquals(5, h.headers().size());
    }

    @Test
    void valuesLoseSurroundingWhitespaceOnly() {
        RequestHead h = parse("GET / HTTP/1.1\r\nHost: h\r\nX: \t a  b \t\r\n\r\n");
        assertEquals("a  b", h.headers().first("x").orElseThrow());
    }

    @Test
    void absoluteFormTargetGivesItsPath() {
        RequestHead h = parse("GET http://example.com:8080/p/q?z HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertEquals("/p/q", h.path());
        assertEquals("z", h.query());
        assertEquals("/", parse("GET http://example.com HTTP/1.1\r\nHost: e\r\n\r\n").path());
    }

    @Test
    void asteriskFormIsForOptionsOnly() {
        assertEquals("*", parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").path());
        assertEquals(400, status("GET * HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    @Test
    void http10NeedsNoHostAndClosesUnlessKeepAliveAsked() {
        assertFalse(parse("GET / HTTP/1.0\r\n\r\n").keepAlive());
        assertTrue(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive());
    }

    @Test
    void connectionCloseEndsKeepAlive() {
        assertFalse(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, close\r\n\r\n").keepAlive());
    }

    @Test
    void emptyLinesBeforeTheRequestLineAreIgnored() {
        RequestHead h = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals("GET", h.method());
        assertEquals(ascii("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").length, h.length());
    }

    @Test
    void aHeadIsNotCompleteBeforeItsEmptyLine() {
        byte[] b = ascii("GET / HTTP/1.1\r\nHost: h\r\n");
        assertNull(parser().parse(b, 0, b.length));
    }

    @Test
    void theHeadLengthStopsBeforeTheBodyAndTheNextRequest() {
        String head = "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n";
        byte[] b = ascii(head + "abcGET / HTTP/1.1\r\n");
        RequestHead h = parser().parse(b, 0, b.length);
        assertEquals(head.length(), h.length());
        assertEquals(3, h.contentLength());
    }

    @Test
    void expectContinueIsNoted() {
        assertTrue(parse("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n")
                .expectContinue());
    }

    @Test
    void everyRequestSplitAtEveryBytePositionParsesTheSame() {
        List<String> requests = List.of(
                "GET /a?b=c HTTP/1.1\r\nHost: h\r\nX: 1\r\nx: 2\r\n\r\n",
                "\r\nPOST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
                "GET / HTTP/1.0\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
        for (String r : requests) {
            RequestHead whole = parse(r);
            byte[] b = ascii(r);
            for (int split = 0; split <= b.length; split++) {
                HttpParser p = parser();
                RequestHead first = p.parse(Arrays.copyOf(b, split), 0, split);
                RequestHead h = first != null ? first : p.parse(b.clone(), 0, b.length);
                assertEquals(split == b.length, first != null, "complete only at the end, split " + split);
                assertSameHead(whole, h, r + " split at " + split);
            }
            HttpParser p = parser(); // and a byte at a time
            RequestHead h = null;
            for (int n = 1; n <= b.length && h == null; n++) {
                h = p.parse(Arrays.copyOf(b, n), 0, n);
                assertEquals(n == b.length, h != null, "complete only at the last byte");
            }
            assertSameHead(whole, h, r + " a byte at a time");
        }
    }

    @Test
    void aRejectionDoesNotDependOnHowTheBytesArrived() {
        byte[] b = ascii("GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n");
        for (int split = 1; split < b.length; split++) {
            HttpParser p = parser();
            byte[] part = Arrays.copyOf(b, split);
            int s = split;
            HttpException e = assertThrows(HttpException.class, () -> {
                if (p.parse(part, 0, s) == null) {
                    p.parse(b, 0, b.length);
                }
            });
            assertEquals(400, e.status());
        }
    }

    private static void assertSameHead(RequestHead expected, RequestHead actual, String what) {
        assertEquals(expected.method(), actual.method(), what);
        assertEquals(expected.target(), actual.target(), what);
        assertEquals(expected.headers().toString(), actual.headers().toString(), what);
        assertEquals(expected.length(), actual.length(), what);
        assertEquals(expected.chunked(), actual.chunked(), what);
        assertEquals(expected.keepAlive(), actual.keepAlive(), what);
    }

    // --- rejections, each with its status ---

    @Test
    void contentLengthWithTransferEncodingIs400() {
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"));
    }

    @Test
    void duplicateContentLengthIs400() {
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"));
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\n"));
    }

    @Test
    void conflictingContentLengthIs400() {
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"));
    }

    @Test
    void malformedContentLengthIs400() {
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n"));
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\n"));
        assertEquals(400, status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1234567890123456789\r\n\r\n"));
    }

    @Test
    void transferEncodingOtherThanChunkedIs501() {
        assertEquals(501, status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n"));
        assertEquals(501, status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"));
        assertEquals(501, status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"));
    }

    @Test
    void transferEncodingInHttp10Is400() {
        assertEquals(400, status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"));
    }

    @Test
    void http11WithoutHostIs400() {
        assertEquals(400, status("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"));
    }

    @Test
    void twoHostHeadersAre400() {
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
    }

    @Test
    void whitespaceBeforeTheColonIs400() {
        assertEquals(400, status("GET / HTTP/1.1\r\nHost : h\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\r\nX\t: 1\r\n\r\n"));
    }

    @Test
    void obsFoldIs400() {
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n"));
    }

    @Test
    void aLineWithoutAColonIs400() {
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\r\nNoColonHere\r\n\r\n"));
    }

    @Test
    void anEmptyHeaderNameIs400() {
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n"));
    }

    @Test
    void controlCharactersAre400() {
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\r\nX: a\u0000b\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\r\nX: a\u0001b\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\r\nX: a\u007fb\r\n\r\n"));
        assertEquals(400, status("GET /a\u0001b HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nHo\u0000st: h\r\n\r\n"));
    }

    @Test
    void aBareLineFeedIs400() {
        assertEquals(400, status("GET / HTTP/1.1\nHost: h\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: h\n\r\n"));
    }

    @Test
    void unknownMethodIs501() {
        assertEquals(501, status("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(501, status("get / HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    @Test
    void aMethodThatIsNotATokenIs400() {
        assertEquals(400, status("G(T / HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    @Test
    void connectIs501() {
        assertEquals(501, status("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n"));
    }

    @Test
    void unsupportedVersionIs505AndAMalformedOne400() {
        assertEquals(505, status("GET / HTTP/2.0\r\nHost: h\r\n\r\n"));
        assertEquals(400, status("GET / HTTP/1.1x\r\nHost: h\r\n\r\n"));
        assertEquals(400, status("GET / http/1.1\r\nHost: h\r\n\r\n"));
    }

    @Test
    void aMalformedRequestLineIs400() {
        assertEquals(400, status("GET  / HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(400, status("GET /\r\nHost: h\r\n\r\n"));
        assertEquals(400, status("GET noslash HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    @Test
    void anUnmeetableExpectationIs417() {
        assertEquals(417, status("GET / HTTP/1.1\r\nHost: h\r\nExpect: teapot\r\n\r\n"));
    }

    @Test
    void aHeaderSectionOverTheLimitIs431() {
        String big = "X: " + "a".repeat(16 * 1024) + "\r\n";
        assertEquals(431, status("GET / HTTP/1.1\r\nHost: h\r\n" + big + "\r\n"));
        // detected before the section ends, so a client cannot make the server buffer more
        byte[] b = ascii("GET / HTTP/1.1\r\nHost: h\r\n" + big);
        assertEquals(431, assertThrows(HttpException.class, () -> parser().parse(b, 0, b.length)).status());
    }

    @Test
    void theHeaderLimitIsConfigurable() {
        HttpParser small = new HttpParser(8 * 1024, 64);
        byte[] b = ascii("GET / HTTP/1.1\r\nHost: h\r\nX: " + "a".repeat(64) + "\r\n\r\n");
        assertEquals(431, assertThrows(HttpException.class, () -> small.parse(b, 0, b.length)).status());
    }

    @Test
    void aTargetOverTheLimitIs414() {
        String target = "/" + "a".repeat(8 * 1024);
        assertEquals(414, status("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n"));
        byte[] b = ascii("GET " + target + "a".repeat(100)); // no line end yet
        assertEquals(414, assertThrows(HttpException.class, () -> parser().parse(b, 0, b.length)).status());
    }

    @Test
    void aTargetAtTheLimitIsAccepted() {
        String target = "/" + "a".repeat(8 * 1024 - 1);
        assertEquals(target, parse("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n").target());
    }
}
