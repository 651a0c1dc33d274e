package dev.weft.bench.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** wrk's output as wrk 4.1 printed it with the suite's script (fixtures from real runs against nginx). */
class WrkOutputTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = WrkOutputTest.class.getResourceAsStream("wrk-" + name + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aCleanRunGivesItsCountsPercentilesAndThroughput() throws IOException {
        WrkOutput o = WrkOutput.parse(fixture("clean"));

        assertEquals(new WrkOutput(38825, 1093081, 6250825, 0, 0, 0, 0, 0, 306, 1568), o);
        assertEquals(38825 / 1.093081, o.throughput(), 1e-6);
        assertEquals("", o.errors());
        assertSame(o, o.requireClean());
    }

    @Test
    void aPipelinedRunCountsEveryResponse() throws IOException {
        WrkOutput o = WrkOutput.parse(fixture("pipelined"));

        assertEquals(68560, o.requests());
        assertEquals(0, o.p99Micros(), "wrk's own percentile, which the suite does not report for pipelining");
        assertSame(o, o.requireClean());
    }

    @Test
    void responsesWithAnErrorStatusFailTheRunNamingTheirCount() throws IOException {
        WrkOutput o = WrkOutput.parse(fixture("non2xx"));

        IllegalStateException e = assertThrows(IllegalStateException.class, o::requireClean);
        assertTrue(e.getMessage().contains("24680 responses with status >= 400"), e.getMessage());
    }

    @Test
    void socketErrorsFailTheRunNamingThem() throws IOException {
        WrkOutput o = WrkOutput.parse(fixture("errors"));

        IllegalStateException e = assertThrows(IllegalStateException.class, o::requireClean);
        assertTrue(e.getMessage().contains("11125 read errors"), e.getMessage());
    }

    @Test
    void aRunWithoutResponsesFails() {
        WrkOutput none = new WrkOutput(0, 400_000, 0, 0, 0, 0, 0, 0, 0, 0);

        IllegalStateException e = assertThrows(IllegalStateException.class, none::requireClean);
        assertTrue(e.getMessage().contains("no response"), e.getMessage());
    }

    @Test
    void withoutTheResultLineTheMessageQuotesWhatWrkSaid() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WrkOutput.parse(fixture("refused")));

        assertTrue(e.getMessage().contains("unable to connect to 127.0.0.1:18099 Connection refused"), e.getMessage());
    }

    @Test
    void aMalformedResultLineIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WrkOutput.parse("weft-wrk requests=12 duration_us=x"));
        assertTrue(e.getMessage().contains("'duration_us=x'"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> WrkOutput.parse("weft-wrk requests=12"));
        assertTrue(e.getMessage().contains("no duration_us"), e.getMessage());
    }
}
