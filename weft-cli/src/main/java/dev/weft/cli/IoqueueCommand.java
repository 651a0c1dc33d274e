package dev.weft.cli;

import dev.weft.ioqueue.Destinations;
import dev.weft.ioqueue.IoLoop;
import dev.weft.ioqueue.IoLoopConfig;
import dev.weft.ioqueue.IoLoopException;
import dev.weft.ioqueue.IoQueue;
import dev.weft.ioqueue.QueueAbi;
import dev.weft.ioqueue.SourceFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code weft ioqueue --queue FILE [--slots N] --src H=PATH ... --dst H=FILE:OFFSET:LENGTH ...}:
 * serves an I/O request queue in a file (under {@code /dev/shm}, say) until SIGINT or SIGTERM, so
 * that programs in any language can publish reads and writes into it ({@code ioqueue.h};
 * {@code --print-header} prints it). On exit it prints the loop's stats; if the loop ends by itself
 * (a fatal error), the command stops too, prints why and exits 1. Started on an existing queue
 * file, it completes the slots a dead server left CLAIMED ({@code LOOP_DIED}) and starts at the
 * oldest PUBLISHED slot, so producers keep their next slot across restarts ({@code ioqueue.h},
 * STARTING).
 */
@Command(name = "ioqueue",
        description = {
                "Serve a shared-memory I/O request queue with io_uring until SIGINT or SIGTERM, then print its stats.",
                "Producers in any language map the queue file and follow ioqueue.h (see --print-header)."})
