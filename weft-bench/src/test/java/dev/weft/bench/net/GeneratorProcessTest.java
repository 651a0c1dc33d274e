package dev.weft.bench.net;

import dev.weft.bench.ProcessCpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GeneratorProcessTest {

    private static final Duration BRIEF = Duration.ofMillis(150);

    @Test
    void theGeneratorRunsInAProcessOfItsOwnAndReadsTheServersCpu() throws Exception {
        long self = ProcessHandle.current().pid();
        try (ScriptedEcho server = ScriptedEcho.plain("plain");
             GeneratorProcess generator = GeneratorProcess.start(CpuSplit.of(java.util.Optional.empty(), List.of()))) {
            int port = server.start(1);

            LoadGenerator.Outcome o = generator.echo(port, self, new LoadGenerator.Load(4, 64, 4), Duration.ZERO, BRIEF,
                    Duration.ofSeconds(30));

            assertNotEquals(self, generator.pid(), "the generator is another process");
            assertTrue(ProcessHandle.of(generator.pid()).isPresent());
            assertTrue(o.messages() > 0 && o.latencies().getTotalCount() == o.messages(), o.toString());
            assertTrue(o.serverCpuNanos() >= 0 && o.serverCpuNanos() % ProcessCpu.TICK.toNanos() == 0, o.toString());
        }
    }

    @Test
    void aCorruptEchoInTheGeneratorsProcessIsACorruptEchoHere() throws Exception {
        try (ScriptedEcho server = ScriptedEcho.corrupting("flip", 100);
             GeneratorProcess generator = GeneratorProcess.start(CpuSplit.of(java.util.Optional.empty(), List.of()))) {
            int port = server.start(1);

            CorruptEchoException e = assertThrows(CorruptEchoException.class, () -> generator.echo(port, 0,
                    new LoadGenerator.Load(2, 64, 4), Duration.ZERO, BRIEF, Duration.ofSeconds(30)));

            assertTrue(e.getMessage().contains("corrupt echo on connection"), e.getMessage());
            assertTrue(generator.isAlive(), "one failed run does not end the generator");
        }
    }

    @Test
    void aGeneratorThatDoesNotAnswerInTimeIsKilled() throws Exception {
        try (ScriptedEcho server = ScriptedEcho.plain("plain");
             GeneratorProcess generator = GeneratorProcess.start(CpuSplit.of(java.util.Optional.empty(), List.of()))) {
            int port = server.start(1);

            IOException e = assertThrows(IOException.class, () -> generator.echo(port, 0,
                    new LoadGenerator.Load(2, 64, 4), Duration.ZERO, Duration.ofSeconds(20), Duration.ofMillis(300)));

            assertTrue(e.getMessage().contains("within 0 s: killed"), e.getMessage());
            generatorGone(generator);
        }
    }

    private static void generatorGone(GeneratorProcess generator) throws InterruptedException {
        for (int i = 0; i < 500 && generator.isAlive(); i++) {
            Thread.sleep(10);
        }
        assertFalse(generator.isAlive());
    }

    @Test
    void theLoadGeneratorReadsTheCpuClockAtTheEdgesOfTheMeasuredPeriod() throws Exception {
        ArrayDeque<Long> readings = new ArrayDeque<>(List.of(3_000_000_000L, 3_020_000_000L));
        try (ScriptedEcho server = ScriptedEcho.plain("plain")) {
            int port = server.start(1);

            LoadGenerator.Outcome o = new LoadGenerator(new LoadGenerator.Load(2, 64, 4)).run(port, Duration.ZERO,
                    BRIEF, readings::removeFirst);

            assertTrue(readings.isEmpty(), "read once at the start and once at the end");
            assertEquals(20_000_000L, o.serverCpuNanos());
            assertEquals(20_000_000L / 1e3 / o.messages(), o.cpuPerOp(), 1e-9);
        }
    }

    @Test
    void anOutcomeCrossesTheProcessBoundaryWhole() throws Exception {
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(60_000_000_000L, 3);
        h.recordValue(1_000);
        h.recordValue(2_000_000);
        LoadGenerator.Outcome o = new LoadGenerator.Outcome(2, 5_000, h, 30_000_000);

        LoadGenerator.Outcome back = GeneratorProcess.decode(GeneratorProcess.encode(o));

        assertEquals(List.of(2L, 5_000L, 30_000_000L), List.of(back.messages(), back.nanos(), back.serverCpuNanos()));
        assertEquals(h, back.latencies());
        assertThrows(IOException.class, () -> GeneratorProcess.decode("1 2 3"));
    }

    @Test
    void childrenGetTheSuitesFlagsWithoutAgentsAndBehindThePrefix() {
        assertEquals(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"),
                BenchProcess.inheritedFlags(List.of("-javaagent:/x.jar", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "-agentlib:jdwp=transport=dt_socket", "-Xmx4g", "--enable-native-access=ALL-UNNAMED")));
        List<String> command = BenchProcess.command(List.of("/usr/bin/taskset", "-c", "1"), NettyEcho.JVM_FLAGS,
                ServerProcess.class, List.of("a", "b"));
        assertEquals(List.of("/usr/bin/taskset", "-c", "1"), command.subList(0, 3));
        assertTrue(command.get(3).endsWith("/bin/java"), command.toString());
        assertTrue(command.containsAll(NettyEcho.JVM_FLAGS) && command.contains(BenchProcess.HEAP), command.toString());
        assertEquals(List.of(ServerProcess.class.getName(), "a", "b"), command.subList(command.size() - 3, command.size()));
    }
}
