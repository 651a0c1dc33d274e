package dev.weft.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Header fields in the order they arrived. Names compare case-insensitively (ASCII); a repeated
 * field keeps every occurrence, in order. Immutable once the request is parsed.
 */
public final class Headers {

    private String[] names;
    private String[] values;
    private int size;

    Headers() {
        names = new String[16];
        values = new String[16];
    }

    void add(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    /** The number of fields, repeated ones counted each time. */
    public int size() {
        return size;
    }

    /** The name of field {@code i} as the client spelled it. */
    public String name(int i) {
        java.util.Objects.checkIndex(i, size);
        return names[i];
    }

    /** The value of field {@code i}, without surrounding whitespace. */
    public String value(int i) {
        java.util.Objects.checkIndex(i, size);
        return values[i];
    }

    /** The first value of {@code name}, if the field is present. */
    public Optional<String> first(String name) {
        return Optional.ofNullable(firstOrNull(name));
    }

    String firstOrNull(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    /** Every value of {@code name}, in the order they arrived; empty when absent. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                out.add(values[i]);
            }
        }
        return out;
    }

    /** Whether {@code name} is present. */
    public boolean contains(String name) {
        return firstOrNull(name) != null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append(": ").append(values[i]);
        }
        return sb.append('}').toString();
    }
}
