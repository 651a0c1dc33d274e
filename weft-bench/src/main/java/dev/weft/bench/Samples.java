package dev.weft.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What one run of a suite measured, per (case, impl, metric) and round, and what it could not
 * measure and why; at the end, the report's {@link Result}s. Shared by the suites so that each
 * turns its rounds into results the same way.
 *
 * <p>An implementation that cannot run at all is {@linkplain #unavailable unavailable}: skipped in
 * every case with that reason. A (case, impl) whose measurement failed is {@linkplain #fail
 * failed}: skipped with the first reason given, and its earlier rounds are dropped. Not
 * thread-safe: a suite's own thread records everything.
 *
 * <pre>{@code
 * Samples samples = new Samples();
 * samples.keep("echo-64b-100c", "weft", "throughput", 812_000);
 * samples.fail("echo-4k-100c", "weft", "failed in round 1/2: a stall");
 * samples.unavailable("netty-uring", "no io_uring here");
 * List<Result> results = samples.results(List.of(NetCase.values()), impls);
 * }</pre>
 */
public final class Samples {

    /** The reason given for a (case, impl) that is in the running but has no round. */
    public static final String NOT_MEASURED = "not measured";

    private final Map<String, String> unavailable = new LinkedHashMap<>(); // impl -> reason
    private final Map<String, String> failed = new HashMap<>(); // key(case, impl) -> reason
    private final Map<String, Map<String, List<Double>>> rounds = new HashMap<>(); // key -> metric -> rounds

    /** Adds one round's {@code value} of {@code metric} for (case, impl). */
    public void keep(String caseId, String impl, String metric, double value) {
        rounds.computeIfAbsent(key(caseId, impl), k -> new HashMap<>())
                .computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
    }

    /** Marks {@code impl} as unable to run at all; the first reason given stands. */
    public void unavailable(String impl, String reason) {
        unavailable.putIfAbsent(impl, Objects.requireNonNull(reason, "reason"));
    }

    /** Marks (case, impl) failed: it is measured no more; the first reason given stands. */
    public void fail(String caseId, String impl, String reason) {
        failed.putIfAbsent(key(caseId, impl), Objects.requireNonNull(reason, "reason"));
    }

    /** Whether {@code impl} cannot run at all. */
    public boolean isUnavailable(String impl) {
        return unavailable.containsKey(impl);
    }

    /** Whether (case, impl) is out of the running: its impl unavailable, or it failed. */
    public boolean isOut(String caseId, String impl) {
        return unavailable.containsKey(impl) || failed.containsKey(key(caseId, impl));
    }

    /** Whether (case, impl) has at least one round of some metric. */
    public boolean hasRounds(String caseId, String impl) {
        return rounds.containsKey(key(caseId, impl));
    }

    /** The rounds kept of {@code metric} for (case, impl), in order; empty if none. */
    public List<Double> rounds(String caseId, String impl, String metric) {
        return List.copyOf(rounds.getOrDefault(key(caseId, impl), Map.of()).getOrDefault(metric, List.of()));
    }

    /**
     * Measured results per case, metric and impl, then a skipped entry per (case, impl) that did
     * not run; cases, metrics and impls in the order given.
     */
    public List<Result> results(List<? extends BenchCase> cases, List<String> impls) {
        return results(cases, impls, (c, impl) -> Optional.empty());
    }

    /**
     * As {@link #results(List, List)}, where {@code unsupported} says why an implementation that
     * runs does not have a case at all (empty when it does). A (case, impl) is skipped for, in
     * this order: its impl being unavailable, the case being unsupported, its failure, or having
     * no round ({@link #NOT_MEASURED}).
     */
    public <C extends BenchCase> List<Result> results(List<C> cases, List<String> impls,
                                                      BiFunction<C, String, Optional<String>> unsupported) {
        List<Result> results = new ArrayList<>();
        for (C c : cases) {
            for (Metric m : c.metrics()) {
                for (String impl : impls) {
                    List<Double> kept = rounds(c.id(), impl, m.name());
                    if (skipReason(c, impl, unsupported).isEmpty() && !kept.isEmpty()) {
                        results.add(Result.measured(c.id(), impl, m.name(), m.unit(), m.higherIsBetter(), kept));
                    }
                }
            }
            for (String impl : impls) {
                skipReason(c, impl, unsupported).ifPresent(reason -> results.add(Result.skipped(c.id(), impl, reason)));
            }
        }
        return results;
    }

    private <C extends BenchCase> Optional<String> skipReason(C c, String impl,
                                                              BiFunction<C, String, Optional<String>> unsupported) {
        String reason = unavailable.get(impl);
        if (reason != null) {
            return Optional.of(reason);
        }
        Optional<String> notHere = unsupported.apply(c, impl);
        if (notHere.isPresent()) {
            return notHere;
        }
        reason = failed.get(key(c.id(), impl));
        if (reason != null) {
            return Optional.of(reason);
        }
        return hasRounds(c.id(), impl) ? Optional.empty() : Optional.of(NOT_MEASURED);
    }

    private static String key(String caseId, String impl) {
        return caseId + "/" + impl;
    }
}
