package dev.weft.bench.net;

import java.util.List;
import java.util.Optional;

/**
 * An echo server of the net suite: it accepts TCP connections on 127.0.0.1 and writes every byte
 * it reads from a connection back on that connection, in order. One instance is started at most
 * once and closed once; the suite makes a fresh one for every measurement.
 *
 * <p>Contract the suite relies on:
 * <ul>
 *   <li>{@link #unavailableReason()} is cheap and never throws: a server that cannot run on this
 *       machine (a transport the kernel lacks, a part of weft not built yet) says why, and the
 *       suite reports it as skipped with that reason instead of dropping it.</li>
 *   <li>{@link #start} binds before it returns: a client may connect as soon as it has the
 *       port. It serves many connections at once (the suite opens 100).</li>
 *   <li>{@link #close()} ends every thread the server started before it returns; the suite
 *       checks that no platform thread named by {@link #threadNamePrefixes()} is left alive.</li>
 * </ul>
 */
public interface EchoServer extends AutoCloseable {

    /** The peers in this package name their platform threads with this, then {@link #impl()}. */
    String THREAD_PREFIX = "weft-bench-echo-";

    /** The implementation's name in tables and JSON: {@code weft}, {@code netty-uring}, ... */
    String impl();

    /**
     * Why this server cannot run on this machine, or empty when it can. Asked before
     * {@link #start}; never throws.
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * How this implementation is configured in this JVM, for the report (a version, whether an
     * optional fast path is in use); empty when there is nothing to say. Never throws.
     */
    default String configuration() {
        return "";
    }

    /**
     * Starts serving on 127.0.0.1, on a port the kernel picks.
     *
     * @param workers the number of event-loop threads (or carrier threads, where the server has
     *                them) that serve the connections, {@code >= 1}
     * @return the port it listens on
     * @throws IllegalStateException when already started, or when {@link #unavailableReason()}
     *                               is not empty
     * @throws Exception             when the server cannot bind or start its threads
     */
    int start(int workers) throws Exception;

    /**
     * The name prefixes of the platform threads this server starts; none of them may be alive
     * once {@link #close()} has returned.
     */
    default List<String> threadNamePrefixes() {
        return List.of(THREAD_PREFIX + impl() + "-");
    }

    /**
     * The name prefixes of the platform threads whose CPU time is this server's, for the idle
     * case's {@code cpu-threads}: by default {@link #threadNamePrefixes()}. A server that runs on
     * threads it does not start and that outlive it (a JDK scheduler's) names those here too.
     */
    default List<String> cpuThreadNamePrefixes() {
        return threadNamePrefixes();
    }

    /**
     * Stops accepting, closes every connection and ends every thread the server started, before
     * returning. Does nothing when never started or already closed.
     *
     * @throws IllegalStateException naming the threads that did not end in time
     */
    @Override
    void close();
}
