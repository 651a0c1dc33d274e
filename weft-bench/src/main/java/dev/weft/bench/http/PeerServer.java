package dev.weft.bench.http;

import java.nio.file.Path;

/**
 * A peer's HTTP server inside {@link HttpPeerMain}'s JVM: {@code /plaintext} ({@code text/plain},
 * {@link NginxConf#PLAINTEXT}), {@code /json} ({@code application/json}, {@link NginxConf#JSON})
 * and the files of a directory, anything else 404.
 */
interface PeerServer extends AutoCloseable {

    /** Starts on 127.0.0.1 on a free port, with {@code workers} workers, serving {@code root}; the port. */
    int start(int workers, Path root) throws Exception;

    /** How it is configured, in words, for the report. */
    String configuration();

    /** Stops it and waits for its threads. */
    @Override
    void close() throws Exception;
}
