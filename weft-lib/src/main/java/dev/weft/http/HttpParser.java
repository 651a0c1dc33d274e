package dev.weft.http;

import java.nio.charset.StandardCharsets;

/**
 * The strict request-head parser (RFC 9112, sections 2 to 6): request line, header fields, and the
 * message framing they imply.
 *
 * <p>Incremental: the connection calls {@link #parse} each time more bytes arrived, with the same
 * start and a larger end, until it returns a head (then {@link #reset()} before the next request).
 * The search for the end of the head resumes where the last call stopped, so a head that arrives a
 * byte at a time is scanned once; the fields are read from the caller's array once the whole head
 * is there (no copy of the head, one string per name and value, no regular expression).
 *
 * <p>Every rejection is an {@link HttpException} with the status to answer: malformed syntax,
 * a bare LF, obs-fold, whitespace before a colon, a line without a colon, control characters, a
 * missing or repeated Host in HTTP/1.1, Content-Length with Transfer-Encoding, a repeated or
 * malformed Content-Length: 400; an unknown method, CONNECT, or a transfer coding other than
 * {@code chunked}: 501; a version other than 1.0 and 1.1: 505; a target over the limit: 414; a
 * header section over the limit: 431; an expectation other than {@code 100-continue}: 417.
 */
final class HttpParser {

