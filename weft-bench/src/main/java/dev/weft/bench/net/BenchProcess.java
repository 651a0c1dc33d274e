package dev.weft.bench.net;

import dev.weft.bench.ChildJvm;
import dev.weft.bench.FailureLine;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the net suite starts for one job (a server implementation, the load generator), and the
 * line protocol the suite speaks with it.
 *
 * <h2>Protocol</h2>
 * The child reads one request per line on its standard input and answers each with one line on
 * its standard output: {@code ok [payload]}, or {@code error corrupt <text>} for a corrupt echo
 * ({@link CorruptEchoException} on the suite's side), or {@code error failed <text>} for any other
 * failure (an {@link IOException}). Its first line, before any request, is its greeting. End of
 * input ends the child. Its standard error goes to a log file whose last lines a failure quotes.
 *
 * <p>The child is started with the suite's own JVM flags (those of {@code ./weft} or the test
 * JVM, without agents), the class path of the suite, the flags of the job, a fixed heap limit,
 * and behind the command prefix of its {@link CpuSplit} (a {@code taskset}).
 */
final class BenchProcess implements AutoCloseable {

    /** The heap limit of every child, alike for every implementation. */
    static final String HEAP = ChildJvm.HEAP;
    /** How long a child has to greet once started. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long EXIT_MILLIS = 5_000;
    private static final String EOF = "\u0000eof";

    private final String name;
    private final Process process;
    private final BufferedWriter in;
    private final LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();
    private final Path log;
    private final String greeting;

    private BenchProcess(String name, Process process, Path log) throws IOException {
        this.name = name;
        this.process = process;
        this.log = log;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name("weft-bench-net-read-" + name).start(() -> {
            try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.add(line);
                }
            } catch (IOException e) {
                // the child is gone: the end below says so
            }
            out.add(EOF);
        });
        String first = next(START_TIMEOUT, "its greeting");
        this.greeting = first;
    }

    /**
     * Starts {@code main} in a child JVM and waits for its greeting.
     *
     * @param name     what the child is, for messages and its log file
     * @param prefix   the command prefix (a {@code taskset}, or empty)
     * @param jvmFlags the job's own JVM flags, after the suite's
     * @param main     the class whose {@code main} the child runs
     * @param args     its arguments
     * @throws IOException when the child cannot start or does not greet in time (it is then killed)
     */
    static BenchProcess start(String name, List<String> prefix, List<String> jvmFlags, Class<?> main,
                              List<String> args) throws IOException {
        List<String> command = command(prefix, jvmFlags, main, args);
        Path log = Files.createTempFile("weft-bench-" + name + "-", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            return new BenchProcess(name, process, log);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The full command line of a child ({@link ChildJvm#command}) running {@code main}. */
    static List<String> command(List<String> prefix, List<String> jvmFlags, Class<?> main, List<String> args) {
        return ChildJvm.command(prefix, jvmFlags, main.getName(), args);
    }

    /** The suite JVM's flags a child gets too ({@link ChildJvm#inheritedFlags}). */
    static List<String> inheritedFlags(List<String> flags) {
        return ChildJvm.inheritedFlags(flags);
    }

    /** The child's process id. */
    long pid() {
        return process.pid();
    }

    /** The child's first line. */
    String greeting() {
        return greeting;
    }

    /**
     * Sends {@code request} and waits for its answer; the payload of an {@code ok}.
     *
     * @throws CorruptEchoException when the child reports a corrupt echo
     * @throws IOException          when the child reports a failure, ends, or does not answer
     *                              within {@code timeout} (it is then killed)
     */
    String request(String request, Duration timeout) throws IOException {
        if (!process.isAlive()) {
            throw new IOException(name + " process has exited (" + exit() + ")" + logTail());
        }
        in.write(request);
        in.newLine();
        in.flush();
        String answer = next(timeout, "the answer to '" + request + "'");
        if (answer.equals("ok") || answer.startsWith("ok ")) {
            return answer.length() <= 3 ? "" : answer.substring(3);
        }
        if (answer.startsWith("error corrupt ")) {
            throw new CorruptEchoException(answer.substring("error corrupt ".length()));
        }
        if (answer.startsWith("error failed ")) {
            throw new IOException(answer.substring("error failed ".length()));
        }
        throw new IOException(name + " process answered '" + answer + "' to '" + request + "'");
    }

    /** Whether the child is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    private String next(Duration timeout, String what) throws IOException {
        String line;
        try {
            line = out.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(name + " process: interrupted waiting for " + what);
        }
        if (line == null) {
            kill();
            throw new IOException(name + " process gave no " + what + " within " + timeout.toSeconds()
                    + " s: killed" + logTail());
        }
        if (line.equals(EOF)) {
            out.add(EOF);
            try {
                process.waitFor(EXIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException(name + " process ended before " + what + " (" + exit() + ")" + logTail());
        }
        return line;
    }

    private String exit() {
        return process.isAlive() ? "still running" : "exit code " + process.exitValue();
    }

    /** The last lines of the child's standard error, for a failure message. */
    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return tail.isEmpty() ? "" : "; its stderr ends: " + String.join(" | ", tail);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Ends the child: closes its input, waits a moment for it to exit, then kills it; removes the log. */
    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // the child is gone already
        }
        try {
            if (!process.waitFor(EXIT_MILLIS, TimeUnit.MILLISECONDS)) {
                kill();
                process.waitFor(EXIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file left behind
        }
    }

    // ---- the child's side ----

    /** What a child does with one request: its {@code ok} payload, or it throws. */
    @FunctionalInterface
    interface Handler {
        String handle(String[] words) throws Exception;
    }

    /**
     * The child's loop: prints {@code greeting}, then answers every request line with
     * {@code handler} until the end of input. Runs on the calling (main) thread.
     */
    static void serve(String greeting, Handler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        PrintStream answers = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing else may write to the protocol's stream
        answers.println(greeting);
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = requests.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            String answer;
            try {
                String payload = handler.handle(line.trim().split(" "));
                answer = payload == null || payload.isEmpty() ? "ok" : "ok " + payload;
            } catch (CorruptEchoException e) {
                answer = "error corrupt " + oneLine(e.getMessage());
            } catch (Throwable e) {
                answer = "error failed " + oneLine(FailureLine.of(e));
            }
            answers.println(answer);
        }
    }

    private static String oneLine(String text) {
        return String.valueOf(text).replace('\n', ' ').replace('\r', ' ');
    }
}
