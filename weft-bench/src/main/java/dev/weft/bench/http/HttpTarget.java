package dev.weft.bench.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An implementation the http suite measures: a server it starts in processes of its own on
 * loopback, serving {@code /plaintext}, {@code /json} and the files of a {@link BenchFiles}
 * directory.
 */
interface HttpTarget {

    /** The stable name in tables and JSON ({@code weft}, {@code nginx}). */
    String impl();

    /** Why this implementation cannot run here (a program or class missing); empty when it can. */
    Optional<String> unavailableReason();

    /**
     * Starts a server with {@code workers} workers serving {@code files}, behind the command
     * {@code prefix} (a {@code taskset}), using {@code scratch} for anything it writes.
     *
     * @throws IOException when it does not start or announce itself in time (what it printed
     *                     is quoted); nothing it started is left running
     */
    ChildServer start(int workers, BenchFiles files, List<String> prefix, Path scratch) throws IOException;
}
