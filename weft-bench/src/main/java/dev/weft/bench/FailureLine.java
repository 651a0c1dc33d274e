package dev.weft.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a measurement failed, in one line for a report's {@code skipped} reason: the throwable and
 * its causes, class and message each (a cause whose message its wrapper already repeats is left
 * out), and what to do when a module export is missing.
 */
public final class FailureLine {

    /** "module java.base does not export jdk.internal.misc to unnamed module". */
    private static final Pattern MISSING_EXPORT =
            Pattern.compile("module (\\S+) does not export (\\S+) to unnamed module");

    private FailureLine() {
    }

    /** The one-line description of {@code e}. */
    public static String of(Throwable e) {
        StringBuilder out = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            String message = t.getMessage();
            if (!out.isEmpty()) {
                if (message != null && out.indexOf(message) >= 0) {
                    continue;
                }
                out.append(" <- ");
            }
            out.append(t.getClass().getSimpleName());
            if (message != null) {
                out.append(": ").append(message);
            }
        }
        String line = out.toString().replaceAll("\\s+", " ");
        Matcher export = MISSING_EXPORT.matcher(line);
        if (export.find()) {
            line += "; to run it, start the JVM with --add-exports " + export.group(1) + "/"
                    + export.group(2) + "=ALL-UNNAMED (with ./weft: in WEFT_JAVA_OPTS)";
        }
        return line;
    }
}
