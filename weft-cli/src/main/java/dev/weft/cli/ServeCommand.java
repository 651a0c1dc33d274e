package dev.weft.cli;

import dev.weft.cli.serve.BuildInfo;
import dev.weft.cli.serve.ServeApp;
import dev.weft.cli.serve.ServeOptions;
import dev.weft.cli.serve.StopSignals;
import dev.weft.runtime.IoMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code weft serve [--host H] [--port P] [--root DIR] [--workers N] [--io uring|nio|auto] [--grace S]}:
 * weft's HTTP server ({@link ServeApp}) until SIGINT or SIGTERM. Once it listens it prints one line
 * on standard output, the URL, the I/O backend and the worker count
 * ({@code weft serve: http://127.0.0.1:8080/ (io_uring, 2 workers)}). On SIGINT or SIGTERM it stops
 * accepting, lets requests in flight finish within the grace period, and exits 0.
 */
@Command(name = "serve",
        description = {
                "Run weft's HTTP server until SIGINT or SIGTERM: /plaintext and /json (the TechEmpower tests),"
                        + " /stats (JSON) and /metrics (Prometheus), and weft's own site charting the live runtime,"
                        + " or the files under --root.",
                "Prints one line once it listens: the URL, the I/O backend, the worker count."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = ServeOptions.DEFAULT_HOST,
            description = "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ServeOptions.DEFAULT_PORT,
            description = "The TCP port (default: ${DEFAULT-VALUE}); 0 picks a free one, shown in the start-up line.")
    int port;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Serve the files under DIR (instead of weft's own site); /plaintext, /json, /stats and"
                    + " /metrics still answer.")
    Path root;

    @Option(names = "--workers", paramLabel = "N",
            description = "Worker threads, 1 to 1024 (default: one per processor).")
    Integer workers;

    @Option(names = "--io", paramLabel = "uring|nio|auto", defaultValue = "auto",
            description = "The I/O backend: uring (io_uring, or fail), nio, or auto (io_uring where it works,"
                    + " else nio; the default).")
    String io;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "5",
            description = "On SIGINT or SIGTERM, how long requests in flight may take to finish (default:"
                    + " ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeOptions options = options();
        ServeApp app;
        try {
            app = ServeApp.start(options, BuildInfo.read());
        } catch (IOException | RuntimeException e) {
            err.println("weft serve: cannot serve on " + options.host() + ":" + options.port() + ": " + e.getMessage()
                    + (e instanceof IOException ? "; pick another --host or --port (--port 0 picks a free one)" : ""));
            err.flush();
            return ExitCodes.FAILED;
        }
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<String> signal = new AtomicReference<>();
        StopSignals.handle(name -> { // before the start-up line: whoever saw it may signal
            signal.compareAndSet(null, name);
            stop.countDown();
        });
        out.println(app.startupLine());
        out.flush();
        stop.await();
        err.println("weft serve: " + signal.get() + ": no new connections; requests in flight have "
                + options.grace().toSeconds() + " s to finish");
        err.flush();
        app.close();
        err.println("weft serve: stopped");
        err.flush();
        return ExitCodes.OK;
    }

    /** The options, checked; a bad one is a usage error naming it. */
    ServeOptions options() {
        try {
            IoMode mode = ServeOptions.parseIo(io);
            if (graceSeconds > Duration.ofDays(1).toSeconds()) {
                throw new IllegalArgumentException("--grace " + graceSeconds + " is over a day: give the seconds"
                        + " requests in flight may take to finish on a stop, e.g. 5");
            }
            return new ServeOptions(host, port, Optional.ofNullable(root),
                    workers == null ? OptionalInt.empty() : OptionalInt.of(workers), mode,
                    Duration.ofSeconds(graceSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
