package dev.weft.bench.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Lua script wrk runs for a case. Its {@code done} function prints one line,
 * {@link WrkOutput#MARKER} followed by {@code key=value} pairs: the requests answered, wrk's
 * measured duration and bytes read, its error counts (connect, read, write, status: responses
 * with a status above 399, timeout) and the median and 99th percentile of its latencies in
 * microseconds. For a pipelined case ({@code depth > 1}) its {@code request} function returns
 * {@code depth} copies of the request, which wrk writes at once; wrk counts the requests in what
 * {@code request} returns and expects as many responses, so every response is counted. A script
 * without a {@code request} function lets wrk send its fixed request, the cheapest way it has.
 */
public final class WrkScript {

    private WrkScript() {
    }

    /**
     * The script for {@code depth} requests per write.
     *
     * @throws IllegalArgumentException when {@code depth < 1}
     */
    public static String text(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("pipeline depth must be >= 1, was " + depth);
        }
        StringBuilder lua = new StringBuilder();
        lua.append("-- weft bench http: wrk's script for ").append(depth)
                .append(depth == 1 ? " request" : " requests").append(" per write on each connection.\n");
        if (depth > 1) {
            lua.append("local batch\n")
                    .append("init = function(args)\n")
                    .append("   batch = string.rep(wrk.format(), ").append(depth).append(")\n")
                    .append("end\n")
                    .append("request = function()\n")
                    .append("   return batch\n")
                    .append("end\n");
        }
        lua.append("done = function(summary, latency, requests)\n")
                .append("   local e = summary.errors\n")
                .append("   io.write(string.format(\"").append(WrkOutput.MARKER)
                .append(" requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d")
                .append(" timeout=%d p50_us=%d p99_us=%d\\n\",\n")
                .append("      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,")
                .append(" e.status,\n")
                .append("      e.timeout, latency:percentile(50), latency:percentile(99)))\n")
                .append("end\n");
        return lua.toString();
    }

    /** Writes the script for {@code depth} into {@code dir}; its path. */
    public static Path write(Path dir, int depth) throws IOException {
        return Files.writeString(dir.resolve("weft-wrk-depth-" + depth + ".lua"), text(depth), StandardCharsets.UTF_8);
    }
}
