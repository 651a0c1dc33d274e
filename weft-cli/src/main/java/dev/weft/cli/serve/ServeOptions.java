package dev.weft.cli.serve;

import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How {@code weft serve} runs, checked: each bad value is refused with an
 * {@link IllegalArgumentException} that names the option, the value and what to give instead.
 *
 * @param host    the address to listen on (an IP address or a name that resolves)
 * @param port    the TCP port, 0 to 65535; 0 lets the kernel pick a free one
 * @param root    the directory whose files to serve; empty for weft's own site
 * @param workers the worker count, 1 to {@link Config#MAX_WORKERS}; empty for one per processor
 * @param io      the I/O backend: {@link IoMode#URING}, {@link IoMode#NIO} or {@link IoMode#AUTO}
 *                (io_uring where it works, else NIO)
 * @param grace   how long requests in flight may take to finish once a stop is asked for
 */
public record ServeOptions(String host, int port, Optional<Path> root, OptionalInt workers, IoMode io,
                           Duration grace) {

    /** The default {@link #host}: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default {@link #port}. */
    public static final int DEFAULT_PORT = 8080;
    /** The default {@link #grace}. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the option, its value and the fix
     */
    public ServeOptions {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(grace, "grace");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host is empty: give the address to listen on, e.g. 127.0.0.1"
                    + " (loopback) or 0.0.0.0 (every interface)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is not a TCP port: give 1 to 65535, or 0 to let"
                    + " the kernel pick a free one");
        }
        if (root.isPresent()) {
            Path r = root.get();
            if (!Files.exists(r)) {
                throw new IllegalArgumentException("--root " + r + " does not exist: give the directory whose files"
                        + " to serve, or leave --root out to serve weft's own site");
            }
            if (!Files.isDirectory(r)) {
                throw new IllegalArgumentException("--root " + r + " is not a directory: give the directory whose"
                        + " files to serve (a file's directory, not the file), or leave --root out");
            }
        }
        if (workers.isPresent() && (workers.getAsInt() < 1 || workers.getAsInt() > Config.MAX_WORKERS)) {
            throw new IllegalArgumentException("--workers " + workers.getAsInt() + " is not a worker count: give 1 to "
                    + Config.MAX_WORKERS + ", or leave it out for one per processor ("
                    + Runtime.getRuntime().availableProcessors() + " here)");
        }
        if (io == IoMode.NONE) {
            throw new IllegalArgumentException("--io none leaves the server without networking: give uring, nio or"
                    + " auto");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("--grace " + grace.toSeconds() + " is negative: give the seconds"
                    + " requests in flight may take to finish on a stop, 0 or more");
        }
        if (new InetSocketAddress(host, 0).isUnresolved()) {
            throw new IllegalArgumentException("--host " + host + " does not resolve to an address: give an IP"
                    + " address such as 127.0.0.1 or 0.0.0.0, or a name this machine resolves");
        }
    }

    /** The defaults: 127.0.0.1:8080, weft's own site, one worker per processor, io_uring where it works. */
    public static ServeOptions defaults() {
        return new ServeOptions(DEFAULT_HOST, DEFAULT_PORT, Optional.empty(), OptionalInt.empty(), IoMode.AUTO,
                DEFAULT_GRACE);
    }

    /**
     * The backend {@code --io} names: {@code uring} (or {@code io_uring}), {@code nio} or {@code auto}.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static IoMode parseIo(String value) {
        return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
            case "uring", "io_uring" -> IoMode.URING;
            case "nio" -> IoMode.NIO;
            case "auto" -> IoMode.AUTO;
            default -> throw new IllegalArgumentException("--io " + value + " is not an I/O backend of weft serve:"
                    + " give uring (io_uring, failing if the kernel refuses it), nio, or auto (io_uring where it"
                    + " works, else nio)");
        };
    }
}
