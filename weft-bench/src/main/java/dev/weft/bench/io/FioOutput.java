package dev.weft.bench.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one fio run ({@code --output-format=json}, one job) measured, read from its output with a
 * small JSON reader of its own: fio may print warnings before the JSON document, which is the text
 * from the first <code>{</code>.
 *
 * @param readIos     read transfers completed ({@code jobs[0].read.total_ios})
 * @param readIops    read transfers per second ({@code read.iops})
 * @param readBw      read bytes per second ({@code read.bw_bytes})
 * @param writeIos    write transfers completed
 * @param writeIops   write transfers per second
 * @param writeBw     write bytes per second
 * @param usrCpu      user CPU over the job's run, % of one core ({@code usr_cpu})
 * @param sysCpu      system CPU, % of one core ({@code sys_cpu})
 * @param runtimeMs   the job's run time in ms ({@code job_runtime})
 * @param error       the job's error (0: none)
 */
record FioOutput(long readIos, double readIops, double readBw, long writeIos, double writeIops, double writeBw,
                 double usrCpu, double sysCpu, long runtimeMs, int error) {

    /**
     * Reads fio's JSON output.
     *
     * @throws IllegalArgumentException when the text holds no JSON document, the document is
     *                                  malformed, or it has no job; the message quotes the start
     *                                  of the text
     */
    static FioOutput parse(String text) {
        int start = text.indexOf('{');
        if (start < 0) {
            throw new IllegalArgumentException("fio printed no JSON report: " + head(text));
        }
        Object doc;
        try {
            doc = new Reader(text, start).document();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fio's JSON report is malformed (" + e.getMessage() + "): "
                    + head(text.substring(start)), e);
        }
        if (!(doc instanceof Map<?, ?> root) || !(root.get("jobs") instanceof List<?> jobs) || jobs.isEmpty()
                || !(jobs.getFirst() instanceof Map<?, ?> job)) {
            throw new IllegalArgumentException("fio's JSON report has no job: " + head(text.substring(start)));
        }
        Map<?, ?> read = object(job, "read");
        Map<?, ?> write = object(job, "write");
        return new FioOutput((long) number(read, "total_ios"), number(read, "iops"), number(read, "bw_bytes"),
                (long) number(write, "total_ios"), number(write, "iops"), number(write, "bw_bytes"),
                number(job, "usr_cpu"), number(job, "sys_cpu"), (long) number(job, "job_runtime"),
                (int) number(job, "error"));
    }

    /**
     * The CPU fio's process used per transfer, µs: {@code (usr + sys) %} of the run time over the
     * transfers; negative when there was none.
     */
    double cpuMicrosPerOp() {
        long ios = readIos + writeIos;
        return ios == 0 ? -1 : (usrCpu + sysCpu) / 100 * runtimeMs * 1e3 / ios;
    }

    private static Map<?, ?> object(Map<?, ?> m, String key) {
        if (m.get(key) instanceof Map<?, ?> o) {
            return o;
        }
        throw new IllegalArgumentException("fio's JSON job has no object '" + key + "'");
    }

    private static double number(Map<?, ?> m, String key) {
        if (m.get(key) instanceof Double d) {
            return d;
        }
        throw new IllegalArgumentException("fio's JSON job has no number '" + key + "' (it has " + m.keySet() + ")");
    }

    private static String head(String text) {
        String t = text.strip();
        return t.isEmpty() ? "(nothing)" : t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    /** JSON to Map, List, String, Double, Boolean and null. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s, int start) {
            this.s = s;
            this.i = start;
        }

        Object document() {
            Object v = value();
            return v;
        }

        private Object value() {
            skip();
            if (i >= s.length()) {
                throw error("the text ends where a value was expected");
            }
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            skip();
            if (peek() == '}') {
                i++;
                return m;
            }
            for (;;) {
                skip();
                if (peek() != '"') {
                    throw error("a key was expected");
                }
                String key = string();
                skip();
                expect(':');
                m.put(key, value());
                skip();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            skip();
            if (peek() == ']') {
                i++;
                return l;
            }
            for (;;) {
                l.add(value());
                skip();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return l;
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    if (i >= s.length()) {
                        break;
                    }
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            if (i + 4 > s.length()) {
                                throw error("a \\u escape is cut short");
                            }
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            throw error("a string is not closed");
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw error("unexpected text");
            }
            i += word.length();
            return v;
        }

        private Double number() {
            int from = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (from == i) {
                throw error("unexpected character '" + s.charAt(i) + "'");
            }
            try {
                return Double.parseDouble(s.substring(from, i));
            } catch (NumberFormatException e) {
                throw error("'" + s.substring(from, i) + "' is not a number");
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("'" + c + "' was expected");
            }
            i++;
        }

        private char peek() {
            if (i >= s.length()) {
                throw error("the text ends early");
            }
            return s.charAt(i);
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + i);
        }
    }
}
