package dev.weft.bench.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The workloads on Apache Pekko Typed (Java DSL, {@link AbstractBehavior} classes, the style its
 * documentation teaches), in one {@link ActorSystem} per configuration kept for the whole suite:
 * <ul>
 *   <li>{@code pekko}: the default dispatcher as shipped (a fork-join executor, parallelism
 *       factor 1 within [8, 64] threads, throughput 5);</li>
 *   <li>{@code pekko-tuned}: candidates measured alike, of which the report keeps the best per
 *       case: the default executor with dispatcher throughput 100, and, where this Pekko version
 *       offers one, its virtual-thread executor.</li>
 * </ul>
 * Every configuration also turns Pekko's logging (to standard output, where the suite's table goes)
 * down to errors and dead-letter logging off (the workloads end by stopping actors that still have
 * messages), which changes no hot path; the one warning this hides is the virtual-thread
 * executor's, that a BalancingDispatcher's load metrics need {@code java.lang} opened to the class
 * path, and no BalancingDispatcher is used.
 *
 * <p>Each workload's root is spawned with {@code systemActorOf}, spawns the rest as its
 * children, records the result when it comes ({@link Finish}) and stops, which stops the children.
 * The request-reply of call-rtt is Pekko's own: a request carrying the client's {@link ActorRef},
 * answered with {@code tell} (no temporary actor, unlike {@code ask}).
 */
final class PekkoActors implements ActorImpl {

    /** The impl name of the default dispatcher. */
    static final String DEFAULT = "pekko";
    /** The impl name of the tuned candidates. */
    static final String TUNED = "pekko-tuned";
    /** The dispatcher throughput of the tuned candidates. */
    static final int TUNED_THROUGHPUT = 100;

    private static final String QUIET = "pekko.loglevel = ERROR\n"
            + "pekko.stdout-loglevel = ERROR\n"
            + "pekko.log-dead-letters = off\n"
            + "pekko.log-dead-letters-during-shutdown = off\n"
            + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n";

    private final String name;
    private final String impl;
    private final String configuration;
    private final Config config;
    private final boolean virtualThreads;
    private final AtomicLong roots = new AtomicLong();
    private ActorSystem<Void> system; // guarded by this

    private PekkoActors(String name, String impl, String configuration, String settings, boolean virtualThreads) {
        this.name = name;
        this.virtualThreads = virtualThreads;
        this.impl = impl;
        this.configuration = configuration;
        this.config = ConfigFactory.parseString(QUIET + settings).withFallback(ConfigFactory.load());
    }

    /** {@code pekko}: the default dispatcher as shipped. */
    static PekkoActors defaults() {
        return new PekkoActors(DEFAULT, DEFAULT, "default dispatcher as shipped (fork-join executor,"
                + " parallelism-factor 1.0 within [8, 64] threads, throughput 5)", "", false);
    }

    /** The name of the tuned candidate with dispatcher throughput {@link #TUNED_THROUGHPUT}. */
    static String tunedThroughputName() {
        return TUNED + "[throughput=" + TUNED_THROUGHPUT + "]";
    }

    /** The name of the tuned candidate on the virtual-thread executor. */
    static String tunedVirtualThreadsName() {
        return TUNED + "[virtual-threads]";
    }

    /** The tuned candidate with dispatcher throughput {@link #TUNED_THROUGHPUT}. */
    static PekkoActors tunedThroughput() {
        return new PekkoActors(tunedThroughputName(), TUNED,
                "default fork-join executor, dispatcher throughput " + TUNED_THROUGHPUT,
                "pekko.actor.default-dispatcher.throughput = " + TUNED_THROUGHPUT + "\n", false);
    }

