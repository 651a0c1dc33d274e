package dev.weft.actor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A supervisor: an actor that starts children, watches them over links, and restarts them by
 * its {@link Strategy} when they end, within a restart intensity. Immutable: build one with
 * {@link #builder}, then {@link #spawnLink()} it, or nest it under another with
 * {@link ChildSpec#supervisor}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Start</b>: children are spawned in the order of their specs, each linked to the
 *       supervisor, which traps exits. A spawn does not wait for the child's body to run, so a
 *       child must not rely on an earlier sibling having done its first steps (register a name,
 *       say) unless it waits for it.</li>
 *   <li><b>Restart</b>: a child that ends is restarted as its {@link ChildSpec.Restart} says;
 *       with {@link Strategy#ONE_FOR_ONE} (and {@link Strategy#SIMPLE_ONE_FOR_ONE}) alone, with
 *       {@link Strategy#ONE_FOR_ALL} after every other child has been stopped, with
 *       {@link Strategy#REST_FOR_ONE} after the children started after it have been stopped; the
 *       stopped ones start again in order (temporary ones are dropped).</li>
 *   <li><b>Intensity</b>: more than {@code maxRestarts} restarts within {@code period} (default
 *       1 in 5 s) and the supervisor gives up: it stops every child in reverse start order and
 *       ends with {@code Killed("shutdown")}, which its own supervisor sees as any child's end.</li>
 *   <li><b>Stop</b>: children stop in reverse start order: each gets the exit signal
 *       {@code "shutdown"} and has its spec's {@link ChildSpec#shutdown()} to end, then it is
 *       killed. A child that traps exits gets an {@link ExitSignal} with reason
 *       {@code "shutdown"} and may clean up. The supervisor stops its children this way when its
 *       parent (the actor that spawned it linked) sends it an exit signal or ends, then ends with
 *       the signal's reason ({@link Outcome.Exit} after a parent's normal end).</li>
 *   <li><b>Back-off</b> (optional, {@link Builder#backoff}): a restart waits
 *       {@code min * 2^(restarts of that child in a row)}, at most {@code max}, plus up to
 *       {@code jitter} of that at random. The child counts as not running meanwhile.</li>
 * </ul>
 * Requests: {@link #children} lists the children, {@link #startChild} adds one of the template
 * spec of a {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor.
 */
public final class Supervisor {

    /** Which children restart when one ends. */
    public enum Strategy {
        /** Only the child that ended. */
        ONE_FOR_ONE,
        /** Every child: the others are stopped, then all start again. */
        ONE_FOR_ALL,
        /** The child that ended and every child started after it. */
        REST_FOR_ONE,
        /** ONE_FOR_ONE over children of one spec, started on demand by {@link #startChild}. */
        SIMPLE_ONE_FOR_ONE
    }

    /** A child as {@link #children} reports it: {@code pid} is null while it is not running. */
    public record Child(String id, Pid pid) {
    }

    /** OTP's default intensity: at most 1 restart ... */
    public static final int DEFAULT_MAX_RESTARTS = 1;
    /** ... within 5 s. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

    private final Strategy strategy;
    private final List<ChildSpec> specs;
    private final int maxRestarts;
    private final Duration period;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final double jitter;

    private Supervisor(Builder b) {
        this.strategy = b.strategy;
        this.specs = List.copyOf(b.specs);
        this.maxRestarts = b.maxRestarts;
        this.period = b.period;
        this.backoffMin = b.backoffMin;
        this.backoffMax = b.backoffMax;
        this.jitter = b.jitter;
    }

    /** A builder for a supervisor with {@code strategy}. */
    public static Builder builder(Strategy strategy) {
        return new Builder(Objects.requireNonNull(strategy, "strategy"));
    }

    /** Builds a {@link Supervisor}. */
    public static final class Builder {
        private final Strategy strategy;
        private final List<ChildSpec> specs = new ArrayList<>();
        private int maxRestarts = DEFAULT_MAX_RESTARTS;
        private Duration period = DEFAULT_PERIOD;
        private Duration backoffMin = Duration.ZERO;
        private Duration backoffMax = Duration.ZERO;
        private double jitter;

        private Builder(Strategy strategy) {
            this.strategy = strategy;
        }

        /** Adds a child; children start in the order they are added. */
        public Builder child(ChildSpec spec) {
            Objects.requireNonNull(spec, "spec");
            for (ChildSpec s : specs) {
                if (s.id().equals(spec.id())) {
                    throw new IllegalArgumentException("two children have the id '" + spec.id()
                            + "'; give each child of a supervisor its own id");
                }
            }
            specs.add(spec);
            return this;
        }

        /**
         * At most {@code maxRestarts} restarts within {@code period}; one more and the supervisor
         * gives up.
         */
        public Builder intensity(int maxRestarts, Duration period) {
            if (maxRestarts < 0) {
                throw new IllegalArgumentException("maxRestarts must be >= 0, was " + maxRestarts);
            }
            Objects.requireNonNull(period, "period");
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("the restart period must be > 0, was " + period);
            }
            this.maxRestarts = maxRestarts;
            this.period = period;
            return this;
        }

        /**
         * Waits before each restart: from {@code min}, doubling per restart of the same child in
         * a row, up to {@code max}, plus a random part of up to {@code jitter} (0 to 1) of it.
         */
        public Builder backoff(Duration min, Duration max, double jitter) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("back-off needs 0 <= min <= max, was min " + min + ", max " + max);
            }
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("jitter must be within 0..1, was " + jitter);
            }
            this.backoffMin = min;
            this.backoffMax = max;
            this.jitter = jitter;
            return this;
        }

        /**
         * The supervisor.
         *
         * @throws IllegalArgumentException if a {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor does
         *                                  not have exactly one (template) spec
         */
        public Supervisor build() {
            if (strategy == Strategy.SIMPLE_ONE_FOR_ONE && specs.size() != 1) {
                throw new IllegalArgumentException("a SIMPLE_ONE_FOR_ONE supervisor has exactly one child spec,"
                        + " the template of its children; it has " + specs.size());
            }
            return new Supervisor(this);
        }
    }

    // -------------------------------------------------------------------------------------
    // Starting and asking

    /**
     * Spawns this supervisor linked to the calling actor, its parent: an exit signal from the
     * parent stops the children and the supervisor.
     */
    public Pid spawnLink() {
        return Actor.spawnLink(body(Actor.self()));
    }

    /** Spawns this supervisor with no parent (from an actor or a plain weft task). */
    public Pid spawn() {
        return Actor.spawn(body(null));
    }

    /** The supervisor's body, for parent {@code parent} (or none). */
    dev.weft.task.CheckedRunnable body(Pid parent) {
        return () -> new Running(parent).run();
    }

    /**
     * Starts a child of the template spec of the {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor
     * {@code supervisor}. From an actor.
     *
     * @return the child's pid
     * @throws CallException if the supervisor is not alive or has no template
     */
    public static Pid startChild(Pid supervisor, Duration timeout) {
        return startChild(supervisor, null, timeout);
    }

    /**
     * Starts a child of the template spec of the {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor
     * {@code supervisor} with {@code argument}, which a {@link ChildSpec#workerWith} template makes
     * the child's body from (and again at each restart of that child). From an actor.
     *
     * @return the child's pid
     * @throws CallException if the supervisor is not alive or has no template
     */
    public static Pid startChild(Pid supervisor, Object argument, Duration timeout) {
        Object r = Actor.call(supervisor, new StartChild(argument), timeout);
        if (r instanceof RuntimeException e) {
            throw e;
        }
        return (Pid) r;
    }

    /** The children of {@code supervisor} in start order. From an actor. */
    @SuppressWarnings("unchecked")
    public static List<Child> children(Pid supervisor, Duration timeout) {
        return (List<Child>) Actor.call(supervisor, WhichChildren.INSTANCE, timeout);
    }

    private record StartChild(Object argument) {
    }

    private enum WhichChildren { INSTANCE }

    /** A restart that waited out its back-off. */
    private record RestartLater(RunningChild child) {
    }

    // -------------------------------------------------------------------------------------
    // The running supervisor

    private static final class RunningChild {
        final ChildSpec spec;
        /** What {@link #startChild(Pid, Object, Duration)} gave it, for its starts and restarts. */
        Object argument;
        Pid pid;
        /** Restarts of this child in a row, for the back-off. */
        int streak;
        boolean restartPending;

        RunningChild(ChildSpec spec) {
            this.spec = spec;
        }
    }

    /** One supervisor's state, in its own actor. */
    private final class Running {
        private final Pid parent;
        private final List<RunningChild> children = new ArrayList<>();
        private final ArrayDeque<Long> restarts = new ArrayDeque<>();

        Running(Pid parent) {
            this.parent = parent;
        }

        void run() {
            Actor.trapExits(true);
            if (strategy != Strategy.SIMPLE_ONE_FOR_ONE) {
                for (ChildSpec s : specs) {
                    RunningChild c = new RunningChild(s);
                    children.add(c);
                    c.pid = s.start(null);
                }
            }
            for (;;) {
                Object m = Actor.receive();
                if (m instanceof ExitSignal s) {
                    if (s.from() != null && s.from().equals(parent)) {
                        stopAll(children); // the parent ended or asks: the tree goes with it
                        throw new Proc.Unwind(Proc.isNormal(s.reason()) ? new Outcome.Exit(null)
                                : new Outcome.Killed(s.reason() instanceof Outcome.Killed k ? k.reason() : s.reason()));
                    }
                    RunningChild c = find(s.from());
                    if (c != null) {
                        childEnded(c, s.reason());
                    }
                } else if (m instanceof RestartLater r) {
                    if (children.contains(r.child()) && r.child().restartPending) {
                        r.child().restartPending = false;
                        restarted(r.child(), r.child().spec.start(r.child().argument));
                    }
                } else if (m instanceof Call call) {
                    answer(call);
                }
            }
        }

        private void answer(Call call) {
            if (call.request() == WhichChildren.INSTANCE) {
                List<Child> list = new ArrayList<>(children.size());
                for (RunningChild c : children) {
                    list.add(new Child(c.spec.id(), c.pid));
                }
                Actor.reply(call, List.copyOf(list));
            } else if (call.request() instanceof StartChild start) {
                if (strategy != Strategy.SIMPLE_ONE_FOR_ONE) {
                    Actor.reply(call, new IllegalStateException("startChild needs a SIMPLE_ONE_FOR_ONE supervisor; "
                            + Actor.self() + " is " + strategy));
                    return;
                }
                RunningChild c = new RunningChild(specs.get(0));
                c.argument = start.argument();
                children.add(c);
                c.pid = c.spec.start(c.argument);
                Actor.reply(call, c.pid);
            }
        }

        private RunningChild find(Pid pid) {
            for (RunningChild c : children) {
                if (pid.equals(c.pid)) {
                    return c;
                }
            }
            return null;
        }

        private void childEnded(RunningChild c, Object reason) {
            c.pid = null;
            if (!restarts(c.spec.restart(), reason)) {
                if (c.spec.restart() == ChildSpec.Restart.TEMPORARY || strategy == Strategy.SIMPLE_ONE_FOR_ONE) {
                    children.remove(c);
                }
                c.streak = 0;
                return;
            }
            if (tooManyRestarts()) {
                giveUp();
            }
            int at = children.indexOf(c);
            List<RunningChild> again = switch (strategy) {
                case ONE_FOR_ONE, SIMPLE_ONE_FOR_ONE -> List.of(c);
                case ONE_FOR_ALL -> new ArrayList<>(children);
                case REST_FOR_ONE -> new ArrayList<>(children.subList(at, children.size()));
            };
            List<RunningChild> others = new ArrayList<>(again);
            others.remove(c);
            stopAll(others);
            for (RunningChild o : others) {
                if (o.spec.restart() == ChildSpec.Restart.TEMPORARY) {
                    children.remove(o);
                }
            }
            for (RunningChild r : again) {
                if (children.contains(r)) {
                    restart(r);
                }
            }
        }

        private boolean restarts(ChildSpec.Restart type, Object reason) {
            return switch (type) {
                case PERMANENT -> true;
                case TEMPORARY -> false;
                case TRANSIENT -> !(reason instanceof Outcome.Exit)
                        && !(reason instanceof Outcome.Killed k && "shutdown".equals(k.reason()));
            };
        }

        private void restart(RunningChild c) {
            Duration wait = backoff(c);
            c.streak++;
            if (wait.isZero()) {
                restarted(c, c.spec.start(c.argument));
            } else {
                c.restartPending = true;
                Actor.sendAfter(Actor.self(), new RestartLater(c), wait);
            }
        }

        private void restarted(RunningChild c, Pid pid) {
            c.pid = pid;
            Proc me = Proc.require("Supervisor");
            me.system.restarted();
            ActorEvents.restart(me.pid, c.spec.id(), pid);
        }

        private Duration backoff(RunningChild c) {
            if (backoffMax.isZero()) {
                return Duration.ZERO;
            }
            Duration d = backoffMin.multipliedBy(1L << Math.min(c.streak, 30));
            if (d.compareTo(backoffMax) > 0 || d.isNegative()) {
                d = backoffMax;
            }
            long extra = (long) (d.toNanos() * jitter * ThreadLocalRandom.current().nextDouble());
            return d.plusNanos(extra);
        }

        private boolean tooManyRestarts() {
            long now = System.nanoTime();
            restarts.addLast(now);
            while (!restarts.isEmpty() && now - restarts.peekFirst() > period.toNanos()) {
                restarts.removeFirst();
            }
            return restarts.size() > maxRestarts;
        }

        /** Stops every child in reverse start order and ends the supervisor with reason shutdown. */
        private void giveUp() {
            ActorEvents.giveUp(Actor.self(), maxRestarts, period.toMillis());
            stopAll(children);
            throw new Proc.Unwind(new Outcome.Killed("shutdown"));
        }

        /** Stops the running ones of {@code list}, last first: each asked, then killed after its timeout. */
        private void stopAll(List<RunningChild> list) {
            Set<RunningChild> stopping = new HashSet<>(list);
            for (int i = children.size() - 1; i >= 0; i--) {
                RunningChild c = children.get(i);
                if (stopping.contains(c)) {
                    c.restartPending = false;
                    if (c.pid != null) {
                        stop(c.pid, c.spec.shutdown());
                        c.pid = null;
                    }
                }
            }
        }

        private void stop(Pid pid, Duration timeout) {
            Actor.exit(pid, timeout.isZero() ? "kill" : "shutdown");
            if (awaitExit(pid, timeout)) {
                return;
            }
            Actor.exit(pid, "kill");
            awaitExit(pid, ChildSpec.NO_LIMIT);
        }

        private boolean awaitExit(Pid pid, Duration timeout) {
            return Actor.receive(m -> m instanceof ExitSignal s && pid.equals(s.from()), timeout).isPresent();
        }
    }
}
