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

    @Test
    void eachPeerIsComparedWithItsLikeForLikeWeftImplementationFirst() {
        SuiteReport report = new SuiteReport("sched", true, "25", 2, List.of(
                Result.measured("skynet", "weft", "throughput", "ops/s", true, List.of(30.0)),
                Result.measured("skynet", "weft-dedicated", "throughput", "ops/s", true, List.of(4.0)),
                Result.measured("skynet", "jdk-vt", "throughput", "ops/s", true, List.of(2.0)),
                Result.measured("skynet", "fjp", "throughput", "ops/s", true, List.of(40.0))));

        String table = ResultTable.render(report, java.util.Map.of("fjp", List.of("weft"),
                "jdk-vt", List.of("weft-dedicated", "weft"), "weft-dedicated", List.of()));

        String vt = table.lines().filter(l -> l.contains(" jdk-vt ")).findFirst().orElseThrow();
        assertTrue(vt.contains("2.00x (weft-dedicated/jdk-vt); 15.00x (weft/jdk-vt)") && vt.contains("weft-dedicated better"),
                table);
        String fjp = table.lines().filter(l -> l.contains(" fjp ")).findFirst().orElseThrow();
        assertTrue(fjp.contains("0.75x (weft/fjp)") && fjp.contains("fjp better"), table);
        String dedicated = table.lines().filter(l -> l.contains(" weft-dedicated ")).findFirst().orElseThrow();
        assertTrue(!dedicated.contains("x ("), table);
    }
}
