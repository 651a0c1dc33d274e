package dev.weft.bench.actors;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Optional;

/**
 * An implementation that returns every expected value at once, without actors, each workload
 * "taking" {@code nanos}: the suite's bookkeeping under test, not an actor runtime.
 */
class ComputedActors implements ActorImpl {
    final String name;
    final String impl;
    final long nanos;
    volatile boolean abandoned;

    ComputedActors(String name) {
        this(name, name, 1_000_000);
    }

    ComputedActors(String name, String impl, long nanos) {
        this.name = name;
        this.impl = impl;
        this.nanos = nanos;
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
        return "computed";
    }

    private Timed timed(long value) {
        return new Timed(value, nanos);
    }

    @Override
    public Timed pingPong(int roundTrips) throws Exception {
        return timed(2L * roundTrips);
    }

    @Override
    public Timed counting(int messages) throws Exception {
        return timed(messages);
    }

    @Override
    public Timed fjThroughput(int actors, int messagesEach) throws Exception {
        return timed((long) actors * messagesEach);
    }

    @Override
    public Timed fjCreate(int actors) throws Exception {
        return timed(actors);
    }

    @Override
    public Timed threadRing(int actors, int hops) throws Exception {
        return timed((long) hops + hops % actors);
    }

    @Override
    public Timed chameneos(int creatures, int meetings) throws Exception {
        return timed(2L * meetings);
    }

    @Override
    public Timed big(int actors, int pingsEach) throws Exception {
        return timed((long) actors * pingsEach);
    }

    @Override
    public Timed spawnExit(int actors) throws Exception {
        return timed(actors);
    }

    @Override
    public long callRtt(int calls, Histogram latencies) throws Exception {
        for (int i = 0; i < calls; i++) {
            latencies.recordValue(nanos);
        }
        return calls;
    }

    @Override
    public IdleActors idle(int actors) {
        return new IdleActors() {
            @Override
            public void start(Duration timeout) {
            }

            @Override
            public long release(Duration timeout) {
                return actors;
            }
        };
    }

    @Override
    public void abandon() {
        abandoned = true;
    }

    @Override
    public void close() {
    }

    /** As {@link ComputedActors}, running only ping-pong and thread-ring, like Erlang. */
    static class TwoCases extends ComputedActors {
        TwoCases(String name) {
            super(name);
        }

        @Override
        public Optional<String> unsupported(ActorCase c) {
            return c == ActorCase.PING_PONG || c == ActorCase.THREAD_RING ? Optional.empty()
                    : Optional.of("two cases only");
        }
    }
}
