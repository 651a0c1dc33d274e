package dev.weft.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding the programs the suites start outside the JVM (peers, compilers, installers). */
public final class Programs {

    private Programs() {
    }

    /**
     * The executable regular file {@code command} in the first directory of {@code path} (a
     * PATH-style list; empty entries and a null path are skipped) that has it.
     */
    public static Optional<Path> onPath(String path, String command) {
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
