package dev.weft.bench.io;

import dev.weft.bench.Programs;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The programs the suites run outside the JVM: the io suite's {@code fio} (the peer), {@code gcc}
 * (builds the C producer) and {@code taskset} (pins), the http suite's {@code wrk} and {@code nginx}. A missing one is installed with Debian's {@code apt-get}
 * when the bench runs as root, as {@code ./test} does for its tools; otherwise the
 * implementations that need it are skipped with a reason that names the package.
 */
public final class Tools {

    private static final long INSTALL_SECONDS = 300;

    private Tools() {
    }

    /** Whether {@code command} is an executable file in a directory of {@code path} (a PATH value). */
    static boolean onPath(String command, String path) {
        return Programs.onPath(path, command).isPresent();
    }

    /** Whether {@code command} is on this process's PATH. */
    public static boolean onPath(String command) {
        return onPath(command, System.getenv("PATH"));
    }

    /**
     * Why {@code command} cannot run here, after trying to install {@code pkg} if it is missing
     * and this process may (root, with apt-get); empty when it can.
     */
    public static Optional<String> ensure(String command, String pkg, PrintWriter progress) {
        if (onPath(command)) {
            return Optional.empty();
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !onPath("apt-get")) {
            return Optional.of(missing(command, pkg, false));
        }
        progress.println("bench: " + command + " is not installed; installing Debian's " + pkg + " with apt-get...");
        progress.flush();
        String log = "";
        try {
            log = run(List.of("apt-get", "update")) + run(List.of("apt-get", "install", "-y", "--no-install-recommends",
                    pkg));
        } catch (IOException e) {
            log = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (onPath(command)) {
            return Optional.empty();
        }
        progress.println("bench: installing " + pkg + " failed: " + String.join(" | ",
                log.strip().lines().toList().reversed().stream().limit(3).toList()));
        progress.flush();
        return Optional.of(missing(command, pkg, true));
    }

    /** The skipped reason for a program that is missing. */
    public static String missing(String command, String pkg, boolean triedApt) {
        return command + " is not installed" + (triedApt ? " and apt-get could not install it" : "")
                + " (Debian: apt-get install -y " + pkg + ")";
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(INSTALL_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not end within " + INSTALL_SECONDS + " s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
