package dev.weft.bench.http;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one wrk run measured, read from the line its {@link WrkScript} prints at the end.
 *
 * @param requests       responses received (wrk counts a response as a request done)
 * @param durationMicros wrk's measured duration
 * @param bytes          bytes read
 * @param connectErrors  connections that could not be opened
 * @param readErrors     failed reads (a connection reset, for one)
 * @param writeErrors    failed writes
 * @param statusErrors   responses with a status above 399
 * @param timeouts       requests without a response within wrk's timeout
 * @param p50Micros      median latency
 * @param p99Micros      99th-percentile latency
 */
public record WrkOutput(long requests, long durationMicros, long bytes, long connectErrors, long readErrors,
                        long writeErrors, long statusErrors, long timeouts, long p50Micros, long p99Micros) {

    /** The first word of the script's result line. */
    public static final String MARKER = "weft-wrk";

    private static final List<String> KEYS = List.of("requests", "duration_us", "bytes", "connect", "read",
            "write", "status", "timeout", "p50_us", "p99_us");

    /**
     * The result line in wrk's standard output.
     *
     * @throws IllegalArgumentException when there is no result line (wrk failed before its end:
     *                                  the message quotes its output) or it does not parse
     */
    public static WrkOutput parse(String output) {
        String line = output.lines().filter(l -> l.startsWith(MARKER + " ")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalArgumentException("wrk printed no '" + MARKER + "' result line;"
                        + " its output: " + oneLine(output)));
        Map<String, Long> values = new HashMap<>();
        for (String pair : line.substring(MARKER.length()).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("wrk's result line has '" + pair + "', not key=value: " + line);
            }
            try {
                values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("wrk's result line has a value that is not a whole number, '"
                        + pair + "': " + line, e);
            }
        }
        for (String key : KEYS) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("wrk's result line has no " + key + ": " + line);
            }
        }
        return new WrkOutput(values.get("requests"), values.get("duration_us"), values.get("bytes"),
                values.get("connect"), values.get("read"), values.get("write"), values.get("status"),
                values.get("timeout"), values.get("p50_us"), values.get("p99_us"));
    }

    /** Requests answered per second of wrk's duration. */
    public double throughput() {
        return durationMicros <= 0 ? 0 : requests * 1e6 / durationMicros;
    }

    /** Errors wrk saw, in words ({@code 20713 responses with status >= 400}); empty when none. */
    public String errors() {
        StringBuilder s = new StringBuilder();
        append(s, connectErrors, "connect errors");
        append(s, readErrors, "read errors");
        append(s, writeErrors, "write errors");
        append(s, statusErrors, "responses with status >= 400");
        append(s, timeouts, "timeouts");
        return s.toString();
    }

    /**
     * This output, when it measured anything and without errors.
     *
     * @throws IllegalStateException naming the errors (a server that answers errors fast must
     *                               not win), or saying that no request was answered
     */
    public WrkOutput requireClean() {
        String errors = errors();
        if (!errors.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "wrk saw %s in %d requests", errors, requests));
        }
        if (requests == 0) {
            throw new IllegalStateException("wrk got no response in " + durationMicros + " µs");
        }
        return this;
    }

    private static void append(StringBuilder s, long count, String what) {
        if (count > 0) {
            s.append(s.isEmpty() ? "" : ", ").append(count).append(' ').append(what);
        }
    }

    private static String oneLine(String text) {
        String t = text.strip().replace('\n', '|');
        return t.isEmpty() ? "(none)" : t.length() > 600 ? "..." + t.substring(t.length() - 600) : t;
    }
}
