/**
 * The {@code weft} command ({@link dev.weft.cli.Main}): {@code weft bench [SUITE]} runs the
 * benchmark suites of {@code dev.weft.bench}; {@code weft serve} runs weft's HTTP server
 * ({@link dev.weft.cli.serve}); {@code weft ioqueue} serves a shared-memory I/O request queue.
 *
 * <pre>
 * ./weft serve --port 0       # prints: weft serve: http://127.0.0.1:PORT/ (io_uring, 2 workers)
 * ./weft bench device --quick --json /tmp/device.json
 * ./weft bench            # every suite, quick: the report in bench-report/ (README.md, charts/, results.json)
 * </pre>
 */
package dev.weft.cli;
