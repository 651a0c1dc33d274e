package dev.weft.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCpuTest {

    /** A real line's shape: a command name with a space and parentheses, utime 250, stime 40, cutime 7, cstime 3. */
    private static final String STAT = "4242 (java (weft) x) S 1 4242 4242 0 -1 4194560 51286 0 12 0 250 40 7 3"
            + " 20 0 23 0 1234 5000000000 60000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 1 0 0 0 0 0";

    @Test
    void readsUserPlusSystemTicksAfterTheLastParenthesis() {
        assertEquals(290, ProcessCpu.ticks(STAT));
        assertEquals(300, ProcessCpu.ticksWithChildren(STAT));
    }

    @Test
    void cpuPerOpIsTheTickDifferenceInMicrosecondsOverTheMessages() {
        String before = STAT.replace(" 250 40 ", " 100 20 ");
        long cpu = (ProcessCpu.ticks(STAT) - ProcessCpu.ticks(before)) * ProcessCpu.TICK.toNanos();

        assertEquals(1_700_000_000L, cpu, "170 ticks of 10 ms");
        assertEquals(0.85, ProcessCpu.microsPerOp(cpu, 2_000_000), 1e-12, "1.7 s over 2 M messages");
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.microsPerOp(cpu, 0));
    }

    @Test
    void badLinesNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks("4242 java S 1"));
        assertTrue(e.getMessage().contains("no ')'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks("4242 (java) S 1 2 3"));
        assertTrue(e.getMessage().contains("needs 15"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks(STAT.replace(" 250 ", " x ")));
        assertTrue(e.getMessage().contains("field 14 is 'x'"), e.getMessage());
    }

    @Test
    void thisProcessHasUsedSomeCpu() throws Exception {
        long spent = ProcessCpu.nanos(ProcessHandle.current().pid());
        assertTrue(spent > 0 && spent % ProcessCpu.TICK.toNanos() == 0, Long.toString(spent));
    }
}
