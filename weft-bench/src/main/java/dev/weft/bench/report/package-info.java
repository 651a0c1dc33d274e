/**
 * The report of a run of every suite ({@code weft bench} without SUITE): a directory with a
 * Markdown summary of weft against every peer, a bar chart per case and metric, and the results
 * as JSON.
 *
 * <ul>
 *   <li>{@link dev.weft.bench.report.ReportRun}: runs the suites one after the other, keeping
 *       what each printed, its targets, and whether it ran, failed or is not available
 *       ({@link dev.weft.bench.report.SuiteOutcome});</li>
 *   <li>{@link dev.weft.bench.report.ProgressDisplay}: shows how far the run has got, on a
 *       terminal or in a log;</li>
 *   <li>{@link dev.weft.bench.report.ReportDirectory}: writes {@code README.md}, {@code charts/},
 *       {@code results.json}, {@code tables/} and {@code logs/}, replacing a previous report;</li>
 *   <li>{@link dev.weft.bench.report.Machine}: the date, JDK, CPUs, kernel and load the report
 *       names.</li>
 * </ul>
 *
 * <pre>{@code
 * Machine.Start start = Machine.Start.now();
 * List<SuiteOutcome> outcomes;
 * try (ProgressDisplay display = ProgressDisplay.plain(new PrintWriter(System.out, true))) {
 *     outcomes = new ReportRun(List.of(ReportRun.Entry.of("mine", () -> mySuite)), display).run();
 * }
 * Path readme = ReportDirectory.write(Path.of("bench-report"), outcomes, start.end());
 * }</pre>
 */
package dev.weft.bench.report;
