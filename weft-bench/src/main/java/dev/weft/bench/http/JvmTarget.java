package dev.weft.bench.http;

import dev.weft.bench.ChildJvm;
import dev.weft.bench.net.NettyEcho;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A server in a JVM of its own ({@link ChildJvm}: this JVM's flags and class path), started by
 * main-class name, that announces its address on a line of its output
 * ({@link ChildServer#ANNOUNCEMENT}) and ends on SIGTERM:
 * <ul>
 *   <li>{@code weft}: the real {@code weft serve} ({@code dev.weft.cli.Main serve --host 127.0.0.1
 *       --port 0 --root DIR --workers N --io uring}); weft-bench cannot depend on the command, so
 *       it runs when the command is on the class path ({@code ./weft bench http}) and is skipped
 *       otherwise;</li>
 *   <li>the Java peers, {@link HttpPeerMain}: {@code netty-uring}, {@code netty-epoll} (with
 *       {@link NettyEcho#JVM_FLAGS}, Netty's recommended flags for this JDK) and {@code helidon}
 *       (its virtual threads on as many carriers as workers).</li>
 * </ul>
 */
final class JvmTarget implements HttpTarget {

    /** weft's command-line entry point, not a dependency of the bench. */
    static final String WEFT_MAIN = "dev.weft.cli.Main";

    /** What a target runs: the JVM flags and arguments for a number of workers and a root. */
    @FunctionalInterface
    interface Launch {
        /** The JVM flags (first) and the program arguments of a server of {@code workers} serving {@code root}. */
        List<List<String>> flagsAndArgs(int workers, Path root);
    }

    private final String impl;
    private final String mainClass;
    private final Launch launch;
    private final Optional<String> unavailable;

    JvmTarget(String impl, String mainClass, Launch launch, Optional<String> unavailable) {
        this.impl = impl;
        this.mainClass = mainClass;
        this.launch = launch;
        this.unavailable = unavailable;
    }

    /** {@code weft serve}, when {@link #WEFT_MAIN} is on this JVM's class path. */
    static JvmTarget weft() {
        return new JvmTarget("weft", WEFT_MAIN, (workers, root) -> List.of(List.of(),
                List.of("serve", "--host", "127.0.0.1", "--port", "0", "--root", root.toString(),
                        "--workers", Integer.toString(workers), "--io", "uring")),
                onClassPath(WEFT_MAIN).isPresent() ? Optional.empty() : Optional.of(WEFT_MAIN
                        + " (weft serve) is not on the class path; run the suite as ./weft bench http"));
    }

    /** A peer of {@link HttpPeerMain}. */
    static JvmTarget peer(String impl) {
        return new JvmTarget(impl, HttpPeerMain.class.getName(), (workers, root) -> List.of(
                HttpPeerMain.jvmFlags(impl, workers), List.of(impl, Integer.toString(workers), root.toString())),
                Optional.empty());
    }

    /** The class of that name, without initializing it, if this JVM's class path has it. */
    static Optional<Class<?>> onClassPath(String name) {
        try {
            return Optional.of(Class.forName(name, false, JvmTarget.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    @Override
    public String impl() {
        return impl;
    }

    @Override
    public Optional<String> unavailableReason() {
        return unavailable;
    }

    /** The command line of a server of {@code workers} serving {@code root}. */
    List<String> command(int workers, Path root, List<String> prefix) {
        List<List<String>> fa = launch.flagsAndArgs(workers, root);
        return ChildJvm.command(prefix, fa.get(0), mainClass, fa.get(1));
    }

    @Override
    public ChildServer start(int workers, BenchFiles files, List<String> prefix, Path scratch) throws IOException {
        if (unavailable.isPresent()) {
            throw new IllegalStateException(impl + " cannot run here: " + unavailable.get());
        }
        return ChildServer.announcing(impl, new ArrayList<>(command(workers, files.root(), prefix)));
    }
}
