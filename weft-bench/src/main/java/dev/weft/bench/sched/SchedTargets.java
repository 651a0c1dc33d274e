package dev.weft.bench.sched;

import dev.weft.bench.Result;
import dev.weft.bench.ResultTable;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The targets the scheduler issue states, checked against a report. Reported, never tuned for.
 * <ul>
 *   <li>every throughput case: weft at least 1.5 times {@code jdk-vt};</li>
 *   <li>skynet and spawn-storm: weft at least 1.0 times {@code fjp};</li>
 *   <li>parked: 10^6 parked tasks fit in 1.5 GB, so at most 1500 bytes per parked task;</li>
 *   <li>timer: at low load a timer fires within 1 ms of its deadline: weft's p99 lateness at most
 *       1 ms;</li>
 *   <li>timers-memory: 10^6 pending timers in less than 200 MB. Not checked: a pending timer is
 *       measured with the task sleeping on it (task, thread, stack chunk, timer entry), and no
 *       difference of two measured cases isolates the timer (a task sleeping measured less than
 *       one parked on a latch: the stacks differ). The line gives the measured figure.</li>
 * </ul>
 */
public final class SchedTargets {

    static final double VT_FACTOR = 1.5;
    static final double FJP_FACTOR = 1.0;
    static final List<SchedCase> FJP_CASES = List.of(SchedCase.SKYNET, SchedCase.SPAWN_STORM);
    static final double PARKED_BYTES = 1_500;
    static final double TIMER_P99_NANOS = 1_000_000;

    private static final String WEFT = ResultTable.WEFT;
    private static final String TPUT = SchedCase.THROUGHPUT_METRIC;

    private SchedTargets() {
    }

    /** The target lines, ending with a newline. */
    public static String render(SuiteReport report) {
        TargetLines t = new TargetLines(report);
        for (SchedCase c : SchedCase.of(SchedCase.Kind.THROUGHPUT)) {
            t.ratio(c.id() + " throughput: weft >= 1.5x jdk-vt", t.find(c.id(), WEFT, TPUT),
                    t.find(c.id(), "jdk-vt", TPUT), VT_FACTOR);
        }
        for (SchedCase c : FJP_CASES) {
            t.ratio(c.id() + " throughput: weft >= 1.0x fjp", t.find(c.id(), WEFT, TPUT),
                    t.find(c.id(), "fjp", TPUT), FJP_FACTOR);
        }
        Optional<Result> parked = t.find(SchedCase.PARKED.id(), WEFT, SchedCase.BYTES_PER_TASK);
        t.atMost("parked: 10^6 parked weft tasks in 1.5 GB (<= 1500 B per task)", parked, PARKED_BYTES);
        t.atMost("timer p99 lateness at low load: weft <= 1 ms", t.find(SchedCase.TIMER.id(), WEFT, "p99"),
                TIMER_P99_NANOS);
        Optional<Result> sleeping = t.find(SchedCase.TIMERS_MEMORY.id(), WEFT, SchedCase.BYTES_PER_TASK);
        t.notChecked("timers-memory: 10^6 pending timers in < 200 MB (the timer alone)",
                sleeping.map(s -> String.format(Locale.ROOT, "the timer is measured with its sleeping task:"
                        + " %.0f B per sleeping task (task, thread, stack, timer entry)%s", s.value(),
                        parked.map(p -> String.format(Locale.ROOT, "; a task parked on a latch: %.0f B",
                                p.value())).orElse(""))).orElse("weft not measured"));
        return t.render();
    }
}
