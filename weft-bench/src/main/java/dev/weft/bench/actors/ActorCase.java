package dev.weft.bench.actors;

import dev.weft.bench.BenchCase;
import dev.weft.bench.Metric;

import java.util.Arrays;
import java.util.List;

/**
 * The actors suite's cases, by the names of the issue. Names are stable: other tooling compares
 * runs by them.
 *
 * <p>The seven {@link Kind#SAVINA} cases are the Savina micro-benchmarks; each runs one workload
 * and returns a number that {@link #expected} checks. {@link #SPAWN_EXIT} is a throughput case of
 * the same protocol. {@link #IDLE_BYTES} measures the heap an idle actor holds, {@link #CALL_RTT}
 * the round trip of a request and its reply.
 */
public enum ActorCase implements BenchCase {

    /** Two actors: ping sends, pong answers, one round trip at a time. Two messages per round trip. */
    PING_PONG("ping-pong", Kind.SAVINA, "msgs/s"),
    /** A producer sends increments to a counter, then asks for the count. */
    COUNTING("counting", Kind.SAVINA, "msgs/s"),
    /** One sender spreads messages over a set of actors, each doing a little work per message. */
    FJ_THROUGHPUT("fj-throughput", Kind.SAVINA, "msgs/s"),
    /** Actors created, each sent one message, each doing a little work and ending. */
    FJ_CREATE("fj-create", Kind.SAVINA, "actors/s"),
    /** A ring of actors passes a token around; each pass is a hop. */
    THREAD_RING("thread-ring", Kind.SAVINA, "hops/s"),
    /** Creatures meet in pairs through a broker (the mall); four messages per meeting. */
    CHAMENEOS("chameneos", Kind.SAVINA, "msgs/s"),
    /** Every actor pings random others and waits for each pong; two messages per ping. */
    BIG("big", Kind.SAVINA, "msgs/s"),
    /** Heap per idle actor (after a full collection), many actors spawned and waiting. */
    IDLE_BYTES("idle-bytes", Kind.MEMORY, "B"),
    /** Actors spawned that end at once; the rate from the first spawn to the last end. */
    SPAWN_EXIT("spawn-exit", Kind.THROUGHPUT, "actors/s"),
    /** Request and reply between two actors, one at a time: p50 and p99 of the round trip. */
    CALL_RTT("call-rtt", Kind.LATENCY, "ns");

    /** What a case measures, and so which protocol the suite runs it with. */
    public enum Kind {
        /** A Savina workload: its wall time gives its rate. */
        SAVINA,
        /** Another workload measured by its rate. */
        THROUGHPUT,
        /** Heap held per idle actor. */
        MEMORY,
        /** Round-trip latency percentiles. */
        LATENCY
    }

    /** The metric of the Savina cases and {@code spawn-exit}. */
    public static final String THROUGHPUT_METRIC = "throughput";
    /** The metric of {@code idle-bytes}. */
    public static final String BYTES = "bytes";
    /** The median metric of {@code call-rtt}. */
    public static final String P50 = "p50";
    /** The 99th-percentile metric of {@code call-rtt}. */
    public static final String P99 = "p99";

    private final String id;
    private final Kind kind;
    private final String unit;

    ActorCase(String id, Kind kind, String unit) {
        this.id = id;
        this.kind = kind;
        this.unit = unit;
    }

    @Override
    public String id() {
        return id;
    }

    /** What the case measures. */
    public Kind kind() {
        return kind;
    }

    /** Whether the case is timed as one workload (a Savina case or {@code spawn-exit}). */
    public boolean timed() {
        return kind == Kind.SAVINA || kind == Kind.THROUGHPUT;
    }

    /** {@code throughput}; {@code bytes}; or {@code p50} and {@code p99}. */
    @Override
    public List<Metric> metrics() {
        return switch (kind) {
            case SAVINA, THROUGHPUT -> List.of(new Metric(THROUGHPUT_METRIC, unit, true));
            case MEMORY -> List.of(new Metric(BYTES, unit, false));
            case LATENCY -> List.of(new Metric(P50, unit, false), new Metric(P99, unit, false));
        };
    }

    /** The cases of {@code kind}, in declaration order. */
    public static List<ActorCase> of(Kind kind) {
        return Arrays.stream(values()).filter(c -> c.kind == kind).toList();
    }

    /** The timed cases (Savina and {@code spawn-exit}), in declaration order. */
    public static List<ActorCase> timedCases() {
        return Arrays.stream(values()).filter(ActorCase::timed).toList();
    }

    /**
     * Runs a timed case's workload on {@code impl}: its result and wall time.
     *
     * @throws IllegalArgumentException if this case is not timed
     */
    public Timed run(ActorImpl impl, ActorSizes s) throws Exception {
        return switch (this) {
            case PING_PONG -> impl.pingPong(s.pingPongRoundTrips());
            case COUNTING -> impl.counting(s.countingMessages());
            case FJ_THROUGHPUT -> impl.fjThroughput(s.fjActors(), s.fjMessagesEach());
            case FJ_CREATE -> impl.fjCreate(s.fjCreateActors());
            case THREAD_RING -> impl.threadRing(s.ringActors(), s.ringHops());
            case CHAMENEOS -> impl.chameneos(s.chameneosCreatures(), s.chameneosMeetings());
            case BIG -> impl.big(s.bigActors(), s.bigPingsEach());
            case SPAWN_EXIT -> impl.spawnExit(s.spawnExitActors());
            default -> throw new IllegalArgumentException(id + " is not a timed case");
        };
    }

    /** What {@link #run} must return (see each workload on {@link ActorImpl}), for a timed case. */
    public long expected(ActorSizes s) {
        return switch (this) {
            case PING_PONG -> 2L * s.pingPongRoundTrips();
            case COUNTING -> s.countingMessages();
            case FJ_THROUGHPUT -> (long) s.fjActors() * s.fjMessagesEach();
            case FJ_CREATE -> s.fjCreateActors();
            case THREAD_RING -> (long) s.ringHops() + s.ringHops() % s.ringActors();
            case CHAMENEOS -> 2L * s.chameneosMeetings();
            case BIG -> (long) s.bigActors() * s.bigPingsEach();
            case SPAWN_EXIT -> s.spawnExitActors();
            default -> throw new IllegalArgumentException(id + " is not a timed case");
        };
    }

    /** The operations (of the throughput unit) one run of a timed case does. */
    public long operations(ActorSizes s) {
        return switch (this) {
            case PING_PONG -> 2L * s.pingPongRoundTrips();
            case COUNTING -> s.countingMessages();
            case FJ_THROUGHPUT -> (long) s.fjActors() * s.fjMessagesEach();
            case FJ_CREATE -> s.fjCreateActors();
            case THREAD_RING -> s.ringHops();
            case CHAMENEOS -> 4L * s.chameneosMeetings();
            case BIG -> 2L * s.bigActors() * s.bigPingsEach();
            case SPAWN_EXIT -> s.spawnExitActors();
            default -> throw new IllegalArgumentException(id + " is not a timed case");
        };
    }
}