    /** Bytes a request line may have besides its target: the longest method, two spaces, the version. */
    private static final int REQUEST_LINE_SLACK = 32;

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH",
            "CONNECT"};
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];
    /** tchar (RFC 9110, 5.6.2) by byte value. */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = METHODS[i].getBytes(StandardCharsets.US_ASCII);
        }
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private final int maxTargetBytes;
    private final int maxHeaderBytes;

    /** Offset from start up to which the bytes were scanned. */
    private int scanned;
    /** Offset from start of the request line's first byte (after leading empty lines). */
    private int lineStart;
    /** Offset from start of the request line's LF, or -1. */
    private int lineEnd = -1;

    HttpParser(int maxTargetBytes, int maxHeaderBytes) {
        this.maxTargetBytes = maxTargetBytes;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** Forgets the head in progress; the next {@link #parse} starts a new request. */
    void reset() {
        scanned = 0;
        lineStart = 0;
        lineEnd = -1;
    }

    /** Whether no byte of a request was seen since the last {@link #reset()}. */
    boolean idle() {
        return scanned == 0;
    }

    static boolean isTchar(int b) {
        return TCHAR[b & 0xFF];
    }

    /**
     * Parses the head in {@code buf[start, end)}.
     *
     * @return the head (its {@code length} the bytes it took from start), or null when it is not
     *         complete yet
     * @throws HttpException when the bytes cannot begin or be a valid request head
     */
    RequestHead parse(byte[] buf, int start, int end) {
        int i = start + scanned;
        while (i < end) {
            byte b = buf[i];
            int off = i - start;
            if (lineEnd < 0 && off == lineStart) { // RFC 9112, 2.2: empty lines before a request line are ignored
                if (b == '\r') {
                    if (i + 1 == end) {
                        break; // wait for the LF
                    }
                    if (buf[i + 1] != '\n') {
                        throw new HttpException(400, "a bare CR before the request line");
                    }
                    lineStart += 2;
                    i += 2;
                    if (lineStart > maxHeaderBytes) {
                        throw new HttpException(400, "more than " + maxHeaderBytes + " bytes of empty lines before"
                                + " the request line");
                    }
                    continue;
                }
                if (b == '\n') {
                    throw new HttpException(400, "a bare LF before the request line: lines end with CRLF");
                }
            }
            if (b == '\n') {
                if (i == start || buf[i - 1] != '\r') {
                    throw new HttpException(400, "a bare LF in the request head at byte " + off
                            + ": lines end with CRLF");
                }
                if (lineEnd < 0) {
                    lineEnd = off;
                } else if (off - lineEnd >= 2 && buf[i - 2] == '\n') {
                    scanned = off + 1;
                    return build(buf, start, start + off + 1);
                }
            }
            i++;
            if (lineEnd < 0) {
                if (off - lineStart > maxTargetBytes + REQUEST_LINE_SLACK) {
                    throw new HttpException(414, "the request line passed " + (maxTargetBytes + REQUEST_LINE_SLACK)
                            + " bytes without ending: the request target is over the limit of " + maxTargetBytes
                            + " bytes");
                }
            } else if (off - lineEnd > maxHeaderBytes) {
                throw new HttpException(431, "the header section passed the limit of " + maxHeaderBytes
                        + " bytes");
            }
        }
        scanned = i - start;
        return null;
    }

    private RequestHead build(byte[] buf, int start, int headEnd) {
        int ls = start + lineStart;
        int le = start + lineEnd - 1; // the CR
        // method
        int sp1 = ls;
        while (sp1 < le && buf[sp1] != ' ') {
            sp1++;
        }
        if (sp1 == le || sp1 == ls) {
            throw new HttpException(400, "the request line has no method followed by a single space");
        }
        String method = method(buf, ls, sp1);
        int ts = sp1 + 1;
        int sp2 = ts;
        while (sp2 < le && buf[sp2] != ' ') {
            int c = buf[sp2] & 0xFF;
            if (c <= 0x20 || c >= 0x7F) {
                throw new HttpException(400, "the request target has byte 0x" + Integer.toHexString(c)
                        + " at " + (sp2 - ts) + ": only visible ASCII is allowed");
            }
            sp2++;
        }
        if (sp2 - ts > maxTargetBytes) {
            throw new HttpException(414, "the request target has " + (sp2 - ts) + " bytes, over the limit of "
                    + maxTargetBytes);
        }
        if (sp2 == le || sp2 == ts) {
            throw new HttpException(400, "the request line is not 'method SP target SP version'");
        }
        int minor = version(buf, sp2 + 1, le);
        if ("CONNECT".equals(method)) {
            throw new HttpException(501, "CONNECT is not implemented: this server is not a proxy");
        }
        String target = new String(buf, ts, sp2 - ts, StandardCharsets.ISO_8859_1);
        String path;
        String query = null;
        if (buf[ts] == '/') {
            path = target;
        } else if (target.equals("*")) {
            if (!"OPTIONS".equals(method)) {
                throw new HttpException(400, "the asterisk-form target '*' is only for OPTIONS, not " + method);
            }
            path = "*";
        } else if (startsWithIgnoreCase(target, "http://") || startsWithIgnoreCase(target, "https://")) {
            int authority = target.indexOf("://") + 3;
            int slash = authority;
            while (slash < target.length() && target.charAt(slash) != '/' && target.charAt(slash) != '?') {
                slash++;
            }
            if (slash == authority) {
                throw new HttpException(400, "the absolute-form target '" + abbreviate(target) + "' has no host");
            }
            path = slash == target.length() ? "/" : target.charAt(slash) == '?' ? "/" + target.substring(slash)
                    : target.substring(slash);
        } else {
            throw new HttpException(400, "the request target '" + abbreviate(target) + "' is neither origin-form"
                    + " (/path), absolute-form (http://host/path) nor '*'");
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        Headers headers = new Headers();
        int p = le + 2;
        int headerEnd = headEnd - 2; // the final empty line's CR
        while (p < headerEnd) {
            int eol = p;
            while (buf[eol] != '\n') {
                eol++;
            }
            field(buf, p, eol - 1, headers);
            p = eol + 1;
        }
        return frame(method, target, path, query, minor, headers, headEnd - start);
    }

    private static String method(byte[] buf, int from, int to) {
        int n = to - from;
        outer:
        for (int m = 0; m < METHOD_BYTES.length; m++) {
            byte[] k = METHOD_BYTES[m];
            if (k.length != n) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                if (buf[from + j] != k[j]) {
                    continue outer;
                }
            }
            return METHODS[m];
        }
        for (int j = from; j < to; j++) {
            if (!isTchar(buf[j])) {
                throw new HttpException(400, "the method has byte 0x" + Integer.toHexString(buf[j] & 0xFF)
                        + ", which is not a token character");
            }
        }
        throw new HttpException(501, "the method '" + abbreviate(new String(buf, from, n, StandardCharsets.ISO_8859_1))
                + "' is not implemented (methods are case-sensitive)");
    }

    private static int version(byte[] buf, int from, int to) {
        if (to - from == 8 && buf[from] == 'H' && buf[from + 1] == 'T' && buf[from + 2] == 'T' && buf[from + 3] == 'P'
                && buf[from + 4] == '/' && isDigit(buf[from + 5]) && buf[from + 6] == '.' && isDigit(buf[from + 7])) {
            if (buf[from + 5] == '1' && (buf[from + 7] == '1' || buf[from + 7] == '0')) {
                return buf[from + 7] - '0';
            }
            throw new HttpException(505, "HTTP version " + (char) buf[from + 5] + "." + (char) buf[from + 7]
                    + " is not supported: send HTTP/1.1 or HTTP/1.0");
        }
        throw new HttpException(400, "the request line does not end with a version 'HTTP/1.1'");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** One field line {@code buf[from, to)} (without its CRLF). */
    static void field(byte[] buf, int from, int to, Headers headers) {
        if (buf[from] == ' ' || buf[from] == '\t') {
            throw new HttpException(400, "a header line starts with whitespace (obs-fold): fold no header");
        }
        int colon = from;
        while (colon < to && buf[colon] != ':') {
            byte c = buf[colon];
            if (c == ' ' || c == '\t') {
                throw new HttpException(400, "whitespace between the header name '"
                        + abbreviate(new String(buf, from, colon - from, StandardCharsets.ISO_8859_1))
                        + "' and its colon");
            }
            if (!isTchar(c)) {
                throw new HttpException(400, "a header name has byte 0x" + Integer.toHexString(c & 0xFF)
                        + ", which is not a token character");
            }
            colon++;
        }
        if (colon == to) {
            throw new HttpException(400, "a header line has no colon: '"
                    + abbreviate(new String(buf, from, to - from, StandardCharsets.ISO_8859_1)) + "'");
        }
        if (colon == from) {
            throw new HttpException(400, "a header line has an empty name");
        }
        int vs = colon + 1;
        int ve = to;
        while (vs < ve && (buf[vs] == ' ' || buf[vs] == '\t')) {
            vs++;
        }
        while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
            ve--;
        }
        for (int j = vs; j < ve; j++) {
            int c = buf[j] & 0xFF;
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new HttpException(400, "the header '" + new String(buf, from, colon - from,
                        StandardCharsets.ISO_8859_1) + "' has control character 0x" + Integer.toHexString(c)
                        + " in its value");
            }
        }
        headers.add(new String(buf, from, colon - from, StandardCharsets.ISO_8859_1),
                new String(buf, vs, ve - vs, StandardCharsets.ISO_8859_1));
    }

    private static RequestHead frame(String method, String target, String path, String query, int minor,
                                     Headers headers, int length) {
        int hosts = headers.count("Host");
        if (hosts > 1) {
            throw new HttpException(400, "the request has " + hosts + " Host headers: send one");
        }
        if (hosts == 0 && minor == 1) {
            throw new HttpException(400, "an HTTP/1.1 request without a Host header");
        }
        long contentLength = -1;
        boolean chunked = false;
        boolean keepAlive = minor == 1;
        boolean expectContinue = false;
        boolean transferEncoding = false;
        boolean close = false;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            String value = headers.value(i);
            if (name.equalsIgnoreCase("Content-Length")) {
                if (contentLength >= 0) {
                    throw new HttpException(400, "more than one Content-Length: send one");
                }
                contentLength = contentLength(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                if (minor == 0) {
                    throw new HttpException(400, "Transfer-Encoding in an HTTP/1.0 request");
                }
                if (transferEncoding || !value.equalsIgnoreCase("chunked")) {
                    if (value.isEmpty()) {
                        throw new HttpException(400, "an empty Transfer-Encoding");
                    }
                    throw new HttpException(501, "Transfer-Encoding '" + abbreviate(value) + "' is not implemented:"
                            + " only a single 'chunked' is");
                }
                transferEncoding = true;
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection")) {
                for (String token : value.split(",")) {
                    String t = token.strip();
                    if (t.equalsIgnoreCase("close")) {
                        close = true;
                    } else if (t.equalsIgnoreCase("keep-alive") && minor == 0) {
                        keepAlive = true;
                    }
                }
            } else if (name.equalsIgnoreCase("Expect")) {
                if (!value.equalsIgnoreCase("100-continue")) {
                    throw new HttpException(417, "the expectation '" + abbreviate(value) + "' cannot be met: only"
                            + " 100-continue can");
                }
                expectContinue = minor == 1;
            }
        }
        if (chunked && contentLength >= 0) {
            throw new HttpException(400, "both Content-Length and Transfer-Encoding: send one");
        }
        if (close) {
            keepAlive = false;
        }
        return new RequestHead(method, target, path, query, minor, headers, contentLength, chunked, keepAlive,
                expectContinue, length);
    }

    private static long contentLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            throw new HttpException(400, "Content-Length '" + abbreviate(value) + "' is not 1 to 18 digits");
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpException(400, "Content-Length '" + abbreviate(value) + "' is not a decimal number"
                        + (c == ',' ? " (a list is a repeated Content-Length)" : ""));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** At most 64 characters of untrusted text for an error message. */
    static String abbreviate(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 70));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c >= 0x7F ? '?' : c);
        }
        return s.length() > 64 ? sb.append("...").toString() : sb.toString();
    }
}
