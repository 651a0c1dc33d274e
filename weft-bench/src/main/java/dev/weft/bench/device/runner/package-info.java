/**
 * The runners the device suite measures, behind one contract, {@link
 * dev.weft.bench.device.runner.ServiceRunner}: weft's own ({@link
 * dev.weft.bench.device.runner.WeftRunner}, the public {@code DeviceHandle} API) and the peers'
 * ({@link dev.weft.bench.device.runner.PeerRunner}, a copy of weft's runner design in which only
 * the channel differs: a {@link dev.weft.bench.device.runner.PeerQueue} over ArrayBlockingQueue,
 * the Disruptor, JCTools or Agrona).
 *
 * <p>This package and {@code dev.weft.bench.device.workload} are loaded once per implementation
 * by the suite (see {@code dev.weft.bench.device.ImplClassLoader}), so that every call site in
 * them sees a single receiver class and the JIT treats every implementation alike.
 *
 * <pre>{@code
 * try (ServiceRunner runner = ServiceRunners.open("jctools")) {
 *     runner.submit(s -> s.count++);
 *     long ran = runner.call(s -> s.count);   // flushes, waits: 1
 * }                                           // stops and joins the runner thread
 * }</pre>
 */
package dev.weft.bench.device.runner;
