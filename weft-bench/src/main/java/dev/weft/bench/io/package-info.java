/**
 * The io suite ({@code weft bench io}): weft's file API ({@code weft-fs}) and its I/O request
 * queue fed by a Java producer ({@code weft-ioqueue}) and by a C producer in another process
 * ({@code weft-ioqueue-c}), against fio with io_uring ({@code fio-uring}: fixed files and
 * buffers) and with pread/pwrite ({@code fio-psync}), and against FileChannel on a thread pool
 * ({@code filechannel}), on a 1 GiB file kept resident in the page cache, and with O_DIRECT.
 *
 * <p>Cases ({@link dev.weft.bench.io.IoCase}): {@code seqread-128k} (metric {@code throughput},
 * bytes/s), {@code randread-4k-qd32}, {@code randwrite-4k-direct} and
 * {@code direct-randread-4k-qd32} (metric {@code iops}; all four with {@code cpu-per-op}, µs),
 * {@code queue-latency} (publish to complete, ns: {@code p50}/{@code p99} busy,
 * {@code p50-idle}/{@code p99-idle} after a pause), {@code idle-cpu} (an idle loop's CPU, metric
 * {@code cpu}, % of one core). How they are measured: {@link dev.weft.bench.io.IoSuite}; the
 * issue's targets: {@link dev.weft.bench.io.IoTargets}.
 *
 * <pre>{@code
 * SuiteReport report = new IoSuite().run(true, tableOut, progressOut);
 * }</pre>
 */
package dev.weft.bench.io;
