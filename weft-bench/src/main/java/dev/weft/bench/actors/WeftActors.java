package dev.weft.bench.actors;

import dev.weft.actor.Actor;
import dev.weft.actor.Call;
import dev.weft.actor.Handler;
import dev.weft.actor.Outcome;
import dev.weft.actor.Pid;
import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import dev.weft.task.CheckedRunnable;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workloads on weft's actors, in one {@link Weft} runtime with as many workers as the
 * suite's parallelism, each workload one {@link Weft#run} (which returns once every actor of
 * the workload has ended). Two implementations by the style of the workload's actors:
 * <ul>
 *   <li>{@code weft-proc}: process actors, each a body looping on {@link Actor#receive()};</li>
 *   <li>{@code weft-handler}: handler actors ({@link Handler}), {@link Actor#DEFAULT_THROUGHPUT}
 *       messages per batch, started by a message where Pekko's would start in its setup.</li>
 * </ul>
 * The root of each run is a process actor (what {@code Weft.run} runs): it spawns the workload
 * and, where the workload's actors do not end by themselves (thread-ring, big, idle-bytes), waits
 * for the result and stops them. In call-rtt the client is the root, a process actor in both
 * (only a process actor may {@link Actor#call}); the server is a process or a handler actor.
 * spawn-exit's time runs to the end of {@code Weft.run}, so to the end of the last actor.
 */
final class WeftActors implements ActorImpl {

    /** The impl name of process actors. */
    static final String PROC = "weft-proc";
    /** The impl name of handler actors. */
    static final String HANDLER = "weft-handler";

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final int workers;
    private final boolean handlers;
    private Weft runtime; // guarded by this

    /** Process actors, or handler actors if {@code handlers}. */
    WeftActors(int workers, boolean handlers) {
        this.workers = workers;
        this.handlers = handlers;
    }

    @Override
    public String name() {
        return handlers ? HANDLER : PROC;
    }

    @Override
    public String configuration() {
        return (handlers ? "handler actors, " + Actor.DEFAULT_THROUGHPUT + " messages per batch (the default)"
                : "process actors looping on receive") + ", one runtime of " + workers + " workers (Config defaults"
                + " otherwise)";
    }

    /** The runtime, started on first use (and again after {@link #abandon()}). */
    synchronized Weft runtime() {
        if (runtime == null) {
            runtime = Weft.start(Config.builder().workers(workers).threadNamePrefix("weft-bench-actors").build());
        }
        return runtime;
    }

    /** The root actor of a workload, given the workload's {@link Finish}. */
    @FunctionalInterface
    private interface Root {
        void run(Finish finish) throws Exception;
    }

    /** Runs {@code root} with {@link Weft#run}; the workload must have finished when every actor has ended. */
    private Timed inRun(Root root) throws Exception {
        Finish finish = new Finish();
        Outcome o = runtime().run(() -> root.run(finish));
        check(o);
        if (!finish.isDone()) {
            throw new IllegalStateException("every actor ended and the workload had not finished");
        }
        return finish.await();
    }

    private static void check(Outcome o) throws ExecutionException {
        switch (o) {
            case Outcome.Exit e -> {
            }
            case Outcome.Failed f -> throw new ExecutionException("the root actor failed", f.cause());
            case Outcome.Killed k -> throw new IllegalStateException("the root actor was killed: " + k.reason());
        }
    }

    /** Messages without content. */
    enum Signal { START, STOP, INCREMENT, WORK, PONG, EXIT, RELEASE, REPLY }

    record Ping(Pid from) {
    }

    record Pong(long count) {
    }

    record Retrieve(Pid replyTo) {
    }

    record Count(long count) {
    }

    record Done(long messages, long sum) {
    }

    record SetNext(Pid next) {
    }

    record Token(int hopsLeft) {
    }

    record RingDone(int index) {
    }

    record Meet(Pid from, Colour colour) {
    }

    record Change(Colour colour) {
    }

    record Meetings(long count) {
    }

    record Neighbours(Pid[] all) {
    }

    // ---------------------------------------------------------------------------------------
    // ping-pong

    @Override
    public Timed pingPong(int roundTrips) throws Exception {
        return inRun(finish -> {
            if (handlers) {
                Pid pong = Actor.spawn(new PongHandler());
                Actor.send(Actor.spawn(new PingHandler(pong, roundTrips, finish)), Signal.START);
            } else {
                Pid pong = Actor.spawn(WeftActors::pongLoop);
                Actor.spawn(() -> pingLoop(pong, roundTrips, finish));
            }
        });
    }

    private static void pongLoop() {
        long count = 0;
        while (Actor.receive() instanceof Ping p) {
            Actor.send(p.from(), new Pong(++count));
        }
    }

    private static void pingLoop(Pid pong, int roundTrips, Finish finish) {
        Ping ping = new Ping(Actor.self());
        long last = 0;
        for (long i = 1; i <= roundTrips; i++) {
            Actor.send(pong, ping);
            last = ((Pong) Actor.receive()).count();
            if (last != i) {
                throw wrongPong(finish, last, i);
            }
        }
        Actor.send(pong, Signal.STOP);
        finish.finish(roundTrips + last);
    }

    private static IllegalStateException wrongPong(Finish finish, long count, long roundTrip) {
        IllegalStateException e = new IllegalStateException("pong said " + count + " at round trip " + roundTrip);
        finish.fail(e);
        return e;
    }

    private static final class PongHandler implements Handler<Object> {
        private long count;

        @Override
        public void handle(Object m) {
            if (m instanceof Ping p) {
                Actor.send(p.from(), new Pong(++count));
            } else {
                Actor.stop();
            }
        }
    }

    private static final class PingHandler implements Handler<Object> {
        private final Pid pong;
        private final int roundTrips;
        private final Finish finish;
        private Ping ping;
        private long received;

        PingHandler(Pid pong, int roundTrips, Finish finish) {
            this.pong = pong;
            this.roundTrips = roundTrips;
            this.finish = finish;
        }

        @Override
        public void handle(Object m) {
            if (m == Signal.START) {
                ping = new Ping(Actor.self());
                Actor.send(pong, ping);
                return;
            }
            Pong p = (Pong) m;
            if (p.count() != ++received) {
                throw wrongPong(finish, p.count(), received);
            }
            if (received < roundTrips) {
                Actor.send(pong, ping);
                return;
            }
            Actor.send(pong, Signal.STOP);
            finish.finish(received + p.count());
            Actor.stop();
        }
    }

    // ---------------------------------------------------------------------------------------
    // counting

    @Override
    public Timed counting(int messages) throws Exception {
        return inRun(finish -> {
            if (handlers) {
                Pid counter = Actor.spawn(new CounterHandler());
                Actor.send(Actor.spawn(new ProducerHandler(counter, messages, finish)), Signal.START);
            } else {
                Pid counter = Actor.spawn(WeftActors::counterLoop);
                Actor.spawn(() -> {
                    for (int i = 0; i < messages; i++) {
                        Actor.send(counter, Signal.INCREMENT);
                    }
                    Actor.send(counter, new Retrieve(Actor.self()));
                    finish.finish(((Count) Actor.receive()).count());
                });
            }
        });
    }

    private static void counterLoop() {
        long count = 0;
        for (;;) {
            Object m = Actor.receive();
            if (m == Signal.INCREMENT) {
                count++;
            } else {
                Actor.send(((Retrieve) m).replyTo(), new Count(count));
                return;
            }
        }
    }

    private static final class CounterHandler implements Handler<Object> {
        private long count;

        @Override
        public void handle(Object m) {
            if (m == Signal.INCREMENT) {
                count++;
            } else {
                Actor.send(((Retrieve) m).replyTo(), new Count(count));
                Actor.stop();
            }
        }
    }

    private record ProducerHandler(Pid counter, int messages, Finish finish) implements Handler<Object> {
        @Override
        public void handle(Object m) {
            if (m == Signal.START) {
                for (int i = 0; i < messages; i++) {
                    Actor.send(counter, Signal.INCREMENT);
                }
                Actor.send(counter, new Retrieve(Actor.self()));
            } else {
                finish.finish(((Count) m).count());
                Actor.stop();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // fj-throughput, fj-create

    /** Spawns the collector of {@code reports} reports, which finishes with the messages handled. */
    private Pid collector(int reports, Finish finish) {
        if (handlers) {
            return Actor.spawn(new CollectorHandler(reports, finish));
        }
        return Actor.spawn(() -> {
            long messages = 0;
            long sum = 0;
            for (int i = 0; i < reports; i++) {
                Done d = (Done) Actor.receive();
                messages += d.messages();
                sum += d.sum();
            }
            SavinaWork.sink = sum;
            finish.finish(messages);
        });
    }

    private static final class CollectorHandler implements Handler<Object> {
        private final int reports;
        private final Finish finish;
        private int received;
        private long messages;
        private long sum;

        CollectorHandler(int reports, Finish finish) {
            this.reports = reports;
            this.finish = finish;
        }

        @Override
        public void handle(Object m) {
            Done d = (Done) m;
            messages += d.messages();
            sum += d.sum();
            if (++received == reports) {
                SavinaWork.sink = sum;
                finish.finish(messages);
                Actor.stop();
            }
        }
    }

    @Override
    public Timed fjThroughput(int actors, int messagesEach) throws Exception {
        return inRun(finish -> {
            Pid collector = collector(actors, finish);
            Pid[] workers = new Pid[actors];
            for (int k = 0; k < actors; k++) {
                workers[k] = handlers ? Actor.spawn(new FjHandler(collector, messagesEach))
                        : Actor.spawn(() -> fjLoop(collector, messagesEach));
            }
            for (int i = 0; i < messagesEach; i++) {
                for (Pid w : workers) {
                    Actor.send(w, Signal.WORK);
                }
            }
        });
    }

    @Override
    public Timed fjCreate(int actors) throws Exception {
        return inRun(finish -> {
            Pid collector = collector(actors, finish);
            if (handlers) {
                Handler<Object> once = m -> {
                    Actor.send(collector, new Done(1, SavinaWork.step(0)));
                    Actor.stop();
                };
                for (int k = 0; k < actors; k++) {
                    Actor.send(Actor.spawn(once), Signal.WORK);
                }
            } else {
                CheckedRunnable once = () -> fjLoop(collector, 1);
                for (int k = 0; k < actors; k++) {
                    Actor.send(Actor.spawn(once), Signal.WORK);
                }
            }
        });
    }

    private static void fjLoop(Pid collector, int messages) {
        long sum = 0;
        for (int i = 0; i < messages; i++) {
            Actor.receive();
            sum += SavinaWork.step(i);
        }
        Actor.send(collector, new Done(messages, sum));
    }

    private static final class FjHandler implements Handler<Object> {
        private final Pid collector;
        private final int messages;
        private long handled;
        private long sum;

        FjHandler(Pid collector, int messages) {
            this.collector = collector;
            this.messages = messages;
        }

        @Override
        public void handle(Object m) {
            sum += SavinaWork.step(handled++);
            if (handled == messages) {
                Actor.send(collector, new Done(handled, sum));
                Actor.stop();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // thread-ring

    @Override
    public Timed threadRing(int actors, int hops) throws Exception {
        return inRun(finish -> {
            Pid root = Actor.self();
            Pid[] ring = new Pid[actors];
            for (int i = 0; i < actors; i++) {
                int index = i;
                ring[i] = handlers ? Actor.spawn(new RingHandler(index, root)) : Actor.spawn(() -> ringLoop(index, root));
            }
            for (int i = 0; i < actors; i++) {
                Actor.send(ring[i], new SetNext(ring[(i + 1) % actors]));
            }
            Actor.send(ring[0], new Token(hops));
            RingDone done = (RingDone) Actor.receive();
            finish.finish((long) hops + done.index());
            stopAll(ring);
        });
    }

    private static void stopAll(Pid[] pids) {
        for (Pid p : pids) {
            Actor.send(p, Signal.STOP);
        }
    }

    private static void ringLoop(int index, Pid root) {
        Pid next = ((SetNext) Actor.receive()).next();
        while (Actor.receive() instanceof Token t) {
            if (t.hopsLeft() == 0) {
                Actor.send(root, new RingDone(index));
            } else {
                Actor.send(next, new Token(t.hopsLeft() - 1));
            }
        }
    }

    private static final class RingHandler implements Handler<Object> {
        private final int index;
        private final Pid root;
        private Pid next;

        RingHandler(int index, Pid root) {
            this.index = index;
            this.root = root;
        }

        @Override
        public void handle(Object m) {
            switch (m) {
                case Token t when t.hopsLeft() == 0 -> Actor.send(root, new RingDone(index));
                case Token t -> Actor.send(next, new Token(t.hopsLeft() - 1));
                case SetNext s -> next = s.next();
                default -> Actor.stop();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // chameneos

    @Override
    public Timed chameneos(int creatures, int meetings) throws Exception {
        return inRun(finish -> {
            if (handlers) {
                Actor.send(Actor.spawn(new MallHandler(creatures, meetings, finish)), Signal.START);
            } else {
                Actor.spawn(() -> mallLoop(creatures, meetings, finish));
            }
        });
    }

    private static void mallLoop(int creatures, int meetings, Finish finish) {
        Pid mall = Actor.self();
        for (int i = 0; i < creatures; i++) {
            Colour c = Colour.of(i);
            Actor.spawn(() -> creatureLoop(mall, c));
        }
        int meetingsLeft = meetings;
        Meet waiting = null;
        int reported = 0;
        long sum = 0;
        while (reported < creatures) {
            Object message = Actor.receive();
            if (message instanceof Meet m) {
                if (meetingsLeft == 0) {
                    Actor.send(m.from(), Signal.EXIT);
                } else if (waiting == null) {
                    waiting = m;
                } else {
                    meetingsLeft--;
                    Actor.send(m.from(), waiting);
                    waiting = null;
                }
            } else {
                sum += ((Meetings) message).count();
                reported++;
            }
        }
        finish.finish(sum);
    }

    private static void creatureLoop(Pid mall, Colour start) {
        Pid self = Actor.self();
        Colour colour = start;
        long meetings = 0;
        Actor.send(mall, new Meet(self, colour));
        for (;;) {
            switch (Actor.receive()) {
                case Meet other -> {
                    colour = colour.complement(other.colour());
                    meetings++;
                    Actor.send(other.from(), new Change(colour));
                    Actor.send(mall, new Meet(self, colour));
                }
                case Change c -> {
                    colour = c.colour();
                    meetings++;
                    Actor.send(mall, new Meet(self, colour));
                }
                default -> {
                    Actor.send(mall, new Meetings(meetings));
                    return;
                }
            }
        }
    }

    private static final class MallHandler implements Handler<Object> {
        private final int creatures;
        private final Finish finish;
        private int meetingsLeft;
        private Meet waiting;
        private int reported;
        private long sum;

        MallHandler(int creatures, int meetings, Finish finish) {
            this.creatures = creatures;
            this.meetingsLeft = meetings;
            this.finish = finish;
        }

        @Override
        public void handle(Object message) {
            switch (message) {
                case Meet m when meetingsLeft == 0 -> Actor.send(m.from(), Signal.EXIT);
                case Meet m when waiting == null -> waiting = m;
                case Meet m -> {
                    meetingsLeft--;
                    Actor.send(m.from(), waiting);
                    waiting = null;
                }
                case Meetings m -> {
                    sum += m.count();
                    if (++reported == creatures) {
                        finish.finish(sum);
                        Actor.stop();
                    }
                }
                default -> {
                    Pid mall = Actor.self();
                    for (int i = 0; i < creatures; i++) {
                        Actor.send(Actor.spawn(new CreatureHandler(mall, Colour.of(i))), Signal.START);
                    }
                }
            }
        }
    }

    private static final class CreatureHandler implements Handler<Object> {
        private final Pid mall;
        private Colour colour;
        private long meetings;

        CreatureHandler(Pid mall, Colour colour) {
            this.mall = mall;
            this.colour = colour;
        }

        @Override
        public void handle(Object message) {
            switch (message) {
                case Meet other -> {
                    colour = colour.complement(other.colour());
                    meetings++;
                    Actor.send(other.from(), new Change(colour));
                    Actor.send(mall, new Meet(Actor.self(), colour));
                }
                case Change c -> {
                    colour = c.colour();
                    meetings++;
                    Actor.send(mall, new Meet(Actor.self(), colour));
                }
                case Signal s when s == Signal.START -> Actor.send(mall, new Meet(Actor.self(), colour));
                default -> {
                    Actor.send(mall, new Meetings(meetings));
                    Actor.stop();
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // big

    @Override
    public Timed big(int actors, int pingsEach) throws Exception {
        return inRun(finish -> {
            Pid sink = Actor.self();
            Pid[] all = new Pid[actors];
            for (int i = 0; i < actors; i++) {
                int index = i;
                all[i] = handlers ? Actor.spawn(new BigHandler(index, pingsEach, sink))
                        : Actor.spawn(() -> bigLoop(index, pingsEach, sink));
            }
            Neighbours neighbours = new Neighbours(all);
            for (Pid p : all) {
                Actor.send(p, neighbours);
            }
            long pongs = 0;
            for (int i = 0; i < actors; i++) {
                pongs += ((Done) Actor.receive()).messages();
            }
            finish.finish(pongs);
            stopAll(all);
        });
    }

    /** Where actor {@code index} of {@code all} sends its next ping: a random other actor. */
    private static Pid someoneElse(Pid[] all, int index, SplittableRandom random) {
        int other = random.nextInt(all.length - 1);
        return all[other >= index ? other + 1 : other];
    }

    private static void bigLoop(int index, int pings, Pid sink) {
        SplittableRandom random = new SplittableRandom(index);
        Ping ping = new Ping(Actor.self());
        Pid[] all = ((Neighbours) Actor.receive()).all();
        Actor.send(someoneElse(all, index, random), ping);
        long pongs = 0;
        for (;;) {
            Object m = Actor.receive();
            if (m instanceof Ping p) {
                Actor.send(p.from(), Signal.PONG);
            } else if (m == Signal.PONG) {
                if (++pongs == pings) {
                    Actor.send(sink, new Done(pongs, 0));
                } else {
                    Actor.send(someoneElse(all, index, random), ping);
                }
            } else {
                return;
            }
        }
    }

    private static final class BigHandler implements Handler<Object> {
        private final int index;
        private final int pings;
        private final Pid sink;
        private final SplittableRandom random;
        private Ping ping;
        private Pid[] all;
        private long pongs;

        BigHandler(int index, int pings, Pid sink) {
            this.index = index;
            this.pings = pings;
            this.sink = sink;
            this.random = new SplittableRandom(index);
        }

        @Override
        public void handle(Object m) {
            if (m instanceof Ping p) {
                Actor.send(p.from(), Signal.PONG);
            } else if (m == Signal.PONG) {
                if (++pongs == pings) {
                    Actor.send(sink, new Done(pongs, 0));
                } else {
                    Actor.send(someoneElse(all, index, random), ping);
                }
            } else if (m instanceof Neighbours n) {
                all = n.all();
                ping = new Ping(Actor.self());
                Actor.send(someoneElse(all, index, random), ping);
            } else {
                Actor.stop();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // spawn-exit, call-rtt, idle-bytes

    private static final CheckedRunnable ENDS_AT_ONCE = () -> {
    };
    private static final Handler<Object> STOPS_AT_ONCE = m -> Actor.stop();

    @Override
    public Timed spawnExit(int actors) throws Exception {
        Finish finish = new Finish();
        Outcome o = runtime().run(() -> {
            for (int i = 0; i < actors; i++) {
                if (handlers) {
                    Actor.send(Actor.spawn(STOPS_AT_ONCE), Signal.STOP);
                } else {
                    Actor.spawn(ENDS_AT_ONCE);
                }
            }
        });
        check(o);
        finish.finish(actors); // Weft.run returned: every actor has ended
        return finish.await();
    }

    @Override
    public long callRtt(int calls, Histogram latencies) throws Exception {
        Timed t = inRun(finish -> {
            Pid server = handlers ? Actor.spawn((Handler<Object>) m -> {
                if (m instanceof Call c) {
                    Actor.reply(c, Signal.REPLY);
                } else {
                    Actor.stop();
                }
            }) : Actor.spawn(WeftActors::serverLoop);
            long replies = 0;
            for (int i = 0; i < calls; i++) {
                long sent = System.nanoTime();
                Object reply = Actor.call(server, Signal.START, CALL_TIMEOUT);
                latencies.recordValue(System.nanoTime() - sent);
                if (reply == Signal.REPLY) {
                    replies++;
                }
            }
            Actor.send(server, Signal.STOP);
            finish.finish(replies);
        });
        return t.value();
    }

    private static void serverLoop() {
        while (Actor.receive() instanceof Call c) {
            Actor.reply(c, Signal.REPLY);
        }
    }

    @Override
    public IdleActors idle(int actors) {
        return new WeftIdle(actors);
    }

    /** Idle actors spawned by one root, which stops them all when released. */
    private final class WeftIdle implements IdleActors {
        private final int actors;
        private final Pid[] pids;
        private final CountDownLatch idle;
        private final CheckedRunnable waits;
        private final AtomicReference<Pid> root = new AtomicReference<>();
        private final AtomicReference<Object> ended = new AtomicReference<>();
        private final CountDownLatch done = new CountDownLatch(1);

        WeftIdle(int actors) {
            this.actors = actors;
            this.pids = new Pid[actors];
            this.idle = new CountDownLatch(actors);
            // one body for all: a lambda per actor would be counted as the actor's memory
            this.waits = () -> {
                idle.countDown();
                Actor.receive();
            };
        }

        @Override
        public void start(Duration timeout) throws Exception {
            Weft rt = runtime();
            Thread.ofPlatform().name("weft-bench-actors-idle").daemon(true).start(() -> {
                try {
                    Outcome o = rt.run(() -> {
                        for (int i = 0; i < actors; i++) {
                            pids[i] = handlers ? Actor.spawn(STOPS_AT_ONCE) : Actor.spawn(waits);
                            if (handlers) {
                                idle.countDown(); // an unmessaged handler actor is idle once spawned
                            }
                        }
                        root.set(Actor.self());
                        Actor.receive(); // the release
                        stopAll(pids);
                        return (long) actors;
                    });
                    ended.set(o);
                } catch (Throwable e) {
                    ended.set(e);
                } finally {
                    done.countDown();
                }
            });
            if (!idle.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException(idle.getCount() + " of " + actors + " actors were not idle yet");
            }
            while (root.get() == null) {
                if (done.await(1, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the root ended before the release: " + ended.get());
                }
            }
        }

        @Override
        public long release(Duration timeout) throws Exception {
            Pid r = root.get();
            if (r == null) {
                return 0;
            }
            Actor.send(r, Signal.RELEASE);
            if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("the idle actors had not all ended " + timeout.toSeconds()
                        + " s after the release");
            }
            return switch (ended.get()) {
                case Outcome.Exit(Long n) -> n;
                case Outcome o -> {
                    check(o);
                    throw new IllegalStateException("the root ended with " + o);
                }
                case Throwable e -> throw new ExecutionException("the idle actors' run failed", e);
                default -> throw new IllegalStateException("the root ended with " + ended.get());
            };
        }
    }

    @Override
    public void abandon() {
        Weft rt;
        synchronized (this) {
            rt = runtime;
            runtime = null;
        }
        if (rt != null) {
            rt.shutdownNow(); // kills every actor, does not wait
        }
    }

    @Override
    public void close() {
        Weft rt;
        synchronized (this) {
            rt = runtime;
            runtime = null;
        }
        if (rt != null) {
            try {
                rt.shutdown(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
