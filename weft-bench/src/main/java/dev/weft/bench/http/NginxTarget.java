package dev.weft.bench.http;

import dev.weft.bench.Programs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * nginx (Debian's {@code nginx}) as a peer: started by the suite with a generated
 * {@link NginxConf} on a free loopback port, its master in the foreground under the suite's
 * command prefix (so its workers, which it forks, share the master's CPU), its CPU time that of
 * the master and its workers.
 */
final class NginxTarget implements HttpTarget {

    /** The impl name. */
    static final String IMPL = "nginx";
    /** The Debian package. */
    static final String PACKAGE = "nginx";
    private static final int PORT_ATTEMPTS = 3;

    private final Optional<String> unavailable;

    /** @param unavailable why nginx cannot run here (not installed), or empty */
    NginxTarget(Optional<String> unavailable) {
        this.unavailable = unavailable;
    }

    @Override
    public String impl() {
        return IMPL;
    }

    @Override
    public Optional<String> unavailableReason() {
        return unavailable;
    }

    /** The nginx executable on the PATH (Debian installs it in /usr/sbin, which is added when missing). */
    static Optional<Path> executable() {
        String path = System.getenv("PATH");
        return Programs.onPath(path, "nginx").or(() -> Programs.onPath("/usr/sbin:/sbin", "nginx"));
    }

    /** The command that starts nginx with {@code conf}. */
    static List<String> command(List<String> prefix, Path nginx, NginxConf conf) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(nginx.toString(), "-p", conf.dir() + "/", "-e", conf.errorLog().toString(),
                "-c", conf.file().toString()));
        return command;
    }

    @Override
    public ChildServer start(int workers, BenchFiles files, List<String> prefix, Path scratch) throws IOException {
        if (unavailable.isPresent()) {
            throw new IllegalStateException("nginx cannot run here: " + unavailable.get());
        }
        Path nginx = executable().orElseThrow(() -> new IOException("nginx is not on the PATH"
                + " (Debian: apt-get install -y " + PACKAGE + ")"));
        Path dir = Files.createTempDirectory(scratch, "nginx-");
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            NginxConf conf = new NginxConf(dir.toAbsolutePath(), ChildServer.freePort(), workers,
                    files.root().toAbsolutePath());
            Files.writeString(conf.file(), conf.text(), StandardCharsets.UTF_8);
            try {
                return ChildServer.listening(IMPL, command(prefix, nginx, conf), conf.port());
            } catch (IOException e) {
                last = e;
                String log = Files.exists(conf.errorLog()) ? Files.readString(conf.errorLog()) : "";
                if (!ChildServer.addressInUse(e.getMessage()) && !ChildServer.addressInUse(log)) {
                    throw log.isBlank() ? e : new IOException(e.getMessage() + "; its error log: "
                            + log.strip().replace('\n', '|'), e);
                }
            }
        }
        throw last;
    }
}
