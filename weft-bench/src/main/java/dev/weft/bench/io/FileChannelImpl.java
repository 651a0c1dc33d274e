package dev.weft.bench.io;

import com.sun.nio.file.ExtendedOpenOption;
import dev.weft.bench.ProcessCpu;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code filechannel}: the JDK's {@link FileChannel} with positional reads and writes
 * ({@code pread}/{@code pwrite}) on a pool of platform threads, as many as the case's queue
 * depth (32 for the depth-32 cases), each with one transfer in flight, into a direct buffer aligned
 * to 4 KiB; the direct cases open with {@link ExtendedOpenOption#DIRECT}. CPU per transfer is the
 * JVM's.
 */
final class FileChannelImpl implements IoImpl {

    /** The stable name. */
    static final String NAME = "filechannel";

    private static final int MAX_DEPTH = 32;

    private ExecutorService pool;
    private IoFiles files;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Optional<String> unsupported(IoCase c) {
        return c.kind() == IoCase.Kind.FILE ? Optional.empty()
                : Optional.of("a request-queue case: FileChannel has no request queue");
    }

    @Override
    public String open(IoFiles files) {
        this.files = files;
        pool = Executors.newFixedThreadPool(MAX_DEPTH, Thread.ofPlatform().name("wb-io-fc-", 0).daemon(true).factory());
        return "a fixed pool of platform threads, one per transfer in flight (depth 32: 32 threads), pread/pwrite"
                + " into direct buffers, DIRECT by ExtendedOpenOption.DIRECT";
    }

    @Override
    public Map<String, Double> measure(IoCase c, Duration length, IoPlan plan) throws Exception {
        List<OpenOption> options = new ArrayList<>(List.of(c.write() ? StandardOpenOption.WRITE : StandardOpenOption.READ));
        if (c.direct()) {
            options.add(ExtendedOpenOption.DIRECT);
        }
        try (FileChannel ch = FileChannel.open(files.fileOf(c), options.toArray(OpenOption[]::new))) {
            long pid = ProcessHandle.current().pid();
            long cpu0 = ProcessCpu.nanos(pid);
            long start = System.nanoTime();
            long deadline = start + length.toNanos();
            List<Future<Long>> threads = new ArrayList<>();
            for (int t = 0; t < c.depth(); t++) {
                IoFiles.Offsets offsets = files.offsets(c, 31L * t + 7);
                threads.add(pool.submit(() -> transfers(ch, c, offsets, deadline)));
            }
            long ops = 0;
            for (Future<Long> f : threads) {
                ops += f.get(length.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            }
            long nanos = System.nanoTime() - start;
            return c.rates(ops, nanos, ProcessCpu.nanos(pid) - cpu0);
        }
    }

    private static long transfers(FileChannel ch, IoCase c, IoFiles.Offsets offsets, long deadline) throws Exception {
        int block = c.blockBytes();
        ByteBuffer buf = ByteBuffer.allocateDirect(block + 4096).alignedSlice(4096).limit(block);
        long ops = 0;
        do {
            long at = offsets.next();
            buf.clear().limit(block);
            int n = c.write() ? ch.write(buf, at) : ch.read(buf, at);
            if (n != block) {
                throw new IllegalStateException(c.id() + ": a transfer of " + block + " bytes at " + at + " moved " + n);
            }
            ops++;
        } while (System.nanoTime() - deadline < 0);
        return ops;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
