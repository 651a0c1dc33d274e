package dev.weft.actor;

import dev.weft.task.CheckedRunnable;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Spawns actors with options: a bounded mailbox and its {@link Overflow} policy, a handler
 * actor's throughput. From {@link Actor#builder()}; reusable, each spawn makes a new actor with
 * the options set so far. Not thread-safe: one builder per spawning actor.
 *
 * <pre>{@code
 * Pid worker = Actor.builder()
 *         .boundedMailbox(1_000, Overflow.WAIT)
 *         .sendTimeout(Duration.ofMillis(200))
 *         .spawn((Job job) -> job.run());
 * }</pre>
 *
 * Without options, {@code Actor.spawn(...)} is the same as {@code Actor.builder().spawn(...)}:
 * an unbounded mailbox (Erlang's semantics) and {@link Actor#DEFAULT_THROUGHPUT}.
 */
public final class ActorBuilder {

    /** How long a sender waits for room under {@link Overflow#WAIT} unless set. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);

    private int throughput = Actor.DEFAULT_THROUGHPUT;
    private int capacity;
    private Overflow overflow;
    private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

    ActorBuilder() {
    }

    /**
     * The messages a handler actor handles per run before it lets its worker's other tasks run
     * (ignored by process actors).
     *
     * @throws IllegalArgumentException if {@code throughput < 1}
     */
    public ActorBuilder throughput(int throughput) {
        this.throughput = Actor.checkThroughput(throughput);
        return this;
    }

    /**
     * A mailbox of at most {@code capacity} messages (queued and set aside by selective receives
     * together); a send that finds it full does what {@code overflow} says. Its depth is exact:
     * {@link Actor#mailboxDepth(Pid)}.
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public ActorBuilder boundedMailbox(int capacity, Overflow overflow) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a bounded mailbox holds at least 1 message; capacity was " + capacity);
        }
        this.capacity = capacity;
        this.overflow = Objects.requireNonNull(overflow, "overflow");
        return this;
    }

    /** An unbounded mailbox again (the default). */
    public ActorBuilder unboundedMailbox() {
        this.capacity = 0;
        this.overflow = null;
        return this;
    }

    /**
     * How long a sender waits for room in a full mailbox under {@link Overflow#WAIT}
     * (default {@link #DEFAULT_SEND_TIMEOUT}).
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public ActorBuilder sendTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("send timeout " + timeout + " is negative; use a duration >= 0");
        }
        this.sendTimeout = timeout;
        return this;
    }

    /** Spawns a process actor; see {@link Actor#spawn(Callable)}. */
    public Pid spawn(Callable<?> body) {
        return Actor.spawnProc(Objects.requireNonNull(body, "body"), 0, false, limit(), "ActorBuilder.spawn").pid;
    }

    /** Spawns a process actor without a value; see {@link Actor#spawn(CheckedRunnable)}. */
    public Pid spawn(CheckedRunnable body) {
        return Actor.spawnProc(Objects.requireNonNull(body, "body"), 0, false, limit(), "ActorBuilder.spawn").pid;
    }

    /** Spawns a handler actor; see {@link Actor#spawn(Handler)}. */
    public <M> Pid spawn(Handler<M> handler) {
        return Actor.spawnProc(Objects.requireNonNull(handler, "handler"), throughput, false, limit(),
                "ActorBuilder.spawn").pid;
    }

    /** Spawns a process actor linked to the caller; see {@link Actor#spawnLink(Callable)}. */
    public Pid spawnLink(Callable<?> body) {
        return Actor.spawnProc(Objects.requireNonNull(body, "body"), 0, true, limit(), "ActorBuilder.spawnLink").pid;
    }

    /** Spawns a process actor without a value, linked to the caller. */
    public Pid spawnLink(CheckedRunnable body) {
        return Actor.spawnProc(Objects.requireNonNull(body, "body"), 0, true, limit(), "ActorBuilder.spawnLink").pid;
    }

    /** Spawns a handler actor linked to the caller. */
    public <M> Pid spawnLink(Handler<M> handler) {
        return Actor.spawnProc(Objects.requireNonNull(handler, "handler"), throughput, true, limit(),
                "ActorBuilder.spawnLink").pid;
    }

    /** Spawns a process actor monitored by the caller; see {@link Actor#spawnMonitor(Callable)}. */
    public MonitorRef spawnMonitor(Callable<?> body) {
        return Actor.spawnMonitored(Objects.requireNonNull(body, "body"), 0, limit());
    }

    /** Spawns a process actor without a value, monitored by the caller. */
    public MonitorRef spawnMonitor(CheckedRunnable body) {
        return Actor.spawnMonitored(Objects.requireNonNull(body, "body"), 0, limit());
    }

    /** Spawns a handler actor monitored by the caller. */
    public <M> MonitorRef spawnMonitor(Handler<M> handler) {
        return Actor.spawnMonitored(Objects.requireNonNull(handler, "handler"), throughput, limit());
    }

    private MailboxLimit limit() {
        if (capacity == 0) {
            return null;
        }
        long nanos;
        try {
            nanos = sendTimeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        return new MailboxLimit(capacity, overflow, Math.min(nanos, Long.MAX_VALUE / 2));
    }
}
