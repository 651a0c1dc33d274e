/**
 * The {@code weft} command ({@link dev.weft.cli.Main}): {@code weft bench [SUITE]} runs the
 * benchmark suites of {@code dev.weft.bench}; {@code weft serve} will run weft's server once the
 * io_uring networking part exists.
 *
 * <pre>
 * ./weft bench device --quick --json /tmp/device.json
 * ./weft bench            # every suite, quick: the report in bench-report/ (README.md, charts/, results.json)
 * </pre>
 */
package dev.weft.cli;
