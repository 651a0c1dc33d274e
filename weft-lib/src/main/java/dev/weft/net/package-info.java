/**
 * TCP for weft tasks: {@link dev.weft.net.TcpListener} and {@link dev.weft.net.TcpStream}, plain
 * blocking-style calls that park the task, not the worker. Underneath, each call is an operation
 * on the current worker's driver: one SQE in a batched {@code io_uring_enter} on Linux, a
 * selector registration on the NIO fallback.
 *
 * <pre>{@code
 * try (Weft rt = Weft.start()) {
 *     rt.spawn(() -> {
 *         try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 7000), 1024)) {
 *             for (;;) {
 *                 TcpStream conn = listener.accept();
 *                 Task.spawn(() -> {
 *                     try (conn) {
 *                         ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
 *                         while (conn.read(buf) > 0) {
 *                             conn.writeAll(buf.flip());
 *                             buf.clear();
 *                         }
 *                     }
 *                 });
 *             }
 *         }
 *     });
 *     rt.shutdownOnSignals(Duration.ofSeconds(5)).awaitTermination(); // serves until SIGINT/SIGTERM
 * }
 * }</pre>
 *
 * <p>Failures are typed and name the errno: {@link dev.weft.net.ConnectionRefusedException},
 * {@link dev.weft.net.ConnectionResetException}, {@link dev.weft.net.BrokenPipeException},
 * {@link dev.weft.net.IoTimeoutException}, {@link dev.weft.net.EndOfStreamException}, else
 * {@link dev.weft.net.NetException}. Cancelling a task cancels its pending operation; the call
 * throws {@link java.io.InterruptedIOException}.
 *
 * <p>A {@link dev.weft.net.TcpStream} is a {@link java.nio.channels.ByteChannel} (TLS is an
 * {@link javax.net.ssl.SSLEngine} driven over it), and {@link dev.weft.net.TcpStream#inputStream()}
 * and {@link dev.weft.net.TcpStream#outputStream()} are its {@code java.io} views, for existing
 * codecs; a call on a closed stream throws {@link java.nio.channels.ClosedChannelException}.
 *
 * <p>{@link dev.weft.net.TcpStream#connect(String, int, java.time.Duration)} takes a host name:
 * the lookup runs in {@link dev.weft.task.Task#blocking} (off the worker) and each address is
 * tried in order.
 *
 * <p>A task blocked in a call must be able to unmount from its worker: a call made while the
 * virtual thread is pinned (inside a native frame or a class initializer) holds the worker,
 * which then cannot reap the completion it waits for.
 */
package dev.weft.net;