final class IoqueueCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--queue", paramLabel = "FILE",
            description = "The queue file, created with every slot EMPTY if missing (e.g. /dev/shm/weft-queue);"
                    + " an existing one is served from its oldest published slot.")
    Path queue;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "64",
            description = "Slots in the queue: a power of two from 1 to 65536 (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--src", paramLabel = "H=PATH[:ro|:wo]",
            description = "A file requests name by handle H (0..65535), opened read-write, or read-only (:ro) or"
                    + " write-only (:wo). Repeatable.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--dst", paramLabel = "H=FILE:OFFSET:LENGTH",
            description = "A destination requests name by handle H: LENGTH bytes of FILE from OFFSET, mapped shared"
                    + " (FILE is created or extended as needed; put it on tmpfs such as /dev/shm). Repeatable.")
    List<String> destinations = new ArrayList<>();

    @Option(names = "--ring-entries", paramLabel = "N", defaultValue = "64",
            description = "SQ entries of the loop's io_uring ring, a power of two (default: ${DEFAULT-VALUE}).")
    int ringEntries;

    @Option(names = "--print-header", description = "Print ioqueue.h, the queue's C header, and exit.")
    boolean printHeader;

    @Spec
    CommandSpec spec;

    /** Counted down to stop serving: by SIGINT or SIGTERM (a shutdown hook), or by a test. */
    final CountDownLatch stopRequested = new CountDownLatch(1);
    /** Counted down once the stats are printed; the shutdown hook waits for it. */
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Counted down once the loop serves (for tests). */
    final CountDownLatch serving = new CountDownLatch(1);
    /** The loop, once it serves (for tests). */
    volatile IoLoop loop;

    /** One {@code --src}: handle, path, access. */
    record Source(int handle, Path path, SourceFiles.Access access) {
    }

    /** One {@code --dst}: handle, file, offset, length. */
    record Destination(int handle, Path file, long offset, long length) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (printHeader) {
            out.print(QueueAbi.header());
            out.flush();
            return ExitCodes.OK;
        }
        if (queue == null) {
            throw usage("--queue FILE is required: the queue file to serve, e.g. --queue /dev/shm/weft-queue");
        }
        try {
            QueueAbi.checkSlots(slots);
        } catch (IllegalArgumentException e) {
            throw usage("--slots " + slots + ": " + e.getMessage());
        }
        IoLoopConfig config;
        try {
            config = IoLoopConfig.DEFAULT.withRingEntries(ringEntries);
        } catch (IllegalArgumentException e) {
            throw usage("--ring-entries " + ringEntries + ": " + e.getMessage());
        }
        List<Source> srcs = new ArrayList<>();
        for (String s : sources) {
            srcs.add(parseSource(s));
        }
        List<Destination> dsts = new ArrayList<>();
        for (String d : destinations) {
            dsts.add(parseDestination(d));
        }
        if (srcs.isEmpty() || dsts.isEmpty()) {
            throw usage("give at least one --src H=PATH and one --dst H=FILE:OFFSET:LENGTH: requests name a file"
                    + " and a destination");
        }
        SourceFiles files = new SourceFiles();
        Destinations regions = new Destinations();
        try (Arena arena = Arena.ofShared()) {
            try {
                for (Source s : srcs) {
                    files.add(s.handle(), s.path(), s.access());
                }
                for (Destination d : dsts) {
                    regions.add(d.handle(), map(d, arena));
                }
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            IoQueue q;
            try {
                q = IoQueue.map(queue, slots);
            } catch (IllegalArgumentException e) {
                throw usage("--queue " + queue + ": " + e.getMessage());
            }
            try (q) {
                IoLoop loop;
                try {
                    loop = IoLoop.start(q, files, regions, config);
                } catch (IoLoopException e) {
                    err.println("weft ioqueue: " + e.getMessage());
                    return ExitCodes.FAILED;
                }
                Thread hook = Thread.ofPlatform().unstarted(() -> {
                    stopRequested.countDown();
                    try {
                        finished.await(30, TimeUnit.SECONDS); // let the loop stop and the stats print
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Runtime.getRuntime().addShutdownHook(hook);
                out.println("weft ioqueue: serving " + queue + " (" + slots + " slots), " + srcs.size() + " files, "
                        + dsts.size() + " destinations; stop with Ctrl-C or SIGTERM");
                out.flush();
                this.loop = loop;
                serving.countDown();
                boolean ended = awaitStopOrEnd(loop);
                return stop(loop, ended, hook, out, err);
            }
        }
    }

    /** Stops the loop, prints its stats (and its failure), lets the shutdown hook go; the exit status. */
    private int stop(IoLoop loop, boolean ended, Thread hook, PrintWriter out, PrintWriter err) {
        Optional<IoLoopException> failure = loop.stop();
        out.println("weft ioqueue: stopped; " + loop.stats());
        out.flush();
        failure.ifPresent(f -> err.println("weft ioqueue: the loop failed: " + f.getMessage()));
        if (ended && failure.isEmpty()) {
            err.println("weft ioqueue: the loop ended before it was asked to stop; published requests wait in the"
                    + " queue for the next server");
        }
        err.flush();
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs: a signal stopped us, and the JVM exits once the hook returns
        }
        return failure.isPresent() || ended ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /**
     * Waits until a stop is requested, or the loop ends without one (a fatal error ends it): then
     * the command stops too rather than seem to serve.
     *
     * @return whether the loop ended by itself
     */
    private boolean awaitStopOrEnd(IoLoop loop) {
        try {
            while (!stopRequested.await(100, TimeUnit.MILLISECONDS)) {
                if (!loop.isRunning()) {
                    return stopRequested.getCount() != 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Maps a destination's part of its file, creating or extending the file to hold it. */
    private MemorySegment map(Destination d, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(d.file(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, d.offset(), d.length(), arena);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code H=PATH}, {@code H=PATH:ro}, {@code H=PATH:wo}. */
    Source parseSource(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw usage("--src '" + value + "' is not H=PATH; write e.g. --src 1=/data/file.bin");
        }
        int handle = handle("--src", value, value.substring(0, eq));
        String path = value.substring(eq + 1);
        SourceFiles.Access access = SourceFiles.Access.READ_WRITE;
        if (path.endsWith(":ro")) {
            access = SourceFiles.Access.READ;
            path = path.substring(0, path.length() - 3);
        } else if (path.endsWith(":wo")) {
            access = SourceFiles.Access.WRITE;
            path = path.substring(0, path.length() - 3);
        } else if (path.endsWith(":rw")) {
            path = path.substring(0, path.length() - 3);
        }
        return new Source(handle, Path.of(path), access);
    }

    /** {@code H=FILE:OFFSET:LENGTH}. */
    Destination parseDestination(String value) {
        int eq = value.indexOf('=');
        int last = value.lastIndexOf(':');
        int middle = last > 0 ? value.lastIndexOf(':', last - 1) : -1;
        if (eq <= 0 || middle <= eq + 1) {
            throw usage("--dst '" + value + "' is not H=FILE:OFFSET:LENGTH; write e.g. --dst 0=/dev/shm/buf:0:65536");
        }
        int handle = handle("--dst", value, value.substring(0, eq));
        long offset = number("--dst", value, "OFFSET", value.substring(middle + 1, last), 0);
        long length = number("--dst", value, "LENGTH", value.substring(last + 1), 1);
        return new Destination(handle, Path.of(value.substring(eq + 1, middle)), offset, length);
    }

    private int handle(String option, String value, String text) {
        try {
            int h = Integer.parseInt(text.strip());
            if (h >= 0 && h <= QueueAbi.MAX_HANDLE) {
                return h;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw usage(option + " '" + value + "': the handle '" + text + "' is not a number from 0 to "
                + QueueAbi.MAX_HANDLE + "; write e.g. " + option + " 1=...");
    }

    private long number(String option, String value, String what, String text, long min) {
        try {
            long n = Long.parseLong(text.strip());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw usage(option + " '" + value + "': " + what + " '" + text + "' is not a whole number >= " + min
                + " (bytes)");
    }
}
