/**
 * The device suite ({@code weft bench device}): weft's device runner against ArrayBlockingQueue
 * ({@code abq}), the LMAX Disruptor ({@code disruptor}), JCTools ({@code jctools}) and Agrona
 * ({@code agrona}) channels under the same runner design and the same task bodies.
 *
 * <p>Cases ({@link dev.weft.bench.device.DeviceCase}): {@code submit-1p} and {@code submit-2p}
 * (throughput of fire-and-forget tasks from one and two producers), {@code roundtrip} (latency of
 * blocking calls), {@code burst32} (32 tasks and a wait for the last; latency and throughput).
 *
 * <p>{@link dev.weft.bench.device.DeviceSuite} runs them; the subpackages {@code runner} and
 * {@code workload} hold the code each implementation runs, loaded once per implementation.
 *
 * <pre>{@code
 * SuiteReport report = new DeviceSuite().run(true, tableOut, progressOut);
 * }</pre>
 */
package dev.weft.bench.device;
