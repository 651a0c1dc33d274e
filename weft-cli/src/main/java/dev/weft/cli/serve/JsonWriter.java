package dev.weft.cli.serve;

import dev.weft.bench.JsonReport;

import java.util.Arrays;

/**
 * Writes one JSON text (RFC 8259) into a string, value by value: objects, arrays, names, strings,
 * whole numbers, decimals and booleans. Commas are placed for the caller; strings are escaped
 * as {@link JsonReport#string} escapes them (quote, backslash, control characters). A writer is used by one
 * thread for one text.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject().name("message").value("Hello, World!").endObject().toString();
 * // {"message":"Hello, World!"}
 * }</pre>
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder(64);
    /** Per open object or array: whether it has a member yet. */
    private boolean[] hasMember = new boolean[8];
    private int depth;
    /** A name was written and its value is due. */
    private boolean afterName;

    /** Opens an object. */
    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        push();
        return this;
    }

    /** Closes the innermost object. */
    JsonWriter endObject() {
        depth--;
        out.append('}');
        return this;
    }

    /** Opens an array. */
    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        push();
        return this;
    }

    /** Closes the innermost array. */
    JsonWriter endArray() {
        depth--;
        out.append(']');
        return this;
    }

    /** The name of the next member of the innermost object. */
    JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    /** A string value. */
    JsonWriter value(String s) {
        beforeValue();
        string(s);
        return this;
    }

    /** A whole number. */
    JsonWriter value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    /**
     * A decimal number.
     *
     * @throws IllegalArgumentException for NaN and the infinities, which JSON cannot carry
     */
    JsonWriter value(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no number " + d + "; give a finite value");
        }
        beforeValue();
        out.append(d);
        return this;
    }

    /** {@code true} or {@code false}. */
    JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    /** The text written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    private void push() {
        if (depth == hasMember.length) {
            hasMember = Arrays.copyOf(hasMember, depth * 2);
        }
        hasMember[depth++] = false;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
        } else {
            separate();
        }
    }

    private void separate() {
        if (depth > 0) {
            if (hasMember[depth - 1]) {
                out.append(',');
            }
            hasMember[depth - 1] = true;
        }
    }

    private void string(String s) {
        out.append(JsonReport.string(s));
    }
}
