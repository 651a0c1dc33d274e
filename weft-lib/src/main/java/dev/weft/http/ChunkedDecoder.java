package dev.weft.http;

/**
 * Decodes a chunked request body (RFC 9112, 7.1) incrementally, in place: {@link #advance} walks
 * the framing bytes and, in a chunk's data, reports the range of data bytes it passed over
 * ({@link #dataStart()}, {@link #dataLength()}), which the caller reads from its own array, so
 * data is never copied here.
 *
 * <p>States: SIZE (hex digits) → EXT (a chunk extension, skipped up to a limit) → SIZE_LF →
 * DATA (size bytes) → DATA_CR → DATA_LF → SIZE again; a size of 0 goes to TRAILER (field lines,
 * checked and dropped, up to the header limit) and DONE after the empty line. A malformed size,
 * line end or trailer is a 400; data beyond the body limit a 413.
 */
final class ChunkedDecoder {

    private static final int SIZE = 0, EXT = 1, SIZE_LF = 2, DATA = 3, DATA_CR = 4, DATA_LF = 5,
            TRAILER = 6, TRAILER_LF = 7, DONE = 8;
    private static final int MAX_EXTENSION_BYTES = 4096;

    private final long maxBody;
    private final int maxTrailerBytes;
    private int state = SIZE;
    private int sizeDigits;
    private long chunkLeft;
    private long total;
    private int extBytes;
    private int trailerBytes;
    /** The current trailer line, collected for checking (trailers are small and rare). */
    private final StringBuilder trailerLine = new StringBuilder();
    private int dataStart;
    private int dataLength;

    ChunkedDecoder(long maxBody, int maxTrailerBytes) {
        this.maxBody = maxBody;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /** Whether the last chunk and the trailer section were read. */
    boolean done() {
        return state == DONE;
    }

    /** Where the data bytes of the last {@link #advance} call begin in the caller's array. */
    int dataStart() {
        return dataStart;
    }

    /** How many data bytes the last {@link #advance} call passed over (0 when it read framing only). */
    int dataLength() {
        return dataLength;
    }

    /**
     * Consumes bytes of {@code buf[pos, end)} until it passed over some data, reached the end of
     * the body, or ran out of input.
     *
     * @return the position after the bytes it consumed
     */
    int advance(byte[] buf, int pos, int end) {
        dataLength = 0;
        while (pos < end) {
            byte b = buf[pos];
            switch (state) {
                case SIZE -> {
                    int d = hex(b);
                    if (d >= 0) {
                        if (++sizeDigits > 15) {
                            throw new HttpException(400, "a chunk size with more than 15 hex digits");
                        }
                        chunkLeft = chunkLeft * 16 + d;
                    } else if (sizeDigits == 0) {
                        throw new HttpException(400, "a chunk size must start with a hex digit, got byte 0x"
                                + Integer.toHexString(b & 0xFF));
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        state = EXT;
                    } else if (b == '\r') {
                        state = SIZE_LF;
                    } else {
                        throw new HttpException(400, "byte 0x" + Integer.toHexString(b & 0xFF)
                                + " after a chunk size");
                    }
                    pos++;
                }
                case EXT -> {
                    if (b == '\r') {
                        state = SIZE_LF;
                    } else if ((b < 0x20 && b != '\t') || b == 0x7F) {
                        throw new HttpException(400, "control character 0x" + Integer.toHexString(b & 0xFF)
                                + " in a chunk extension");
                    } else if (++extBytes > MAX_EXTENSION_BYTES) {
                        throw new HttpException(400, "a chunk extension over " + MAX_EXTENSION_BYTES + " bytes");
                    }
                    pos++;
                }
                case SIZE_LF -> {
                    expectLf(b, "a chunk size line");
                    pos++;
                    total += chunkLeft;
                    if (total > maxBody || total < 0) {
                        throw new HttpException(413, "the chunked body passed the limit of " + maxBody + " bytes");
                    }
                    sizeDigits = 0;
                    extBytes = 0;
                    state = chunkLeft == 0 ? TRAILER : DATA;
                }
                case DATA -> {
                    int n = (int) Math.min(chunkLeft, end - pos);
                    dataStart = pos;
                    dataLength = n;
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        state = DATA_CR;
                    }
                    return pos + n;
                }
                case DATA_CR -> {
                    if (b != '\r') {
                        throw new HttpException(400, "chunk data longer than its size (no CRLF after it)");
                    }
                    state = DATA_LF;
                    pos++;
                }
                case DATA_LF -> {
                    expectLf(b, "chunk data");
                    state = SIZE;
                    pos++;
                }
                case TRAILER -> {
                    if (++trailerBytes > maxTrailerBytes) {
                        throw new HttpException(431, "the trailer section passed the limit of " + maxTrailerBytes
                                + " bytes");
                    }
                    if (b == '\r') {
                        state = TRAILER_LF;
                    } else {
                        trailerLine.append((char) (b & 0xFF));
                    }
                    pos++;
                }
                case TRAILER_LF -> {
                    expectLf(b, "a trailer line");
                    pos++;
                    if (trailerLine.isEmpty()) {
                        state = DONE;
                        return pos;
                    }
                    byte[] line = trailerLine.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    HttpParser.field(line, 0, line.length, new Headers()); // checked, then dropped
                    trailerLine.setLength(0);
                    state = TRAILER;
                }
                default -> {
                    return pos; // DONE: what follows is the next request
                }
            }
        }
        return pos;
    }

    private static void expectLf(byte b, String what) {
        if (b != '\n') {
            throw new HttpException(400, "a CR without LF after " + what);
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
