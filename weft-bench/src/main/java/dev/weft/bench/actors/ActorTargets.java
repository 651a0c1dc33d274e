package dev.weft.bench.actors;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The targets the actors issue states, checked against a report. Reported, never tuned for.
 * <ul>
 *   <li>every Savina case: the faster weft style at least 2 times the best Pekko configuration
 *       (the faster of {@code pekko} and {@code pekko-tuned});</li>
 *   <li>thread-ring: the faster weft style at least 1.5 times Erlang;</li>
 *   <li>idle-bytes: an idle handler actor at most 256 B, an idle process actor at most 1.2 KB;</li>
 *   <li>spawn-exit: the faster weft style at least 2 * 10^6 actors/s.</li>
 * </ul>
 * Each line names the implementations it compares.
 */
public final class ActorTargets {

    static final double PEKKO_FACTOR = 2.0;
    static final double ERLANG_FACTOR = 1.5;
    static final double HANDLER_BYTES = 256;
    static final double PROC_BYTES = 1_200;
    static final double SPAWN_EXIT_RATE = 2e6;

    static final List<String> WEFT = List.of(WeftActors.PROC, WeftActors.HANDLER);
    static final List<String> PEKKO = List.of(PekkoActors.DEFAULT, PekkoActors.TUNED);

    private static final String TPUT = ActorCase.THROUGHPUT_METRIC;

    private ActorTargets() {
    }

    /** The target lines, ending with a newline. */
    public static String render(SuiteReport report) {
        TargetLines t = new TargetLines(report);
        for (ActorCase c : ActorCase.of(ActorCase.Kind.SAVINA)) {
            Optional<Result> weft = best(t, c, WEFT);
            Optional<Result> pekko = best(t, c, PEKKO);
            t.ratio(c.id() + ": faster weft style >= 2x best pekko (" + names(weft, pekko) + ")", weft, pekko,
                    PEKKO_FACTOR);
        }
        Optional<Result> ring = best(t, ActorCase.THREAD_RING, WEFT);
        Optional<Result> erlang = t.find(ActorCase.THREAD_RING.id(), ErlangActors.NAME, TPUT);
        t.ratio("thread-ring: faster weft style >= 1.5x erlang (" + names(ring, erlang) + ")", ring, erlang,
                ERLANG_FACTOR);
        t.atMost("idle-bytes: an idle weft-handler actor <= 256 B",
                t.find(ActorCase.IDLE_BYTES.id(), WeftActors.HANDLER, ActorCase.BYTES), HANDLER_BYTES);
        t.atMost("idle-bytes: an idle weft-proc actor <= 1.2 KB",
                t.find(ActorCase.IDLE_BYTES.id(), WeftActors.PROC, ActorCase.BYTES), PROC_BYTES);
        Optional<Result> spawn = best(t, ActorCase.SPAWN_EXIT, WEFT);
        t.atLeast("spawn-exit: faster weft style >= 2x10^6 actors/s (" + spawn.map(Result::impl).orElse("-") + ")",
                spawn, SPAWN_EXIT_RATE);
        return t.render();
    }

    /** The best throughput of case {@code c} among {@code impls}, if any was measured. */
    private static Optional<Result> best(TargetLines t, ActorCase c, List<String> impls) {
        return impls.stream().map(i -> t.find(c.id(), i, TPUT)).flatMap(Optional::stream)
                .max(Comparator.comparingDouble(Result::value));
    }

    private static String names(Optional<Result> a, Optional<Result> b) {
        return a.map(Result::impl).orElse("-") + " vs " + b.map(Result::impl).orElse("-");
    }
}
