package dev.weft.bench.io;

import dev.weft.ioqueue.Destinations;
import dev.weft.ioqueue.IoLoop;
import dev.weft.ioqueue.IoLoopConfig;
import dev.weft.ioqueue.IoLoopException;
import dev.weft.ioqueue.IoQueue;
import dev.weft.ioqueue.SourceFiles;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * An {@link IoLoop} serving a queue for the queue implementations: the data file as source
 * {@link #DATA} (read, through the page cache) and {@link #DATA_DIRECT} (read, O_DIRECT), the
 * write file as {@link #WRITE_DIRECT} (write, O_DIRECT), and {@link #DESTINATIONS} destinations of
 * 128 KiB, handle {@code i} at {@code i * 128 KiB} of one region aligned to 4 KiB. Its thread has
 * a name of its own, so that its CPU time can be read from /proc and it can be pinned.
 */
final class QueueServer implements AutoCloseable {

    /** The data file's handle, read through the page cache. */
    static final int DATA = 1;
    /** The write file's handle, written with O_DIRECT. */
    static final int WRITE_DIRECT = 2;
    /** The data file's handle, read with O_DIRECT. */
    static final int DATA_DIRECT = 3;
    /** Destinations: one per request in flight at the largest depth. */
    static final int DESTINATIONS = 32;
    /** Bytes per destination: the largest block. */
    static final int DESTINATION_BYTES = 128 * 1024;
    /** Slots of the queues the suite makes: room for 32 requests in flight and 32 being collected. */
    static final int SLOTS = 64;

    private final IoLoop loop;
    private final long tid;

    private QueueServer(IoLoop loop, long tid) {
        this.loop = loop;
        this.tid = tid;
    }

    /** The source a request of case {@code c} names. */
    static int source(IoCase c) {
        if (c.write()) {
            if (!c.direct()) {
                throw new IllegalArgumentException(c.id() + ": the queue's write file is opened with O_DIRECT only");
            }
            return WRITE_DIRECT;
        }
        return c.direct() ? DATA_DIRECT : DATA;
    }

    /** The destinations over {@code region} ({@link #DESTINATIONS} × {@link #DESTINATION_BYTES}). */
    static Destinations destinations(MemorySegment region) {
        Destinations d = new Destinations();
        for (int i = 0; i < DESTINATIONS; i++) {
            d.add(i, region, (long) i * DESTINATION_BYTES, DESTINATION_BYTES);
        }
        return d;
    }

    /**
     * Starts a loop on {@code queue} on a thread named {@code prefix} and a number of its own (a
     * thread that has ended can linger in /proc for a moment under its name), pinned to {@code cpu}
     * if not null.
     *
     * @throws IoLoopException when the loop cannot start (no io_uring, a file that does not open)
     */
    static QueueServer start(IoQueue queue, IoFiles files, MemorySegment region, String prefix, String cpu)
            throws IoLoopException, IOException, InterruptedException {
        String thread = OsThreads.uniqueName(prefix);
        SourceFiles sources = new SourceFiles().add(DATA, files.data(), SourceFiles.Access.READ)
                .addDirect(DATA_DIRECT, files.data(), SourceFiles.Access.READ)
                .addDirect(WRITE_DIRECT, files.write(), SourceFiles.Access.WRITE);
        IoLoop loop = IoLoop.start(queue, sources, destinations(region), IoLoopConfig.DEFAULT.withThreadName(thread));
        try {
            long tid = OsThreads.one(thread);
            if (cpu != null) {
                OsThreads.pin(tid, cpu);
            }
            return new QueueServer(loop, tid);
        } catch (IOException | InterruptedException | RuntimeException e) {
            loop.stop();
            throw e;
        }
    }

    /** The CPU time the loop's thread has used, ns. */
    long cpuNanos() throws IOException {
        return OsThreads.cpuNanos(tid);
    }

    /** The loop. */
    IoLoop loop() {
        return loop;
    }

    /**
     * Stops the loop.
     *
     * @throws IllegalStateException with the loop's fatal error, if it had one
     */
    @Override
    public void close() {
        Optional<IoLoopException> failure = loop.stop();
        if (failure.isPresent()) {
            throw new IllegalStateException("the IoLoop failed: " + failure.get().getMessage(), failure.get());
        }
    }
}
