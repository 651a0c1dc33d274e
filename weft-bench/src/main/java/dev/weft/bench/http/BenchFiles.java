package dev.weft.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The directory every server of the suite serves files from: {@link #SMALL} (4 KiB) and
 * {@link #LARGE} (1 MiB) of pseudo-random bytes, readable by every user (nginx's workers may run
 * as another user than the bench). Closing removes it.
 */
public final class BenchFiles implements AutoCloseable {

    /** The name of the 4 KiB file, served at {@code /4k.bin}. */
    public static final String SMALL = "4k.bin";
    /** The name of the 1 MiB file, served at {@code /1m.bin}. */
    public static final String LARGE = "1m.bin";
    /** The size of {@link #SMALL}. */
    public static final int SMALL_BYTES = 4 * 1024;
    /** The size of {@link #LARGE}. */
    public static final int LARGE_BYTES = 1024 * 1024;

    private final Path root;

    private BenchFiles(Path root) {
        this.root = root;
    }

    /** A new directory under the system's temporary directory with both files. */
    public static BenchFiles create() throws IOException {
        Path root = Files.createTempDirectory("weft-bench-http-static-");
        BenchFiles files = new BenchFiles(root);
        try {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            Random random = new Random(42);
            for (String name : new String[] {SMALL, LARGE}) {
                byte[] bytes = new byte[name.equals(SMALL) ? SMALL_BYTES : LARGE_BYTES];
                random.nextBytes(bytes);
                Path file = Files.write(root.resolve(name), bytes);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
        return files;
    }

    /** The directory. */
    public Path root() {
        return root;
    }

    /** The size of the file a request target ({@code /4k.bin}) names; -1 for any other target. */
    public static long size(String path) {
        return switch (path) {
            case "/" + SMALL -> SMALL_BYTES;
            case "/" + LARGE -> LARGE_BYTES;
            default -> -1;
        };
    }

    /** Removes the directory and everything in it (what a server left there too). */
    @Override
    public void close() throws IOException {
        delete(root);
    }

    /** Removes {@code dir} and everything in it, if it exists. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
