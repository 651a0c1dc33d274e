package dev.weft.bench;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatinSquareTest {

    @Test
    void overNRowsEveryItemStandsAtEveryPositionOnce() {
        for (int n = 1; n <= 7; n++) {
            List<Integer> items = IntStream.range(0, n).boxed().toList();
            for (int position = 0; position < n; position++) {
                Set<Integer> seen = new HashSet<>();
                for (int row = 0; row < n; row++) {
                    List<Integer> order = LatinSquare.row(items, row);
                    assertEquals(Set.copyOf(items), Set.copyOf(order), "row " + row + " of " + n + ": " + order);
                    seen.add(order.get(position));
                }
                assertEquals(n, seen.size(), "n " + n + ", position " + position);
            }
        }
    }

    @Test
    void forEvenNEveryItemFollowsEveryOtherOnce() {
        for (int n = 2; n <= 8; n += 2) {
            List<Integer> items = IntStream.range(0, n).boxed().toList();
            Set<List<Integer>> pairs = new HashSet<>();
            for (int row = 0; row < n; row++) {
                List<Integer> order = LatinSquare.row(items, row);
                for (int i = 1; i < n; i++) {
                    assertEquals(true, pairs.add(List.of(order.get(i - 1), order.get(i))), "n " + n + ": " + order);
                }
            }
            assertEquals(n * (n - 1), pairs.size());
        }
    }

    @Test
    void rowsRepeatAndNegativeRowsAreRefused() {
        List<String> items = List.of("a", "b", "c", "d", "e");
        assertEquals(LatinSquare.row(items, 2), LatinSquare.row(items, 7));
        assertEquals(List.of("a", "b", "e", "c", "d"), LatinSquare.row(items, 0));
        assertThrows(IllegalArgumentException.class, () -> LatinSquare.row(items, -1));
    }
}
