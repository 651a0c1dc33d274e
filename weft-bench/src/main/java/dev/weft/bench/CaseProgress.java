package dev.weft.bench;

import java.util.function.Consumer;

/**
 * Where a running suite says what it measures now, for the progress display of {@code weft bench}
 * without SUITE ({@code [2/6] sched  14 s  round 2/5: fan-out weft}). A suite calls
 * {@link #measuring} before each (case, implementation) of a round; unless the run has bound
 * {@link #LISTENER} on the thread that runs the suite, the call does nothing. A suite that never
 * calls it still shows its progress lines.
 */
public final class CaseProgress {

    /** Told {@code "<round>: <case> <impl>"} at each {@link #measuring} call while bound. */
    public static final ScopedValue<Consumer<String>> LISTENER = ScopedValue.newInstance();

    private CaseProgress() {
    }

    /**
     * The suite starts measuring {@code impl} on {@code caseId} in {@code round} (a label such as
     * {@code "round 2/5"} or {@code "warm-up"}).
     */
    public static void measuring(String round, String caseId, String impl) {
        if (LISTENER.isBound()) {
            LISTENER.get().accept(round + ": " + caseId + " " + impl);
        }
    }
}
