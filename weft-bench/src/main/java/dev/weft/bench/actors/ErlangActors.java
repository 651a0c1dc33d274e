package dev.weft.bench.actors;

import dev.weft.bench.Programs;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * ping-pong and thread-ring on Erlang/OTP ({@code erlang}), outside the JVM: the Debian package
 * {@code erlang-base}'s {@code erl}, started once for the suite with as many schedulers as the
 * JVM has processors ({@code +S N:N}) and otherwise default settings. The workloads are the
 * module {@code weft_bench_actors.erl} (a resource beside this class), compiled with
 * {@code erlc} into a temporary directory; the suite sends it one command per measurement on its
 * standard input and reads the result and the wall time it measured itself (so the pipe is not
 * counted). Erlang is not asked for the other cases (the issue measures it on these two).
 */
final class ErlangActors implements ActorImpl {

    /** The impl name. */
    static final String NAME = "erlang";
    /** The module's source, a resource beside this class. */
    static final String MODULE = "weft_bench_actors";

    private final int schedulers;
    private final Path erl;
    private final Path erlc;
    private Path dir;
    private volatile Process process; // read without the lock by abandon(), while a command waits
    private BufferedReader out;
    private Writer in;
    private String release = "?";

    /**
     * Finds {@code erl} and {@code erlc} on the PATH.
     *
     * @throws IllegalStateException naming what is missing and the Debian package that has it
     */
    ErlangActors(int schedulers) {
        this(schedulers, System.getenv().getOrDefault("PATH", ""));
    }

    /** As {@link #ErlangActors(int)}, looking on {@code path} (a PATH-style list of directories). */
    ErlangActors(int schedulers, String path) {
        this.schedulers = schedulers;
        this.erl = onPath(path, "erl").orElseThrow(() -> new IllegalStateException(
                "erl not found on the PATH; install the Debian package erlang-base (apt-get install erlang-base)"));
        this.erlc = onPath(path, "erlc").orElseThrow(() -> new IllegalStateException(
                "erlc not found on the PATH; install the Debian package erlang-base (apt-get install erlang-base)"));
    }

    /** The executable {@code command} in the first directory of {@code path} that has it. */
    static Optional<Path> onPath(String path, String command) {
        return Programs.onPath(path, command);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String configuration() {
        return "Erlang/OTP " + release + ", " + erl + " +S " + schedulers + ":" + schedulers
                + " -noshell (defaults otherwise), its own process";
    }

    @Override
    public boolean inThisJvm() {
        return false;
    }

    @Override
    public Optional<String> unsupported(ActorCase c) {
        return c == ActorCase.PING_PONG || c == ActorCase.THREAD_RING ? Optional.empty()
                : Optional.of("erlang runs ping-pong and thread-ring only (the issue's scope)");
    }

    /** Compiles the module and starts {@code erl}, on first use (and again after {@link #abandon()}). */
    private synchronized void started() throws IOException, InterruptedException {
        if (process != null) {
            return;
        }
        if (dir == null) {
            dir = Files.createTempDirectory("weft-bench-erlang");
            try (InputStream source = ErlangActors.class.getResourceAsStream(MODULE + ".erl")) {
                if (source == null) {
                    throw new IllegalStateException("resource " + MODULE + ".erl is missing from the bench's jar");
                }
                Files.copy(source, dir.resolve(MODULE + ".erl"));
            }
            Process compile = new ProcessBuilder(erlc.toString(), "-o", dir.toString(),
                    dir.resolve(MODULE + ".erl").toString()).redirectErrorStream(true).start();
            String log = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!compile.waitFor(60, TimeUnit.SECONDS) || compile.exitValue() != 0) {
                compile.destroyForcibly();
                throw new IllegalStateException("erlc failed on " + MODULE + ".erl: " + log.strip());
            }
        }
        Process p = new ProcessBuilder(erl.toString(), "+S", schedulers + ":" + schedulers, "-noshell",
                "-pa", dir.toString(), "-run", MODULE, "main")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process = p;
        out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        String ready = out.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            throw new IOException("erl did not start its bench module: said " + ready);
        }
        String[] words = ready.split(" ");
        release = words.length > 2 ? words[2] : "?";
    }

    /** Sends one command and reads its answer. */
    private synchronized Timed command(String command) throws IOException, InterruptedException {
        started();
        in.write(command + "\n");
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IOException("erl ended without answering '" + command + "'");
        }
        String[] words = line.split(" ");
        if (words.length != 3 || !words[0].equals("ok")) {
            throw new IOException("erl answered '" + command + "' with: " + line);
        }
        return new Timed(Long.parseLong(words[1]), Long.parseLong(words[2]));
    }

    @Override
    public Timed pingPong(int roundTrips) throws Exception {
        return command("ping-pong " + roundTrips);
    }

    @Override
    public Timed threadRing(int actors, int hops) throws Exception {
        return command("thread-ring " + actors + " " + hops);
    }

    private static UnsupportedOperationException notHere() {
        return new UnsupportedOperationException("erlang runs ping-pong and thread-ring only");
    }

    @Override
    public Timed counting(int messages) {
        throw notHere();
    }

    @Override
    public Timed fjThroughput(int actors, int messagesEach) {
        throw notHere();
    }

    @Override
    public Timed fjCreate(int actors) {
        throw notHere();
    }

    @Override
    public Timed chameneos(int creatures, int meetings) {
        throw notHere();
    }

    @Override
    public Timed big(int actors, int pingsEach) {
        throw notHere();
    }

    @Override
    public Timed spawnExit(int actors) {
        throw notHere();
    }

    @Override
    public long callRtt(int calls, Histogram latencies) {
        throw notHere();
    }

    @Override
    public IdleActors idle(int actors) {
        throw notHere();
    }

    /** Kills {@code erl}: a measurement that does not end in time leaves nothing running. */
    @Override
    public void abandon() {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        Process p;
        synchronized (this) {
            p = process;
            process = null;
        }
        if (p != null) {
            try {
                p.getOutputStream().close(); // end of input: the module halts
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (IOException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }
}
