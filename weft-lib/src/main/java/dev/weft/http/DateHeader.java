package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code Date} header line (RFC 9110, 6.6.1: IMF-fixdate), formatted at most once a second
 * and never stale: each response reads the clock's second and reformats only when it moved on,
 * so a response carries the second it was written in, also after the server was idle.
 * The line is immutable and published through one volatile field: a racing reader sees either
 * the old second's line (written in that second) or the new one.
 */
final class DateHeader {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME
            .withZone(ZoneOffset.UTC);

    private record Line(long second, byte[] bytes) {
    }

    private static volatile Line current = format(System.currentTimeMillis() / 1000);

    private DateHeader() {
    }

    /** {@code "Date: <IMF-fixdate>\r\n"} for the current second. */
    static byte[] line() {
        long now = System.currentTimeMillis() / 1000;
        Line l = current;
        if (l.second != now) {
            l = format(now);
            current = l;
        }
        return l.bytes;
    }

    private static Line format(long second) {
        return new Line(second, ("Date: " + imfFixdate(second) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * {@code epochSecond} as an IMF-fixdate (RFC 9110, 5.6.7), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}:
     * the form a server must send in every HTTP-date field ({@code Date}, {@code Last-Modified}).
     */
    static String imfFixdate(long epochSecond) {
        String s = IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
        if (s.charAt(6) == ' ') { // RFC_1123 writes a one-digit day as "1"; IMF-fixdate wants "01"
            s = s.substring(0, 5) + "0" + s.substring(5);
        }
        return s;
    }
}