    /**
     * The tuned candidate on Pekko's virtual-thread executor, with dispatcher throughput
     * {@link #TUNED_THROUGHPUT}; the suite reports it unavailable when this Pekko version has none.
     */
    static PekkoActors tunedVirtualThreads() {
        return new PekkoActors(tunedVirtualThreadsName(), TUNED,
                "virtual-thread executor, dispatcher throughput " + TUNED_THROUGHPUT,
                "pekko.actor.default-dispatcher.executor = virtual-thread-executor\n"
                        + "pekko.actor.default-dispatcher.throughput = " + TUNED_THROUGHPUT + "\n", true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String impl() {
        return impl;
    }

    @Override
    public String configuration() {
        return configuration + " (Pekko " + org.apache.pekko.Version.current() + ")";
    }

    /**
     * The system, started on first use (and again after {@link #abandon()}).
     *
     * @throws IllegalStateException if this candidate asks for virtual threads and Pekko runs its
     *                               actors on platform threads (its executor falls back silently)
     */
    synchronized ActorSystem<Void> system() throws Exception {
        if (system == null) {
            ActorSystem<Void> sys = ActorSystem.create(Behaviors.empty(), "weft-bench-pekko", config);
            if (virtualThreads) {
                CompletableFuture<Boolean> virtual = new CompletableFuture<>();
                sys.systemActorOf(Behaviors.setup(ctx -> {
                    virtual.complete(Thread.currentThread().isVirtual());
                    return Behaviors.stopped();
                }), "virtual-thread-probe", Props.empty());
                if (!virtual.get(10, TimeUnit.SECONDS)) {
                    sys.terminate();
                    throw new IllegalStateException("Pekko's virtual-thread-executor fell back to platform threads"
                            + " (virtual threads unavailable to it here)");
                }
            }
            system = sys;
        }
        return system;
    }

    /** Spawns the workload's root, made by {@code root} from its {@link Finish}, and waits for it. */
    private Timed runRoot(Function<Finish, Behavior<Object>> root) throws Exception {
        ActorSystem<Void> sys = system();
        Finish finish = new Finish();
        sys.systemActorOf(root.apply(finish), "bench-" + roots.incrementAndGet(), Props.empty());
        return finish.await();
    }

    // ---------------------------------------------------------------------------------------
    // ping-pong

    record Ping(ActorRef<Object> replyTo) {
    }

    record Pong(long count) {
    }

    @Override
    public Timed pingPong(int roundTrips) throws Exception {
        return runRoot(finish -> Behaviors.setup(ctx -> new Pinger(ctx, finish, roundTrips)));
    }

    /** Ping, the root: sends a ping, checks the pong, until the round trips are done. */
    private static final class Pinger extends AbstractBehavior<Object> {
        private final Finish finish;
        private final int roundTrips;
        private final ActorRef<Object> pong;
        private final Ping ping;
        private long received;

        Pinger(ActorContext<Object> ctx, Finish finish, int roundTrips) {
            super(ctx);
            this.finish = finish;
            this.roundTrips = roundTrips;
            this.pong = ctx.spawnAnonymous(Behaviors.setup(Ponger::new));
            this.ping = new Ping(ctx.getSelf());
            pong.tell(ping);
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder().onMessage(Pong.class, this::onPong).build();
        }

        private Behavior<Object> onPong(Pong p) {
            if (p.count() != ++received) {
                finish.fail(new IllegalStateException("pong said " + p.count() + " at round trip " + received));
                return Behaviors.stopped();
            }
            if (received == roundTrips) {
                finish.finish(received + p.count());
                return Behaviors.stopped();
            }
            pong.tell(ping);
            return this;
        }
    }

    private static final class Ponger extends AbstractBehavior<Object> {
        private long count;

        Ponger(ActorContext<Object> ctx) {
            super(ctx);
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder().onMessage(Ping.class, p -> {
                p.replyTo().tell(new Pong(++count));
                return this;
            }).build();
        }
    }

    // ---------------------------------------------------------------------------------------
    // counting

    enum Increment { INSTANCE }

    record Retrieve(ActorRef<Object> replyTo) {
    }

    record Count(long count) {
    }

    @Override
    public Timed counting(int messages) throws Exception {
        return runRoot(finish -> Behaviors.setup(ctx -> {
            ActorRef<Object> counter = ctx.spawnAnonymous(Behaviors.setup(Counter::new));
            for (int i = 0; i < messages; i++) {
                counter.tell(Increment.INSTANCE);
            }
            counter.tell(new Retrieve(ctx.getSelf()));
            return Behaviors.receiveMessage(m -> {
                finish.finish(((Count) m).count());
                return Behaviors.stopped();
            });
        }));
    }

    private static final class Counter extends AbstractBehavior<Object> {
        private long count;

        Counter(ActorContext<Object> ctx) {
            super(ctx);
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Increment.class, i -> {
                        count++;
                        return this;
                    })
                    .onMessage(Retrieve.class, r -> {
                        r.replyTo().tell(new Count(count));
                        return this;
                    })
                    .build();
        }
    }

    // ---------------------------------------------------------------------------------------
    // fj-throughput, fj-create

    enum Work { INSTANCE }

    /** A worker's report: the messages it handled and the sum of their work. */
    record Done(long messages, long sum) {
    }

    /** Counts reports until {@code expected} have come, then finishes with the messages handled. */
    private static Behavior<Object> collector(Finish finish, int expected) {
        long[] state = new long[3]; // reports, messages, sum
        return Behaviors.receiveMessage(m -> {
            Done d = (Done) m;
            state[1] += d.messages();
            state[2] += d.sum();
            if (++state[0] == expected) {
                SavinaWork.sink = state[2];
                finish.finish(state[1]);
                return Behaviors.stopped();
            }
            return Behaviors.same();
        });
    }

    @Override
    public Timed fjThroughput(int actors, int messagesEach) throws Exception {
        return runRoot(finish -> Behaviors.setup(ctx -> {
            List<ActorRef<Object>> workers = new ArrayList<>(actors);
            for (int k = 0; k < actors; k++) {
                workers.add(ctx.spawnAnonymous(Behaviors.setup(c -> new FjWorker(c, ctx.getSelf(), messagesEach))));
            }
            for (int i = 0; i < messagesEach; i++) {
                for (ActorRef<Object> w : workers) {
                    w.tell(Work.INSTANCE);
                }
            }
            return collector(finish, actors);
        }));
    }

    @Override
    public Timed fjCreate(int actors) throws Exception {
        return runRoot(finish -> Behaviors.setup(ctx -> {
            Behavior<Object> worker = Behaviors.setup(c -> new FjWorker(c, ctx.getSelf(), 1));
            for (int k = 0; k < actors; k++) {
                ctx.spawnAnonymous(worker).tell(Work.INSTANCE);
            }
            return collector(finish, actors);
        }));
    }

    /** Does the work of each message; after {@code messages} of them, reports and stops. */
    private static final class FjWorker extends AbstractBehavior<Object> {
        private final ActorRef<Object> collector;
        private final int messages;
        private long handled;
        private long sum;

        FjWorker(ActorContext<Object> ctx, ActorRef<Object> collector, int messages) {
            super(ctx);
            this.collector = collector;
            this.messages = messages;
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder().onMessage(Work.class, w -> {
                sum += SavinaWork.step(handled++);
                if (handled == messages) {
                    collector.tell(new Done(handled, sum));
                    return Behaviors.stopped();
                }
                return this;
            }).build();
        }
    }

    // ---------------------------------------------------------------------------------------
    // thread-ring

    record SetNext(ActorRef<Object> next) {
    }

    record Token(int hopsLeft) {
    }

    record RingDone(int index) {
    }

    @Override
    public Timed threadRing(int actors, int hops) throws Exception {
        return runRoot(finish -> Behaviors.setup(ctx -> {
            List<ActorRef<Object>> ring = new ArrayList<>(actors);
            for (int i = 0; i < actors; i++) {
                int index = i;
                ring.add(ctx.spawnAnonymous(Behaviors.setup(c -> new RingMember(c, index, ctx.getSelf()))));
            }
            for (int i = 0; i < actors; i++) {
                ring.get(i).tell(new SetNext(ring.get((i + 1) % actors)));
            }
            ring.getFirst().tell(new Token(hops));
            return Behaviors.receiveMessage(m -> {
                finish.finish((long) hops + ((RingDone) m).index());
                return Behaviors.stopped();
            });
        }));
    }

    private static final class RingMember extends AbstractBehavior<Object> {
        private final int index;
        private final ActorRef<Object> root;
        private ActorRef<Object> next;

        RingMember(ActorContext<Object> ctx, int index, ActorRef<Object> root) {
            super(ctx);
            this.index = index;
            this.root = root;
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Token.class, t -> {
                        if (t.hopsLeft() == 0) {
                            root.tell(new RingDone(index));
                        } else {
                            next.tell(new Token(t.hopsLeft() - 1));
                        }
                        return this;
                    })
                    .onMessage(SetNext.class, s -> {
                        next = s.next();
                        return this;
                    })
                    .build();
        }
    }

