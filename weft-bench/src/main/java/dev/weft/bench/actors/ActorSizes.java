package dev.weft.bench.actors;

import java.util.Locale;

/**
 * The size of one measurement of each case: the same for every implementation.
 *
 * @param pingPongRoundTrips ping-pong's round trips
 * @param countingMessages   counting's increments
 * @param fjActors           fj-throughput's actors
 * @param fjMessagesEach     fj-throughput's messages per actor
 * @param fjCreateActors     fj-create's actors
 * @param ringActors         thread-ring's actors
 * @param ringHops           thread-ring's hops
 * @param chameneosCreatures chameneos' creatures
 * @param chameneosMeetings  chameneos' meetings
 * @param bigActors          big's actors
 * @param bigPingsEach       big's pings per actor
 * @param idleActors         actors held idle in idle-bytes
 * @param spawnExitActors    actors spawned in spawn-exit
 * @param calls              request-reply round trips per call-rtt measurement
 */
public record ActorSizes(int pingPongRoundTrips, int countingMessages, int fjActors, int fjMessagesEach,
                         int fjCreateActors, int ringActors, int ringHops, int chameneosCreatures,
                         int chameneosMeetings, int bigActors, int bigPingsEach, int idleActors,
                         int spawnExitActors, int calls) {

    /**
     * The sizes: 10^6 ping-pong round trips and increments, a ring of 503 and 10^7 hops,
     * idle-bytes at 10^6 actors. spawn-exit spawns 10^5: Pekko ends them at tens of thousands a
     * second, and the same count runs on every implementation.
     */
    public static final ActorSizes FULL = new ActorSizes(1_000_000, 1_000_000, 60, 10_000, 100_000,
            503, 10_000_000, 100, 200_000, 120, 20_000, 1_000_000, 100_000, 100_000);

    /** For {@code --quick}: a tenth of {@link #FULL} or less (a thirtieth of the hops, a twentieth of the idle actors). */
    public static final ActorSizes QUICK = new ActorSizes(100_000, 100_000, 60, 1_000, 10_000,
            503, 300_000, 100, 20_000, 120, 1_000, 50_000, 10_000, 10_000);

    /** @throws IllegalArgumentException naming the value that is out of range */
    public ActorSizes {
        positive("pingPongRoundTrips", pingPongRoundTrips);
        positive("countingMessages", countingMessages);
        positive("fjActors", fjActors);
        positive("fjMessagesEach", fjMessagesEach);
        positive("fjCreateActors", fjCreateActors);
        positive("ringHops", ringHops);
        positive("chameneosMeetings", chameneosMeetings);
        positive("bigPingsEach", bigPingsEach);
        positive("idleActors", idleActors);
        positive("spawnExitActors", spawnExitActors);
        positive("calls", calls);
        if (ringActors < 2) {
            throw new IllegalArgumentException("ringActors must be >= 2, was " + ringActors);
        }
        if (chameneosCreatures < 2) {
            throw new IllegalArgumentException("chameneosCreatures must be >= 2 (they meet in pairs), was "
                    + chameneosCreatures);
        }
        if (bigActors < 2) {
            throw new IllegalArgumentException("bigActors must be >= 2 (each pings the others), was " + bigActors);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
    }

    /** One line listing every size, for the report's header. */
    public String describe() {
        return String.format(Locale.ROOT, "ping-pong %,d round trips; counting %,d; fj-throughput %d actors x %,d"
                        + " messages; fj-create %,d actors; thread-ring %d actors, %,d hops; chameneos %d creatures,"
                        + " %,d meetings; big %d actors x %,d pings; idle-bytes %,d actors; spawn-exit %,d actors;"
                        + " call-rtt %,d calls",
                pingPongRoundTrips, countingMessages, fjActors, fjMessagesEach, fjCreateActors, ringActors,
                ringHops, chameneosCreatures, chameneosMeetings, bigActors, bigPingsEach, idleActors,
                spawnExitActors, calls);
    }
}
