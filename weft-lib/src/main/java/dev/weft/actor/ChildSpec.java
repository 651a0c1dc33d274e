package dev.weft.actor;

import dev.weft.task.CheckedRunnable;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a {@link Supervisor} starts, restarts and stops one child: its id (unique among the
 * supervisor's children), what it runs, when it is restarted ({@link Restart}) and how long it
 * has to stop when asked ({@link #shutdown()}, then it is killed). Immutable; the {@code with}
 * methods return changed copies.
 *
 * <p>Defaults: {@link Restart#PERMANENT}; a shutdown timeout of 5 s for a worker and none for a
 * supervisor (a supervisor stops its own children first, each with its own timeout).
 */
public final class ChildSpec {

    /** When a child that ended is started again. */
    public enum Restart {
        /** Always. */
        PERMANENT,
        /** Only after an abnormal end: not after {@link Outcome.Exit}, nor a kill with reason {@code "shutdown"}. */
        TRANSIENT,
        /** Never: the child is forgotten when it ends. */
        TEMPORARY
    }

    /** The default time a worker has to stop once asked. */
    public static final Duration DEFAULT_SHUTDOWN = Duration.ofSeconds(5);

    /** A supervisor child's shutdown: no limit (it stops its own children, each with its timeout). */
    static final Duration NO_LIMIT = Duration.ofSeconds(Long.MAX_VALUE);

    private final String id;
    /** A Callable, a CheckedRunnable, a WorkerWith, a Supplier of a Handler, or a Supervisor. */
    final Object behavior;
    private final Restart restart;
    private final Duration shutdown;

    private ChildSpec(String id, Object behavior, Restart restart, Duration shutdown) {
        this.id = Objects.requireNonNull(id, "id");
        this.behavior = Objects.requireNonNull(behavior, "body");
        this.restart = Objects.requireNonNull(restart, "restart");
        this.shutdown = Objects.requireNonNull(shutdown, "shutdown");
        if (shutdown.isNegative()) {
            throw new IllegalArgumentException("shutdown timeout " + shutdown + " of child '" + id
                    + "' is negative; use a duration >= 0 (0: killed at once)");
        }
    }

    /** A process actor child running {@code body}. */
    public static ChildSpec worker(String id, Callable<?> body) {
        return new ChildSpec(id, body, Restart.PERMANENT, DEFAULT_SHUTDOWN);
    }

    /** A process actor child running {@code body}, which has no value. */
    public static ChildSpec worker(String id, CheckedRunnable body) {
        return new ChildSpec(id, body, Restart.PERMANENT, DEFAULT_SHUTDOWN);
    }

    /**
     * A process actor child that starts with an argument: the template of a
     * {@link Supervisor.Strategy#SIMPLE_ONE_FOR_ONE} supervisor whose children each get their own,
     * given to {@link Supervisor#startChild(Pid, Object, Duration)}. {@code body} makes the child's
     * body from the argument at every (re)start; a restarted child gets the same argument again
     * (null when started without one).
     */
    public static ChildSpec workerWith(String id, Function<Object, ? extends CheckedRunnable> body) {
        return new ChildSpec(id, new WorkerWith(Objects.requireNonNull(body, "body")), Restart.PERMANENT,
                DEFAULT_SHUTDOWN);
    }

    /**
     * A handler actor child; {@code handler} makes a fresh handler at every (re)start, so a
     * restarted child begins with fresh state.
     */
    public static ChildSpec handler(String id, Supplier<? extends Handler<?>> handler) {
        return new ChildSpec(id, new HandlerFactory(Objects.requireNonNull(handler, "handler")),
                Restart.PERMANENT, DEFAULT_SHUTDOWN);
    }

    /** A supervisor child: supervisors nest into trees. */
    public static ChildSpec supervisor(String id, Supervisor supervisor) {
        return new ChildSpec(id, supervisor, Restart.PERMANENT, NO_LIMIT);
    }

    /** This spec with restart type {@code restart}. */
    public ChildSpec withRestart(Restart restart) {
        return new ChildSpec(id, behavior, restart, shutdown);
    }

    /** This spec with shutdown timeout {@code shutdown} (0: killed at once). */
    public ChildSpec withShutdown(Duration shutdown) {
        return new ChildSpec(id, behavior, restart, shutdown);
    }

    public String id() {
        return id;
    }

    public Restart restart() {
        return restart;
    }

    /** How long the child has to stop once asked, before it is killed. */
    public Duration shutdown() {
        return shutdown;
    }

    /** Spawns the child, linked to the calling supervisor; {@code argument} is for a {@link #workerWith} child. */
    Pid start(Object argument) {
        Object b = behavior;
        if (b instanceof WorkerWith w) {
            return Actor.spawnLink(Objects.requireNonNull(w.make.apply(argument), "the body function of child '"
                    + id + "' returned null"));
        }
        if (b instanceof Supervisor s) {
            return Actor.spawnLink(s.body(Actor.self()));
        }
        if (b instanceof HandlerFactory f) {
            return Actor.spawnLink(Objects.requireNonNull(f.make.get(), "the handler supplier of child '" + id
                    + "' returned null"));
        }
        if (b instanceof Callable<?> c) {
            return Actor.spawnLink(c);
        }
        return Actor.spawnLink((CheckedRunnable) b);
    }

    @Override
    public String toString() {
        return "ChildSpec[" + id + ", " + restart + ", shutdown " + shutdown + "]";
    }

    private record HandlerFactory(Supplier<? extends Handler<?>> make) {
    }

    private record WorkerWith(Function<Object, ? extends CheckedRunnable> make) {
    }
}
