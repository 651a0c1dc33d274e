/**
 * The net suite ({@code weft bench net}): echo servers on loopback, driven by one load generator
 * in the same JVM. weft over io_uring ({@code weft}) and over its NIO fallback ({@code weft-nio})
 * against Netty 4.2 over io_uring ({@code netty-uring}) and epoll ({@code netty-epoll}), and a
 * plain JDK server with one virtual thread per connection ({@code jdk-vt}).
 *
 * <ul>
 *   <li>{@link dev.weft.bench.net.EchoServer}: what a server under test does;
 *       {@link dev.weft.bench.net.EchoServers}: every server by its impl name, the one place to
 *       add one.</li>
 *   <li>{@link dev.weft.bench.net.LoadGenerator}: one thread, one selector, a fixed number of
 *       connections and of messages in flight on each; checks every echoed byte and records
 *       latencies in an HdrHistogram.</li>
 *   <li>{@link dev.weft.bench.net.NetCase}: {@code echo-64b-100c}, {@code echo-4k-100c} (2
 *       workers) and their {@code -1w} forms (1 worker); throughput, p50 and p99. And
 *       {@code idle-100c} (2 workers): 100 silent connections, the CPU the JVM ({@code cpu}) and
 *       the server's threads ({@code cpu-threads}) use meanwhile, measured by
 *       {@link dev.weft.bench.net.IdleMeter}.</li>
 *   <li>{@link dev.weft.bench.net.NetSuite} runs them; {@link dev.weft.bench.net.NetTargets}
 *       checks the targets.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EchoServer server = EchoServers.create("netty-epoll")) {
 *     int port = server.start(2);
 *     LoadGenerator.Outcome o = new LoadGenerator(NetCase.ECHO_64B_100C.load())
 *             .run(port, Duration.ofSeconds(1), Duration.ofSeconds(2));
 *     System.out.printf("%.0f msgs/s, p99 %d ns%n", o.throughput(), o.p99());
 * }
 * }</pre>
 */
package dev.weft.bench.net;
