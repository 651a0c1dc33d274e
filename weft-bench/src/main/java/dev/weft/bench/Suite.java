package dev.weft.bench;

import dev.weft.bench.actors.ActorSuite;
import dev.weft.bench.device.DeviceSuite;
import dev.weft.bench.http.HttpSuite;
import dev.weft.bench.io.IoSuite;
import dev.weft.bench.net.NetSuite;
import dev.weft.bench.sched.SchedSuite;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The suites {@code weft bench SUITE} knows, by the names the issues give them. A suite whose part
 * of weft is not written yet is known but not available: it names the part that will bring it.
 */
public enum Suite {

    /** Device runners against ArrayBlockingQueue, Disruptor, JCTools and Agrona channels. */
    DEVICE("device", "device runners", DeviceSuite::new),
    /** The work-stealing scheduler against JDK virtual threads and a ForkJoinPool. */
    SCHED("sched", "the work-stealing scheduler", SchedSuite::new),
    /** Process and handler actors against Pekko Typed and Erlang/OTP: the Savina micro-benchmarks and more. */
    ACTORS("actors", "actors", ActorSuite::new),
    /** Echo servers over io_uring and NIO against Netty's io_uring and epoll and JDK virtual threads. */
    NET("net", "io_uring networking", NetSuite::new),
    /**
     * Files and the I/O request queue (a Java and a C producer) against fio's io_uring and psync
     * engines and FileChannel on a thread pool.
     */
    IO("io", "files and the I/O request queue", IoSuite::new),
    /** weft serve against nginx, Netty's HTTP codec over io_uring and epoll, and Helidon SE, loaded by wrk. */
    HTTP("http", "io_uring networking", HttpSuite::new);

    private final String id;
    private final String part;
    private final Supplier<BenchSuite> factory;

    Suite(String id, String part, Supplier<BenchSuite> factory) {
        this.id = id;
        this.part = part;
        this.factory = factory;
    }

    /** The name on the command line and in the JSON {@code "suite"} field. */
    public String id() {
        return id;
    }

    /** The part of weft this suite measures (and, while unavailable, the part that brings it). */
    public String part() {
        return part;
    }

    /** Whether this suite can run in this build. */
    public boolean available() {
        return factory != null;
    }

    /**
     * A new instance of the suite.
     *
     * @throws IllegalStateException naming the suite and the part of weft it waits for, when it
     *                               is not available
     */
    public BenchSuite create() {
        if (factory == null) {
            throw new IllegalStateException(unavailableMessage());
        }
        return factory.get();
    }

    /** One line saying that this suite is not available yet and what brings it. */
    public String unavailableMessage() {
        return "bench suite '" + id + "' is not available yet: it arrives with " + part + " in weft";
    }

    /** The suite of this name (case-insensitive). */
    public static Optional<Suite> byId(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.id.equals(wanted)).findFirst();
    }

    /** Every suite name, comma-separated, in the order of the issues. */
    public static String ids() {
        return Arrays.stream(values()).map(Suite::id).collect(Collectors.joining(", "));
    }
}
