package dev.weft.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which a suite measures its implementations, round after round: the rows of a
 * balanced Latin square. Row {@code r} of {@code n} items is the first row shifted by {@code r},
 * the first row being {@code 0, 1, n-1, 2, n-2, ...} (Williams' construction), so that over any
 * {@code n} consecutive rows every item stands once at every position, and for even {@code n}
 * every item also follows every other exactly once.
 */
public final class LatinSquare {

    private LatinSquare() {
    }

    /**
     * Row {@code row} (any {@code int >= 0}; rows repeat every {@code items.size()}) of the square
     * over {@code items}.
     */
    public static <T> List<T> row(List<T> items, int row) {
        if (row < 0) {
            throw new IllegalArgumentException("row must be >= 0, was " + row);
        }
        int n = items.size();
        List<T> out = new ArrayList<>(n);
        for (int position = 0; position < n; position++) {
            out.add(items.get((first(position, n) + row) % n));
        }
        return out;
    }

    /** Item of the first row at {@code position}: 0, 1, n-1, 2, n-2, ... */
    private static int first(int position, int n) {
        if (position == 0) {
            return 0;
        }
        return position % 2 == 1 ? (position + 1) / 2 : n - position / 2;
    }
}