    // ---------------------------------------------------------------------------------------
    // chameneos

    record Meet(ActorRef<Object> from, Colour colour) {
    }

    record Change(Colour colour) {
    }

    enum Exit { INSTANCE }

    record Meetings(long count) {
    }

    @Override
    public Timed chameneos(int creatures, int meetings) throws Exception {
        return runRoot(finish -> Behaviors.setup(ctx -> new Mall(ctx, finish, creatures, meetings)));
    }

    /** The mall, the root: pairs creatures, then collects their meeting counts. */
    private static final class Mall extends AbstractBehavior<Object> {
        private final Finish finish;
        private final int creatures;
        private int meetingsLeft;
        private Meet waiting;
        private int reported;
        private long sum;

        Mall(ActorContext<Object> ctx, Finish finish, int creatures, int meetings) {
            super(ctx);
            this.finish = finish;
            this.creatures = creatures;
            this.meetingsLeft = meetings;
            for (int i = 0; i < creatures; i++) {
                Colour c = Colour.of(i);
                ctx.spawnAnonymous(Behaviors.setup(cc -> new Creature(cc, ctx.getSelf(), c)));
            }
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Meet.class, m -> {
                        if (meetingsLeft == 0) {
                            m.from().tell(Exit.INSTANCE);
                        } else if (waiting == null) {
                            waiting = m;
                        } else {
                            meetingsLeft--;
                            m.from().tell(waiting);
                            waiting = null;
                        }
                        return this;
                    })
                    .onMessage(Meetings.class, m -> {
                        sum += m.count();
                        if (++reported == creatures) {
                            finish.finish(sum);
                            return Behaviors.stopped();
                        }
                        return this;
                    })
                    .build();
        }
    }

    private static final class Creature extends AbstractBehavior<Object> {
        private final ActorRef<Object> mall;
        private Colour colour;
        private long meetings;

        Creature(ActorContext<Object> ctx, ActorRef<Object> mall, Colour colour) {
            super(ctx);
            this.mall = mall;
            this.colour = colour;
            mall.tell(new Meet(ctx.getSelf(), colour));
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Meet.class, other -> {
                        colour = colour.complement(other.colour());
                        meetings++;
                        other.from().tell(new Change(colour));
                        mall.tell(new Meet(getContext().getSelf(), colour));
                        return this;
                    })
                    .onMessage(Change.class, c -> {
                        colour = c.colour();
                        meetings++;
                        mall.tell(new Meet(getContext().getSelf(), colour));
                        return this;
                    })
                    .onMessage(Exit.class, e -> {
                        mall.tell(new Meetings(meetings));
                        return Behaviors.stopped();
                    })
                    .build();
        }
    }

    // ---------------------------------------------------------------------------------------
    // big

    record Neighbours(List<ActorRef<Object>> all) {
    }

    record BigPing(ActorRef<Object> from) {
    }

    enum BigPong { INSTANCE }

    @Override
    public Timed big(int actors, int pingsEach) throws Exception {
        return runRoot(finish -> Behaviors.setup(ctx -> {
            List<ActorRef<Object>> all = new ArrayList<>(actors);
            for (int i = 0; i < actors; i++) {
                int index = i;
                all.add(ctx.spawnAnonymous(Behaviors.setup(c -> new BigActor(c, index, pingsEach, ctx.getSelf()))));
            }
            Neighbours neighbours = new Neighbours(List.copyOf(all));
            for (ActorRef<Object> a : all) {
                a.tell(neighbours);
            }
            return collector(finish, actors);
        }));
    }

    private static final class BigActor extends AbstractBehavior<Object> {
        private final int index;
        private final int pings;
        private final ActorRef<Object> sink;
        private final SplittableRandom random;
        private final BigPing ping;
        private List<ActorRef<Object>> all;
        private long pongs;

        BigActor(ActorContext<Object> ctx, int index, int pings, ActorRef<Object> sink) {
            super(ctx);
            this.index = index;
            this.pings = pings;
            this.sink = sink;
            this.random = new SplittableRandom(index);
            this.ping = new BigPing(ctx.getSelf());
        }

        private void pingSomeone() {
            int other = random.nextInt(all.size() - 1);
            all.get(other >= index ? other + 1 : other).tell(ping);
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder()
                    .onMessage(BigPing.class, p -> {
                        p.from().tell(BigPong.INSTANCE);
                        return this;
                    })
                    .onMessage(BigPong.class, p -> {
                        if (++pongs == pings) {
                            sink.tell(new Done(pongs, 0));
                        } else {
                            pingSomeone();
                        }
                        return this;
                    })
                    .onMessage(Neighbours.class, n -> {
                        all = n.all();
                        pingSomeone();
                        return this;
                    })
                    .build();
        }
    }

    // ---------------------------------------------------------------------------------------
    // spawn-exit, call-rtt, idle-bytes

    @Override
    public Timed spawnExit(int actors) throws Exception {
        return runRoot(finish -> Behaviors.setup(ctx -> {
            Behavior<Object> endsAtOnce = Behaviors.setup(c -> Behaviors.stopped());
            for (int i = 0; i < actors; i++) {
                ctx.watch(ctx.spawnAnonymous(endsAtOnce));
            }
            long[] ended = new long[1];
            return Behaviors.receive(Object.class).onSignal(Terminated.class, t -> {
                if (++ended[0] == actors) {
                    finish.finish(ended[0]);
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            }).build();
        }));
    }

    record Request(ActorRef<Object> replyTo) {
    }

    enum Reply { INSTANCE }

    @Override
    public long callRtt(int calls, Histogram latencies) throws Exception {
        return runRoot(finish -> Behaviors.setup(ctx -> new Client(ctx, finish, calls, latencies))).value();
    }

    /** The client, the root: one request at a time, each timed from before it to after its reply. */
    private static final class Client extends AbstractBehavior<Object> {
        private final Finish finish;
        private final int calls;
        private final Histogram latencies;
        private final ActorRef<Object> server;
        private final Request request;
        private long sentAt;
        private long replies;

        Client(ActorContext<Object> ctx, Finish finish, int calls, Histogram latencies) {
            super(ctx);
            this.finish = finish;
            this.calls = calls;
            this.latencies = latencies;
            this.server = ctx.spawnAnonymous(Behaviors.receiveMessage(m -> {
                ((Request) m).replyTo().tell(Reply.INSTANCE);
                return Behaviors.same();
            }));
            this.request = new Request(ctx.getSelf());
            sentAt = System.nanoTime();
            server.tell(request);
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder().onMessage(Reply.class, r -> {
                latencies.recordValue(System.nanoTime() - sentAt);
                if (++replies == calls) {
                    finish.finish(replies);
                    return Behaviors.stopped();
                }
                sentAt = System.nanoTime();
                server.tell(request);
                return this;
            }).build();
        }
    }

    enum Release { INSTANCE }

    @Override
    public IdleActors idle(int actors) {
        return new IdleActors() {
            private final CountDownLatch started = new CountDownLatch(actors);
            private final Behavior<Object> idle = Behaviors.setup(c -> {
                started.countDown();
                return Behaviors.ignore();
            });
            private final Finish finish = new Finish();
            private ActorRef<Object> root;

            @Override
            public void start(Duration timeout) throws Exception {
                root = system().systemActorOf(Behaviors.setup(ctx -> {
                    for (int i = 0; i < actors; i++) {
                        ctx.spawnAnonymous(idle);
                    }
                    return Behaviors.receive(Object.class)
                            .onMessage(Release.class, r -> Behaviors.stopped())
                            .onSignal(PostStop.class, s -> {
                                finish.finish(actors);
                                return Behaviors.same();
                            })
                            .build();
                }), "bench-" + roots.incrementAndGet(), Props.empty());
                if (!started.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new TimeoutException(started.getCount() + " of " + actors + " actors had not started");
                }
            }

            @Override
            public long release(Duration timeout) throws Exception {
                if (root == null) {
                    return 0;
                }
                root.tell(Release.INSTANCE);
                return finish.await().value();
            }
        };
    }

    @Override
    public void abandon() {
        close();
    }

    @Override
    public void close() {
        ActorSystem<Void> sys;
        synchronized (this) {
            sys = system;
            system = null;
        }
        if (sys != null) {
            sys.terminate();
            try {
                sys.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a system that does not stop in time is left to its daemon threads
            }
        }
    }
}
