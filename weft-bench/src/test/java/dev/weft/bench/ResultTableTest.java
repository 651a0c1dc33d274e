package dev.weft.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest {

    @Test
    void shareOfACoreHasTwoDecimalsAndIsNeverScaled() {
        assertEquals("0.04 %core", ResultTable.quantity(0.04, "%core"));
        assertEquals("1234.50 %core", ResultTable.quantity(1234.5, "%core"));
        assertEquals("0.04", ResultTable.number(0.04, "%core"));
    }

    @Test
    void aMedianOfZeroGivesNoRatio() {
        SuiteReport report = new SuiteReport("net", true, "25", 2, List.of(
                Result.measured("idle-100c", "weft", "cpu-threads", "%core", false, List.of(0.0)),
                Result.measured("idle-100c", "jdk-vt", "cpu-threads", "%core", false, List.of(0.3))));

        String table = ResultTable.render(report);

        String peer = table.lines().filter(l -> l.contains("jdk-vt")).findFirst().orElseThrow();
        assertTrue(peer.contains("0.30 %core") && peer.contains(" - ") && !peer.contains("Infinity"), table);
        assertTrue(peer.contains("weft better"), table);
    }
}
