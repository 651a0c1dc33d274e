package dev.weft.bench.sched;

import dev.weft.bench.BenchCase;
import dev.weft.bench.Metric;

import java.util.Arrays;
import java.util.List;

/**
 * The sched suite's cases. Names are stable: other tooling compares runs by them.
 *
 * <p>The six {@link Kind#THROUGHPUT} cases run one workload from a root task and return a number
 * that {@link #expected} checks; {@link #TIMER} measures how late sleeps wake; the two
 * {@link Kind#MEMORY} cases measure the heap that blocked tasks hold.
 */
public enum SchedCase implements BenchCase {

    /** A tree of tasks, fan-out 10, down to 10^6 leaves; each node sums its children's values. */
    SKYNET("skynet", Kind.THROUGHPUT, "tasks/s"),
    /** Each task spawns the next and ends; the last one reports to the root. */
    CHAINED_SPAWN("chained-spawn", Kind.THROUGHPUT, "spawns/s"),
    /** The root spawns every task, then joins them all. */
    SPAWN_STORM("spawn-storm", Kind.THROUGHPUT, "spawns/s"),
    /** Many tasks, each yielding many times. */
    YIELD_MANY("yield-many", Kind.THROUGHPUT, "yields/s"),
    /** Two tasks hand a counter back and forth through a one-slot hand-off. */
    PING_PONG("ping-pong", Kind.THROUGHPUT, "round-trips/s"),
    /** The root spawns tasks that each compute a chunk, then sums what they return. */
    FAN_OUT("fan-out", Kind.THROUGHPUT, "tasks/s"),
    /** A few tasks sleep 1 to 5 ms, many times each; how late each wakes. */
    TIMER("timer", Kind.LATENCY, "ns"),
    /** Heap per task blocked on a latch. */
    PARKED("parked", Kind.MEMORY, "B"),
    /** Heap per task asleep for an hour: the parked task and its pending timer. */
    TIMERS_MEMORY("timers-memory", Kind.MEMORY, "B");

    /** What a case measures, and so which protocol the suite runs it with. */
    public enum Kind {
        /** Wall time of one workload and its rate. */
        THROUGHPUT,
        /** Wake-up lateness of sleeps. */
        LATENCY,
        /** Heap held per blocked task. */
        MEMORY
    }

    /** The metric name of a throughput case's wall time. */
    public static final String TIME = "time";
    /** The metric name of a throughput case's rate. */
    public static final String THROUGHPUT_METRIC = "throughput";
    /** The metric name of a memory case. */
    public static final String BYTES_PER_TASK = "bytes-per-task";

    private final String id;
    private final Kind kind;
    private final String unit;

    SchedCase(String id, Kind kind, String unit) {
        this.id = id;
        this.kind = kind;
        this.unit = unit;
    }

    /** The stable name in tables and JSON. */
    @Override
    public String id() {
        return id;
    }

    /** What the case measures. */
    public Kind kind() {
        return kind;
    }

    /**
     * The metrics a measurement yields, in table order: time and throughput; lateness p50, p99
     * and max; or bytes per task.
     */
    @Override
    public List<Metric> metrics() {
        return switch (kind) {
            case THROUGHPUT -> List.of(new Metric(TIME, "ns", false), new Metric(THROUGHPUT_METRIC, unit, true));
            case LATENCY -> List.of(new Metric("p50", unit, false), new Metric("p99", unit, false),
                    new Metric("max", unit, false));
            case MEMORY -> List.of(new Metric(BYTES_PER_TASK, unit, false));
        };
    }

    /** The cases of {@code kind}, in declaration order. */
    public static List<SchedCase> of(Kind kind) {
        return Arrays.stream(values()).filter(c -> c.kind == kind).toList();
    }

    /**
     * Runs a throughput case's workload on {@code impl} and returns what it computed.
     *
     * @throws IllegalArgumentException if this is not a throughput case
     */
    public long run(SchedImpl impl, SchedSizes s) throws Exception {
        return switch (this) {
            case SKYNET -> impl.skynet(s.skynetLeaves(), s.skynetFanOut());
            case CHAINED_SPAWN -> impl.chainedSpawn(s.chainLinks());
            case SPAWN_STORM -> impl.spawnStorm(s.stormTasks());
            case YIELD_MANY -> impl.yieldMany(s.yieldTasks(), s.yieldsEach());
            case PING_PONG -> impl.pingPong(s.pingPongRoundTrips());
            case FAN_OUT -> impl.fanOut(s.fanOutTasks(), s.fanOutWork());
            default -> throw new IllegalArgumentException(id + " is not a throughput case");
        };
    }

    /** What {@link #run} must return, for a throughput case. */
    public long expected(SchedSizes s) {
        return switch (this) {
            case SKYNET -> triangle(s.skynetLeaves() - 1);                  // the leaves are 0 .. n-1
            case CHAINED_SPAWN -> triangle(s.chainLinks());                 // link k adds k
            case SPAWN_STORM -> triangle(s.stormTasks());                   // task i stores i + 1
            case YIELD_MANY -> (long) s.yieldTasks() * s.yieldsEach();      // yields counted
            case PING_PONG -> 2L * s.pingPongRoundTrips();                  // messages received
            case FAN_OUT -> FanOutWork.expected(s.fanOutTasks(), s.fanOutWork());
            default -> throw new IllegalArgumentException(id + " is not a throughput case");
        };
    }

    /** How many operations (of the throughput unit) one run of a throughput case does. */
    public long operations(SchedSizes s) {
        return switch (this) {
            case SKYNET -> s.skynetTasks();
            case CHAINED_SPAWN -> s.chainLinks();
            case SPAWN_STORM -> s.stormTasks();
            case YIELD_MANY -> (long) s.yieldTasks() * s.yieldsEach();
            case PING_PONG -> s.pingPongRoundTrips();
            case FAN_OUT -> s.fanOutTasks();
            default -> throw new IllegalArgumentException(id + " is not a throughput case");
        };
    }

    /** {@code 1 + 2 + ... + n}. */
    private static long triangle(long n) {
        return n * (n + 1) / 2;
    }
}
