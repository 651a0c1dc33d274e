package dev.weft.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** A benchmark suite: runs its cases for weft and every peer and reports what it measured. */
public interface BenchSuite {

    /**
     * Runs the suite.
     *
     * @param quick    fewer rounds and smaller sizes, same cases: the whole suite finishes in
     *                 under 90 seconds on a 2-core machine
     * @param table    where the result table goes (the terminal's standard output)
     * @param progress where progress lines go while the suite runs (standard error)
     * @return every (case, impl, metric) measured, and a skipped entry for each (case, impl)
     *         that could not run
     */
    SuiteReport run(boolean quick, PrintWriter table, PrintWriter progress);

    /**
     * The comparisons this suite calls like for like: per peer, the weft implementations its
     * ratios refer to (as its table shows them). The report of {@code weft bench} without SUITE
     * compares a peer listed here with those only, and a peer not listed with every weft
     * implementation. The default lists none.
     */
    default Map<String, List<String>> references() {
        return Map.of();
    }
}
