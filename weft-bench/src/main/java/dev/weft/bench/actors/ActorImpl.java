package dev.weft.bench.actors;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Optional;

/**
 * One implementation of the actors suite's workloads: weft's process actors, weft's handler
 * actors, Pekko Typed in one dispatcher configuration, or Erlang/OTP in a process of its own. Each
 * workload method spawns every actor it needs, runs the workload to its end, stops what it
 * spawned, and returns its result (for the suite to check) and its wall time.
 *
 * <p>The workloads, the same for every implementation (same actors, same messages, same counts):
 * <ul>
 *   <li>ping-pong: pong answers each ping with the number of pings it has had; ping checks it and
 *       sends the next. Returns the messages received, {@code 2 * roundTrips}.</li>
 *   <li>counting: a producer sends {@code messages} increments to a counter, then asks for the
 *       count and returns it.</li>
 *   <li>fj-throughput: a sender sends {@code messagesEach} messages to each of {@code actors}
 *       actors, round robin; each message costs {@link SavinaWork#step}; each actor reports when it
 *       has had all of its own. Returns the messages handled.</li>
 *   <li>fj-create: {@code actors} actors spawned, each sent one message, on which it does one
 *       {@link SavinaWork#step}, reports and ends. Returns the reports.</li>
 *   <li>thread-ring: actor 0 gets a token worth {@code hops}; an actor passes a token worth
 *       {@code k > 0} to the next as {@code k - 1}; the one that gets 0 reports its index. Returns
 *       {@code hops + index} (the index is {@code hops % actors}).</li>
 *   <li>chameneos: {@code creatures} creatures ask a mall to meet; the mall pairs the waiting one
 *       with the next, {@code meetings} times, forwarding the waiting one's request to the other,
 *       which changes colour and tells its partner; then the mall sends every asker an exit, each
 *       creature answers with its meetings, and the mall reports their sum,
 *       {@code 2 * meetings}.</li>
 *   <li>big: each of {@code actors} actors pings a random other actor (a per-actor seeded
 *       sequence) and, on each pong, the next, {@code pingsEach} times, answering every ping it gets
 *       with a pong meanwhile; each reports when done. Returns the pongs received.</li>
 *   <li>spawn-exit: {@code actors} actors that end at once. Returns how many ended.</li>
 * </ul>
 */
public interface ActorImpl extends AutoCloseable {

    /** Idle actors held for the idle-bytes case. */
    interface IdleActors {
        /**
         * Spawns every actor; returns once each has reached its idle state (a process actor
         * waiting in receive, a handler actor with an empty mailbox).
         *
         * @throws java.util.concurrent.TimeoutException if they were not all idle within {@code timeout}
         */
        void start(Duration timeout) throws Exception;

        /** Ends every actor; returns how many there were. */
        long release(Duration timeout) throws Exception;
    }

    /** The name this implementation is measured under; for a candidate of a tuned configuration, its own. */
    String name();

    /** The impl name in the report: {@code weft-proc}, {@code weft-handler}, {@code pekko}, {@code pekko-tuned}, {@code erlang}. */
    default String impl() {
        return name();
    }

    /** The configuration in a line, for the report. */
    String configuration();

    /** Whether the workloads run in this JVM (so that the suite collects its garbage before each). */
    default boolean inThisJvm() {
        return true;
    }

    /** Why this implementation cannot run {@code c}, if it cannot. */
    default Optional<String> unsupported(ActorCase c) {
        return Optional.empty();
    }

    Timed pingPong(int roundTrips) throws Exception;

    Timed counting(int messages) throws Exception;

    Timed fjThroughput(int actors, int messagesEach) throws Exception;

    Timed fjCreate(int actors) throws Exception;

    Timed threadRing(int actors, int hops) throws Exception;

    Timed chameneos(int creatures, int meetings) throws Exception;

    Timed big(int actors, int pingsEach) throws Exception;

    Timed spawnExit(int actors) throws Exception;

    /**
     * {@code calls} request-reply round trips between a client and a server actor, one at a
     * time, each recorded into {@code latencies} in nanoseconds (the client's clock, from before
     * the request to after the reply). Returns the replies received.
     */
    long callRtt(int calls, Histogram latencies) throws Exception;

    /** {@code actors} idle actors, not spawned yet. */
    IdleActors idle(int actors);

    /**
     * Gives up on a measurement that did not end in time: stops what it spawned (or the whole
     * runtime, started afresh on next use). Callable from any thread.
     */
    void abandon();

    /** Stops the runtime this implementation started. */
    @Override
    void close();
}
