package dev.weft.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReportTest {

    private static final Result THROUGHPUT = Result.measured("submit-1p", "weft", "throughput",
            "ops/s", true, List.of(1.2e7, 1.0e7, 1.1e7));

    @Test
    void documentHasTheTopLevelFieldsOfTheFormat() {
        String json = JsonReport.of(new SuiteReport("device", true, "25.0.3", 2, List.of(THROUGHPUT)));

        assertTrue(json.contains("\"suite\": \"device\""), json);
        assertTrue(json.contains("\"quick\": true"), json);
        assertTrue(json.contains("\"jdk\": \"25.0.3\""), json);
        assertTrue(json.contains("\"cpus\": 2"), json);
        assertTrue(json.contains("\"results\": ["), json);
    }

    @Test
    void measuredResultHasEveryRequiredFieldAndItsSpread() {
        String json = JsonReport.of(new SuiteReport("device", false, "25", 2, List.of(THROUGHPUT)));

        assertTrue(json.contains("{\"case\": \"submit-1p\", \"impl\": \"weft\", \"metric\": \"throughput\","
                + " \"unit\": \"ops/s\", \"value\": 11000000, \"higherIsBetter\": true,"
                + " \"min\": 10000000, \"max\": 12000000, \"runs\": 3}"), json);
    }

    @Test
    void skippedPeerAppearsWithItsReasonAndNoValue() {
        Result skipped = Result.skipped("roundtrip", "agrona", "cannot run here");
        String json = JsonReport.of(new SuiteReport("device", true, "25", 2, List.of(THROUGHPUT, skipped)));

        assertTrue(json.contains("{\"case\": \"roundtrip\", \"impl\": \"agrona\", \"skipped\": \"cannot run here\"}"),
                json);
        assertEquals(1, json.split("\"value\"", -1).length - 1, "only the measured result has a value");
    }

    @Test
    void stringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001\"", JsonReport.string("a\"b\\c\nd\te\u0001"));
    }

    @Test
    void reasonsWithQuotesStayValidJson() {
        Result skipped = Result.skipped("burst32", "abq", "failed: \"boom\"\nat line 2");
        String json = JsonReport.of(new SuiteReport("device", true, "25", 2, List.of(skipped)));

        assertTrue(json.contains("\"skipped\": \"failed: \\\"boom\\\"\\nat line 2\""), json);
        assertFalse(json.contains("boom\"\n"), json);
    }

    @Test
    void numbersArePlainWithSixSignificantDigits() {
        assertEquals("12345700", JsonReport.number(12_345_678.9));
        assertEquals("900", JsonReport.number(900.0));
        assertEquals("0.123457", JsonReport.number(0.1234567));
        assertEquals("0", JsonReport.number(0));
        assertThrows(IllegalArgumentException.class, () -> JsonReport.number(Double.NaN));
    }

    @Test
    void combinedReportNamesTheSuiteOnEveryResult() {
        SuiteReport device = new SuiteReport("device", true, "25", 2, List.of(THROUGHPUT));
        String json = JsonReport.combined(List.of(device));

        assertTrue(json.contains("\"suite\": \"all\""), json);
        assertTrue(json.contains("\"suites\": [\"device\"]"), json);
        assertTrue(json.contains("{\"suite\": \"device\", \"case\": \"submit-1p\""), json);
    }
}
