package dev.weft.bench;

import java.util.List;
import java.util.Objects;

/**
 * A suite's results and the machine they were measured on.
 *
 * @param suite   the suite name ({@link Suite#id()})
 * @param quick   whether the suite ran in quick mode
 * @param jdk     the JDK version ({@code java.version})
 * @param cpus    the processors available to the JVM
 * @param results measured and skipped results, in the order the table shows them
 */
public record SuiteReport(String suite, boolean quick, String jdk, int cpus, List<Result> results) {

    public SuiteReport {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(jdk, "jdk");
        results = List.copyOf(results);
    }

    /** A report of this JVM: its {@code java.version} and available processors. */
    public static SuiteReport ofThisJvm(String suite, boolean quick, List<Result> results) {
        return new SuiteReport(suite, quick, System.getProperty("java.version"),
                java.lang.Runtime.getRuntime().availableProcessors(), results);
    }
}
