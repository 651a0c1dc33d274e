/**
 * The actors suite ({@code weft bench actors}): weft's process actors ({@code weft-proc}) and
 * handler actors ({@code weft-handler}) against Apache Pekko Typed with its default dispatcher
 * ({@code pekko}) and tuned ({@code pekko-tuned}: the better, per case, of dispatcher throughput
 * 100 and Pekko's virtual-thread executor), in one JVM, and against Erlang/OTP ({@code erlang},
 * in its own process with the same scheduler count) on ping-pong and thread-ring.
 *
 * <p>Cases ({@link dev.weft.bench.actors.ActorCase}), the same message counts for every
 * implementation ({@link dev.weft.bench.actors.ActorSizes}):
 * <ul>
 *   <li>the Savina micro-benchmarks, metric {@code throughput}: {@code ping-pong} (10^6 round
 *       trips), {@code counting} (10^6), {@code fj-throughput}, {@code fj-create},
 *       {@code thread-ring} (503 actors, 10^7 hops), {@code chameneos}, {@code big};</li>
 *   <li>{@code idle-bytes}: heap per idle actor at 10^6 actors, metric {@code bytes};</li>
 *   <li>{@code spawn-exit}: actors spawned that end at once, metric {@code throughput};</li>
 *   <li>{@code call-rtt}: request-reply round trip, metrics {@code p50} and {@code p99} (ns).</li>
 * </ul>
 * The workloads are written down on {@link dev.weft.bench.actors.ActorImpl}; how they are
 * measured on {@link dev.weft.bench.actors.ActorSuite}; the targets on
 * {@link dev.weft.bench.actors.ActorTargets}.
 *
 * <pre>{@code
 * SuiteReport report = new ActorSuite().run(true, tableOut, progressOut);
 * }</pre>
 */
package dev.weft.bench.actors;
