package dev.weft.bench.io;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FioImplTest {

    static final IoFiles FILES = new IoFiles(Path.of("/data/file"), 1L << 30, Path.of("/data/write"), 256L << 20);

    private static List<String> command(FioImpl.Engine engine, IoCase c) {
        return FioImpl.command(engine, c, FILES, Duration.ofMillis(400));
    }

    @Test
    void ioUringRunsWithFixedFilesAndBuffersAtTheCasesDepthAndOneJob() {
        List<String> cmd = command(FioImpl.Engine.URING, IoCase.RANDREAD_4K_QD32);

        assertTrue(cmd.containsAll(List.of("--ioengine=io_uring", "--registerfiles=1", "--fixedbufs=1", "--bs=4096",
                "--iodepth=32", "--numjobs=1", "--rw=randread", "--direct=0", "--filename=/data/file",
                "--size=1073741824", "--runtime=400ms", "--time_based=1", "--output-format=json")), cmd.toString());
    }

    @Test
    void everyJobKeepsTheCachedPagesAndReadsUniformlyRandomBlocks() {
        for (FioImpl.Engine e : FioImpl.Engine.values()) {
            List<String> cmd = command(e, IoCase.RANDREAD_4K_QD32);
            assertTrue(cmd.containsAll(List.of("--invalidate=0", "--norandommap", "--randrepeat=0")), cmd.toString());
        }
    }

    @Test
    void psyncIsTheSynchronousEngine() {
        List<String> cmd = command(FioImpl.Engine.PSYNC, IoCase.SEQREAD_128K);

        assertTrue(cmd.containsAll(List.of("--ioengine=psync", "--rw=read", "--bs=131072", "--iodepth=1")), cmd.toString());
        assertTrue(cmd.stream().noneMatch(a -> a.startsWith("--fixedbufs")), cmd.toString());
    }

    @Test
    void directWritesGoToTheWriteFileWithDirectIo() {
        List<String> cmd = command(FioImpl.Engine.URING, IoCase.RANDWRITE_4K_DIRECT);

        assertTrue(cmd.containsAll(List.of("--rw=randwrite", "--direct=1", "--filename=/data/write",
                "--size=268435456")), cmd.toString());
    }

    @Test
    void directReadsReadTheDataFileWithDirectIo() {
        List<String> cmd = command(FioImpl.Engine.URING, IoCase.DIRECT_RANDREAD_4K_QD32);

        assertTrue(cmd.containsAll(List.of("--rw=randread", "--direct=1", "--filename=/data/file")), cmd.toString());
    }

    @Test
    void theQueueCasesAreNotFios() {
        FioImpl fio = new FioImpl(FioImpl.Engine.URING, Optional.empty());

        assertTrue(fio.unsupported(IoCase.QUEUE_LATENCY).orElseThrow().contains("no request queue"));
        assertTrue(fio.unsupported(IoCase.IDLE_CPU).isPresent());
        assertEquals(Optional.empty(), fio.unsupported(IoCase.SEQREAD_128K));
        assertThrows(IllegalArgumentException.class, () -> command(FioImpl.Engine.URING, IoCase.QUEUE_LATENCY));
    }

    @Test
    void fioThatCannotRunSaysWhy() {
        FioImpl fio = new FioImpl(FioImpl.Engine.PSYNC, Optional.of(Tools.missing("fio", "fio", false)));

        assertEquals("fio is not installed (Debian: apt-get install -y fio)", fio.unavailableReason().orElseThrow());
        assertEquals("fio-psync", fio.name());
    }
}
