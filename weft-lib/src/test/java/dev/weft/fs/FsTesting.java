package dev.weft.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the file tests keep their files: a fresh directory under the build directory
 * ({@code target/fs-tests}), on the file system the build runs on (not {@code /tmp}, which may be
 * a tmpfs without direct I/O), removed by {@link #close()}.
 */
public final class FsTesting implements AutoCloseable {

    private static final Path BASE = Path.of("target", "fs-tests").toAbsolutePath();

    public final Path dir;

    private FsTesting(Path dir) {
        this.dir = dir;
    }

    public static FsTesting create() throws IOException {
        Files.createDirectories(BASE);
        return new FsTesting(Files.createTempDirectory(BASE, "t"));
    }

    /** A path in the directory (not created). */
    public Path path(String name) {
        return dir.resolve(name);
    }

    /** A file in the directory holding {@code bytes}. */
    public Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
