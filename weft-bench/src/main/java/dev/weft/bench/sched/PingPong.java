package dev.weft.bench.sched;

/**
 * The two sides of ping-pong, run as two tasks by weft and by virtual threads alike: ping sends
 * 0, 1, ... through {@code toPong} and waits for each value plus one back through
 * {@code toPing}; pong answers each. Each returns the messages it received.
 */
final class PingPong {

    private PingPong() {
    }

    /**
     * Sends {@code roundTrips} values and checks every reply.
     *
     * @throws IllegalStateException if a reply is not the value sent plus one
     */
    static long ping(HandOff toPong, HandOff toPing, int roundTrips) {
        for (long i = 0; i < roundTrips; i++) {
            toPong.send(i);
            long reply = toPing.receive();
            if (reply != i + 1) {
                throw new IllegalStateException("ping sent " + i + " and got " + reply + " back");
            }
        }
        return roundTrips;
    }

    /** Answers {@code roundTrips} values, each with the value plus one. */
    static long pong(HandOff toPong, HandOff toPing, int roundTrips) {
        for (int i = 0; i < roundTrips; i++) {
            toPing.send(toPong.receive() + 1);
        }
        return roundTrips;
    }
}
