package dev.weft.bench.io;

import dev.weft.bench.ProcessCpu;
import dev.weft.fs.FileHandle;
import dev.weft.fs.FileOption;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.RegionId;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code weft-fs}: weft's file API from weft tasks on a runtime of one worker (one job, as fio's),
 * on io_uring. A measurement spawns as many tasks as the case's queue depth, each with one
 * transfer in flight at a time: a {@code READ_FIXED}/{@code WRITE_FIXED} on its own slice of one
 * registered region ({@link FileHandle#read(RegionId, long, int, long)}), on a file registered
 * with the ring ({@link FileHandle#register()}), so the same kernel work as fio's io_uring engine
 * with {@code fixedbufs} and {@code registerfiles}. CPU per transfer is the JVM's.
 */
final class WeftFsImpl implements IoImpl {

    /** The stable name. */
    static final String NAME = "weft-fs";

    private static final int MAX_DEPTH = 32;
    private static final int MAX_BLOCK = 128 * 1024;

    private Weft runtime;
    private Arena arena;
    private RegionId region;
    private IoFiles files;
    private boolean registerFiles = true;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return System.getProperty("os.name", "").equals("Linux") ? Optional.empty()
                : Optional.of("io_uring is Linux-only");
    }

    @Override
    public Optional<String> unsupported(IoCase c) {
        return c.kind() == IoCase.Kind.FILE ? Optional.empty()
                : Optional.of("a request-queue case: weft-ioqueue and weft-ioqueue-c measure it");
    }

    @Override
    public String open(IoFiles files) throws Exception {
        this.files = files;
        runtime = Weft.start(Config.builder().workers(1).io(IoMode.URING).threadNamePrefix("wb-io-fs").build());
        if (!runtime.ioInfo().backend().equals("io_uring")) {
            throw new IllegalStateException("weft started on " + runtime.ioInfo().backend() + ", not io_uring");
        }
        arena = Arena.ofShared();
        MemorySegment buffers = arena.allocate((long) MAX_DEPTH * MAX_BLOCK, 4096);
        region = runtime.registerRegion(buffers);
        return "one worker on io_uring, a task per transfer in flight, READ_FIXED/WRITE_FIXED on a registered"
                + " region, registered file";
    }

    @Override
    public Map<String, Double> measure(IoCase c, Duration length, IoPlan plan) throws Exception {
        FileOption[] options = c.write()
                ? (c.direct() ? new FileOption[]{FileOption.WRITE, FileOption.DIRECT} : new FileOption[]{FileOption.WRITE})
                : (c.direct() ? new FileOption[]{FileOption.READ, FileOption.DIRECT} : new FileOption[]{FileOption.READ});
        FileHandle file = runtime.spawn(() -> {
            FileHandle f = FileHandle.open(files.fileOf(c), options);
            if (registerFiles) {
                try {
                    f.register();
                } catch (UnsupportedOperationException e) {
                    registerFiles = false; // before Linux 5.19: plain descriptors
                }
            }
            return f;
        }).join();
        try {
            long pid = ProcessHandle.current().pid();
            long cpu0 = ProcessCpu.nanos(pid);
            long start = System.nanoTime();
            long deadline = start + length.toNanos();
            List<JoinHandle<Long>> tasks = new ArrayList<>();
            for (int t = 0; t < c.depth(); t++) {
                long regionOffset = (long) t * MAX_BLOCK;
                IoFiles.Offsets offsets = files.offsets(c, 31L * t + 7);
                tasks.add(runtime.spawn(() -> transfers(file, c, regionOffset, offsets, deadline)));
            }
            long ops = 0;
            for (JoinHandle<Long> t : tasks) {
                ops += t.join(length.plusSeconds(30));
            }
            long nanos = System.nanoTime() - start;
            return c.rates(ops, nanos, ProcessCpu.nanos(pid) - cpu0);
        } finally {
            file.close();
        }
    }

    private long transfers(FileHandle file, IoCase c, long regionOffset, IoFiles.Offsets offsets, long deadline)
            throws Exception {
        long ops = 0;
        int block = c.blockBytes();
        do {
            long at = offsets.next();
            int n = c.write() ? file.write(region, regionOffset, block, at) : file.read(region, regionOffset, block, at);
            if (n != block) {
                throw new IllegalStateException(c.id() + ": a transfer of " + block + " bytes at " + at + " moved " + n);
            }
            ops++;
        } while (System.nanoTime() - deadline < 0);
        return ops;
    }

    @Override
    public void close() {
        try {
            if (runtime != null && region != null) {
                runtime.unregisterRegion(region);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (runtime != null) {
                runtime.close();
            }
            if (arena != null) {
                arena.close();
            }
        }
    }
}
