package dev.weft.bench.io;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One implementation the io suite measures: weft's file API, weft's request queue with a Java or
 * a C producer, fio with an engine, or FileChannel on a thread pool. The suite opens it once,
 * measures it case by case, and closes it.
 */
interface IoImpl extends AutoCloseable {

    /** The stable name in tables and JSON. */
    String name();

    /** Why it cannot run on this machine at all (a tool missing); empty when it can. */
    Optional<String> unavailableReason();

    /** Why it does not have case {@code c} at all; empty when it has. */
    Optional<String> unsupported(IoCase c);

    /**
     * Gets ready to measure on {@code files}: starts what it runs on.
     *
     * @return one line saying how it is configured, for the report
     */
    String open(IoFiles files) throws Exception;

    /**
     * One measurement of {@code c}: a file case for about {@code length}, queue-latency with the
     * plan's request counts, idle-cpu over the plan's window.
     *
     * @return the value of each of the case's metrics measured ({@link IoCase#metrics()})
     */
    Map<String, Double> measure(IoCase c, Duration length, IoPlan plan) throws Exception;

    @Override
    void close();
}
