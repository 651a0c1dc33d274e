/**
 * {@code weft serve}: weft's HTTP server as an application. {@link dev.weft.cli.serve.ServeApp}
 * builds a runtime and a server from {@link dev.weft.cli.serve.ServeOptions}, with
 * {@code /plaintext} and {@code /json} (the TechEmpower framework benchmarks' tests),
 * {@code /stats} and {@code /metrics} ({@link dev.weft.cli.serve.StatsSnapshot}: the runtime, its
 * actors and the server, as JSON and in the Prometheus text format), and either the files under
 * a root directory or weft's own site ({@link dev.weft.cli.serve.Site}: a page charting
 * {@code /stats} live, from class-path resources). {@link dev.weft.cli.serve.StopSignals} turns
 * SIGINT and SIGTERM into a graceful stop.
 */
package dev.weft.cli.serve;
