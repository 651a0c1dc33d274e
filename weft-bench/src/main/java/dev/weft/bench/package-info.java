/**
 * weft's benchmarks: head-to-head runs of weft against its peers in one JVM, reported as a
 * terminal table of ratios and as JSON in the format of {@code BENCHMARKS.md}.
 *
 * <ul>
 *   <li>{@link dev.weft.bench.Suite}: the suites, by the names {@code weft bench SUITE} takes;
 *       which are available, and which part of weft brings the others.</li>
 *   <li>{@link dev.weft.bench.BenchSuite}: what a suite does when run.</li>
 *   <li>{@link dev.weft.bench.Result}, {@link dev.weft.bench.SuiteReport}: one measured (or
 *       skipped) value, and a suite's results with the machine they were measured on.</li>
 *   <li>{@link dev.weft.bench.JsonReport}: the JSON form; {@link dev.weft.bench.ResultTable}: the
 *       terminal form; {@link dev.weft.bench.report}: the report of a run of every suite.</li>
 * </ul>
 *
 * <pre>{@code
 * SuiteReport report = Suite.DEVICE.create().run(true, out, progress);
 * Files.writeString(path, JsonReport.of(report));
 * }</pre>
 */
package dev.weft.bench;
