package dev.weft.bench.http;

import dev.weft.bench.Programs;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * wrk (Debian's {@code wrk}), the load generator: one run is one process, one thread
 * ({@code -t1}), the case's connections, the case's {@link WrkScript}, behind a command prefix
 * that pins it (a {@code taskset}).
 *
 * <p>wrk takes its duration in whole seconds; a run here lasts any {@link Duration}: wrk is
 * started with a longer duration, and once it says it is running (its {@code Running} line,
 * printed after it installs its SIGINT handler; its output is line-buffered through coreutils'
 * {@code stdbuf} when that is on the PATH) it gets SIGINT after the run's length. On SIGINT wrk
 * stops its connections and prints its statistics over the time it actually ran, as at the end of
 * its duration.
 */
final class Wrk {

    /** The Debian package. */
    static final String PACKAGE = "wrk";
    /** How long wrk waits for a response before it counts a timeout. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    /** How long wrk has to start, and to end after SIGINT. */
    static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(15);

    private final List<String> prefix;
    private final Path scripts;

    /**
     * @param prefix  the command prefix (a {@code taskset}, or empty)
     * @param scripts a directory the case scripts are written to
     */
    Wrk(List<String> prefix, Path scripts) {
        this.prefix = List.copyOf(prefix);
        this.scripts = Objects.requireNonNull(scripts, "scripts");
    }

    /** The command line of a run of {@code c} against {@code port} with {@code script}, at most {@code seconds}. */
    List<String> command(HttpCase c, int port, Path script, long seconds) {
        List<String> command = new ArrayList<>(prefix);
        Programs.onPath(System.getenv("PATH"), "stdbuf").ifPresent(stdbuf -> command.addAll(List.of(stdbuf.toString(), "-oL")));
        command.addAll(List.of("wrk", "-t1", "-c" + c.connections(), "-d" + seconds + "s",
                "--timeout", RESPONSE_TIMEOUT.toSeconds() + "s", "-s", script.toString(),
                "http://127.0.0.1:" + port + c.path()));
        return command;
    }

    /**
     * Runs wrk for {@code length} against the server on {@code port}.
     *
     * @throws IOException when wrk cannot start, does not start running or end in time (it is
     *                     then killed), or prints no result (its output is quoted)
     */
    WrkOutput run(HttpCase c, int port, Duration length) throws IOException, InterruptedException {
        Path script = WrkScript.write(scripts, c.depth());
        long cap = length.toSeconds() + CONTROL_TIMEOUT.toSeconds();
        Process p = new ProcessBuilder(command(c, port, script, cap)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().name("weft-bench-http-wrk").start(() -> {
            try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.startsWith("Running ")) {
                        running.countDown();
                    }
                }
            } catch (IOException e) {
                // wrk is gone; its exit says the rest
            }
            running.countDown();
        });
        try {
            if (!running.await(CONTROL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("wrk did not start running within " + CONTROL_TIMEOUT.toSeconds() + " s: "
                        + text(output));
            }
            if (p.isAlive()) {
                Thread.sleep(length);
                interrupt(p.pid());
            }
            if (!p.waitFor(CONTROL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("wrk did not end within " + CONTROL_TIMEOUT.toSeconds() + " s of SIGINT: "
                        + text(output));
            }
            reader.join(CONTROL_TIMEOUT.toMillis());
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(CONTROL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        try {
            return WrkOutput.parse(text(output));
        } catch (IllegalArgumentException e) {
            throw new IOException("wrk (exit code " + p.exitValue() + ") against 127.0.0.1:" + port + c.path() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Sends SIGINT to {@code pid} with {@code kill}, which wrk takes as the end of its run. */
    private static void interrupt(long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).redirectErrorStream(true).start();
        kill.getOutputStream().close();
        String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!kill.waitFor(CONTROL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            kill.destroyForcibly();
            throw new IOException("kill -INT " + pid + " did not end within " + CONTROL_TIMEOUT.toSeconds() + " s");
        }
        if (kill.exitValue() != 0 && !said.contains("No such process")) {
            throw new IOException("kill -INT " + pid + " failed (exit code " + kill.exitValue() + "): " + said);
        }
    }

    private static String text(StringBuilder output) {
        synchronized (output) {
            return output.toString();
        }
    }
}
