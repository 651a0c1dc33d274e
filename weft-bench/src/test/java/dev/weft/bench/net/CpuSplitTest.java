package dev.weft.bench.net;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuSplitTest {

    @Test
    void twoCpusPinTheGeneratorOnTheFirstAndEveryServerOnTheSecond() {
        CpuSplit split = CpuSplit.of(Optional.of("/usr/bin/taskset"), List.of(0, 1));

        assertTrue(split.pinned());
        assertEquals(List.of("/usr/bin/taskset", "-c", "0"), split.generatorPrefix());
        assertEquals(List.of("/usr/bin/taskset", "-c", "1"), split.serverPrefix());
        assertTrue(split.describe().contains("server process on cpu 1"), split.describe());
    }

    @Test
    void withoutTasksetOrWithOneCpuNothingIsPinnedAndTheReportSaysWhy() {
        CpuSplit noTaskset = CpuSplit.of(Optional.empty(), List.of(0, 1));
        CpuSplit oneCpu = CpuSplit.of(Optional.of("/usr/bin/taskset"), List.of(3));

        for (CpuSplit split : List.of(noTaskset, oneCpu)) {
            assertFalse(split.pinned());
            assertEquals(List.of(), split.generatorPrefix());
            assertEquals(List.of(), split.serverPrefix());
            assertTrue(split.describe().startsWith("not pinned: "), split.describe());
        }
        assertTrue(noTaskset.describe().contains("util-linux"), noTaskset.describe());
        assertTrue(oneCpu.describe().contains("[3]"), oneCpu.describe());
    }

    @Test
    void allowedCpusAreReadFromTheStatusList() {
        assertEquals(List.of(0, 1), CpuSplit.allowedCpus("Name:\tjava\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n"));
        assertEquals(List.of(0, 2, 3, 5), CpuSplit.allowedCpus("Cpus_allowed_list:\t5,0,2-3\n"));
        assertThrows(IllegalArgumentException.class, () -> CpuSplit.allowedCpus("Name:\tjava\n"));
        assertThrows(IllegalArgumentException.class, () -> CpuSplit.allowedCpus("Cpus_allowed_list:\tx\n"));
    }

    @Test
    void thisMachineHasASplitOrSaysWhyNot() {
        CpuSplit split = CpuSplit.detect();
        assertEquals(split.pinned(), !split.describe().startsWith("not pinned"), split.describe());
    }
}
