package dev.weft.task;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a JDK tool ({@code java}, {@code javac}) of the running JDK in a process of its own, with
 * weft's classes on the class path: for what the test JVM cannot do itself (a preview API, a
 * compiler run, the default logging setup).
 */
public final class ChildJvm {

    /** What the process printed (standard output and error together) and its exit code. */
    public record Result(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    /** Weft's compiled classes. */
    public static Path classes() {
        return Path.of("target/classes").toAbsolutePath();
    }

    /** A source file under {@code src/test/resources}. */
    public static Path resource(String path) {
        return Path.of("src/test/resources", path).toAbsolutePath();
    }

    /** Runs {@code bin/<tool>} with {@code args}, waiting at most 50 s. */
    public static Result run(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean ended = p.waitFor(50, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "the child " + tool + " did not finish: " + command);
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    /** Runs a single-file program with weft on its class path and weft's JVM flags. */
    public static Result java(Path source, String... extraFlags) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(extraFlags));
        args.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", classes().toString(), source.toString()));
        return run("java", args.toArray(String[]::new));
    }
}
