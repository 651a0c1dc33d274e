package dev.weft.cli.serve;

import dev.weft.cli.WeftCommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code weft serve} run as its users run it: a JVM of its own with this JVM's flags (weft on the
 * module path) and class path, standard output and error into files. {@link #close()} kills what
 * is still running, so that no test leaves a server behind.
 */
final class ServeProcess implements AutoCloseable {

    /** The start-up line: the URL with the real port, the backend, the worker count. */
    static final Pattern STARTUP = Pattern.compile(
            "weft serve: (http://127\\.0\\.0\\.1:(\\d+)/) \\((io_uring|nio), (\\d+) workers?\\)");

    private final Process process;
    private final Path out;
    private final Path err;

    private ServeProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code weft args} with its output into files under {@code dir}. */
    static ServeProcess start(Path dir, String... args) throws IOException {
        Path out = Files.createTempFile(dir, "weft-serve", ".out");
        Path err = Files.createTempFile(dir, "weft-serve", ".err");
        Process p = new ProcessBuilder(WeftCommandLine.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new ServeProcess(p, out, err);
    }

    /**
     * Starts {@code weft serve args} and waits (at most 60 s) for its start-up line.
     *
     * @throws AssertionError when it exits or prints something else first
     */
    static ServeProcess serve(Path dir, String... args) throws IOException, InterruptedException {
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        ServeProcess p = start(dir, all);
        try {
            p.awaitStartup();
            return p;
        } catch (AssertionError | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void awaitStartup() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!stdout().contains("\n")) {
            if (!process.isAlive() && !stdout().contains("\n")) {
                throw new AssertionError("weft serve exited with " + process.exitValue() + " before it printed its"
                        + " start-up line; standard error:\n" + stderr());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("weft serve printed no start-up line within 60 s; standard error:\n"
                        + stderr());
            }
            Thread.sleep(10);
        }
    }

    /** The start-up line matched against {@link #STARTUP}; fails when it does not match. */
    Matcher startup() {
        String line = stdout().lines().findFirst().orElse("");
        Matcher m = STARTUP.matcher(line);
        if (!m.matches()) {
            throw new AssertionError("the start-up line '" + line + "' does not match " + STARTUP.pattern());
        }
        return m;
    }

    /** The server's URL, from the start-up line. */
    URI url() {
        return URI.create(startup().group(1));
    }

    /** The server's port, from the start-up line. */
    int port() {
        return Integer.parseInt(startup().group(2));
    }

    /** The process. */
    Process process() {
        return process;
    }

    /** What it printed on standard output so far. */
    String stdout() {
        return read(out);
    }

    /** What it printed on standard error so far. */
    String stderr() {
        return read(err);
    }

    /** Waits (at most 60 s) for the process to exit; its status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("weft serve did not exit within 60 s; standard error:\n" + stderr());
        }
        return process.exitValue();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process if it still runs, and waits (at most 30 s) for it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("weft serve (pid " + process.pid() + ") did not die");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
