package dev.weft.bench.net;

import dev.weft.bench.ProcessCpu;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The net suite's client: one platform thread (the caller's) drives every connection through one
 * {@link Selector}, as a closed loop with a fixed number of messages in flight per connection.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>Opens {@link Load#connections()} non-blocking connections to {@code 127.0.0.1:port};
 *       all must connect within the connect timeout.</li>
 *   <li>Each connection sends {@link Load#pipelineDepth()} messages of
 *       {@link Load#messageBytes()} bytes at once, then one more each time the echo of one has
 *       fully arrived, so exactly that many are always in flight.</li>
 *   <li>A message is its send time ({@link System#nanoTime()}, 8 bytes), its sequence number on
 *       the connection (8 bytes), then bytes of a pattern drawn at random for the connection. The
 *       echoed stream is cut back into messages whatever the segments TCP delivered (a message may
 *       arrive a byte at a time, or several in one read), and every byte is compared with the one
 *       sent: a difference fails the run with a {@link CorruptEchoException} that says where.</li>
 *   <li>Latency is the time from handing a message to the socket to having the last byte of its
 *       echo, recorded in an HdrHistogram. In a closed loop no send waits for a schedule, so there
 *       is no coordinated omission to correct: the latency is that of a server under this load.</li>
 *   <li>For {@code warmup} nothing is counted; for {@code measure} (and, on a machine so busy
 *       that none completed in it, until the first does) every completed message is;
 *       then no new message is sent, and the run ends once every message in flight is echoed, so
 *       connections close with nothing unread.</li>
 *   <li>When no byte arrives for the stall timeout while messages are in flight, the run fails
 *       with a {@link SocketTimeoutException} that names a waiting connection.</li>
 * </ol>
 * One {@code LoadGenerator} may run any number of times, one run at a time.
 */
public final class LoadGenerator {

    /** Bytes of a message's header: its send time and its sequence number. */
    public static final int HEADER_BYTES = 16;
    /** The default time all connections have to connect. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The default time without any echoed byte after which a run fails. */
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(5);

    /** Latencies above this are recorded as this (a stalled run fails well before). */
    private static final long HIGHEST_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How often the loop looks at the clock when nothing is ready. */
    private static final long SELECT_MILLIS = 20;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * The shape of the load.
     *
     * @param connections   connections opened to the server, {@code >= 1}
     * @param messageBytes  bytes per message, at least {@link #HEADER_BYTES}
     * @param pipelineDepth messages in flight on each connection, {@code >= 1}
     */
    public record Load(int connections, int messageBytes, int pipelineDepth) {

        /** @throws IllegalArgumentException naming the value out of range */
        public Load {
            if (connections < 1) {
                throw new IllegalArgumentException("connections must be >= 1, was " + connections);
            }
            if (messageBytes < HEADER_BYTES) {
                throw new IllegalArgumentException("messageBytes must be >= " + HEADER_BYTES
                        + " (send time and sequence number), was " + messageBytes);
            }
            if (pipelineDepth < 1) {
                throw new IllegalArgumentException("pipelineDepth must be >= 1, was " + pipelineDepth);
            }
            if ((long) messageBytes * pipelineDepth > 64L << 20) {
                throw new IllegalArgumentException("messageBytes x pipelineDepth must be <= 64 MiB"
                        + " per connection, was " + messageBytes + " x " + pipelineDepth);
            }
        }
    }

    /**
     * What a run measured.
     *
     * @param messages  messages whose echo completed during the measured period
     * @param nanos     the length of the measured period
     * @param latencies send-to-echo latency of those messages, in nanoseconds
     * @param serverCpuNanos the CPU time the server used over the measured period, as its
     *                  {@link CpuClock} read it at both ends; {@code -1} when it had none
     */
    public record Outcome(long messages, long nanos, Histogram latencies, long serverCpuNanos) {

        /** An outcome without a server CPU figure. */
        public Outcome(long messages, long nanos, Histogram latencies) {
            this(messages, nanos, latencies, -1);
        }

        /**
         * Microseconds of server CPU per message echoed ({@link ProcessCpu#microsPerOp}).
         *
         * @throws IllegalStateException when there is no CPU figure or no message
         */
        public double cpuPerOp() {
            if (serverCpuNanos < 0 || messages < 1) {
                throw new IllegalStateException("no cpu per message: server cpu " + serverCpuNanos
                        + " ns over " + messages + " messages");
            }
            return ProcessCpu.microsPerOp(serverCpuNanos, messages);
        }

        /** Messages echoed per second over the measured period. */
        public double throughput() {
            return nanos <= 0 ? 0 : messages * 1e9 / nanos;
        }

        /** The median latency, ns. */
        public long p50() {
            return latencies.getValueAtPercentile(50);
        }

        /** The 99th percentile latency, ns. */
        public long p99() {
            return latencies.getValueAtPercentile(99);
        }
    }

    /** The server's CPU time so far, read at the start and at the end of the measured period. */
    @FunctionalInterface
    public interface CpuClock {
        /** The server's CPU time so far, ns. */
        long nanos() throws IOException;
    }

    private final Load load;
    private final Duration connectTimeout;
    private final Duration stallTimeout;

    /** A generator of {@code load} with the default connect and stall timeouts. */
    public LoadGenerator(Load load) {
        this(load, CONNECT_TIMEOUT, STALL_TIMEOUT);
    }

    /**
     * @param load           the shape of the load
     * @param connectTimeout the time all connections have to connect
     * @param stallTimeout   the time without an echoed byte, while messages are in flight, after
     *                       which a run fails
     */
    public LoadGenerator(Load load, Duration connectTimeout, Duration stallTimeout) {
        this.load = Objects.requireNonNull(load, "load");
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        this.stallTimeout = positive(stallTimeout, "stallTimeout");
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (!d.isPositive()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /** The load this generator applies. */
    public Load load() {
        return load;
    }

    /**
     * Drives the server on {@code 127.0.0.1:port}: {@code warmup} uncounted, then {@code measure}
     * counted, then drains. Runs on the calling thread, which should be a platform thread.
     *
     * @throws CorruptEchoException     when an echoed byte differs from the one sent
     * @throws SocketTimeoutException   when the connections do not all connect in time, or no echo
     *                                  arrives for the stall timeout
     * @throws InterruptedIOException   when the calling thread is interrupted
     * @throws IOException              when a connection fails or the server closes one
     * @throws IllegalArgumentException when {@code warmup} is negative or {@code measure} not
     *                                  positive
     */
    public Outcome run(int port, Duration warmup, Duration measure) throws IOException {
        return run(port, warmup, measure, null);
    }

    /**
     * As {@link #run(int, Duration, Duration)}, reading {@code serverCpu} (unless null) right
     * when the measured period starts and right when it ends, for
     * {@link Outcome#serverCpuNanos()}.
     *
     * @throws IOException also when {@code serverCpu} cannot be read
     */
    public Outcome run(int port, Duration warmup, Duration measure, CpuClock serverCpu) throws IOException {
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must be >= 0, was " + warmup);
        }
        positive(measure, "measure");
        try (Run run = new Run(new InetSocketAddress("127.0.0.1", port))) {
            run.connect();
            return run.drive(warmup.toNanos(), measure.toNanos(), serverCpu);
        }
    }

    /** The state of one run: its selector, its connections and what it has counted. */
    private final class Run implements AutoCloseable {
        final InetSocketAddress server;
        final Selector selector;
        final List<Connection> connections = new ArrayList<>();
        final Histogram latencies = new Histogram(HIGHEST_LATENCY_NANOS, 3);
        boolean recording;
        boolean draining;
        long measured;
        long lastProgress;

        Run(InetSocketAddress server) throws IOException {
            this.server = server;
            this.selector = Selector.open();
        }

        void connect() throws IOException {
            long deadline = System.nanoTime() + connectTimeout.toNanos();
            int pending = 0;
            for (int id = 0; id < load.connections(); id++) {
                SocketChannel channel = SocketChannel.open();
                Connection c;
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c = new Connection(id, channel);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                connections.add(c);
                boolean connected;
                try {
                    connected = channel.connect(server);
                } catch (IOException e) {
                    throw connectFailure(c, e);
                }
                c.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, c);
                if (!connected) {
                    pending++;
                }
            }
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException(String.format(Locale.ROOT,
                            "connected only %d of %d connections to %s within %d ms",
                            load.connections() - pending, load.connections(), where(),
                            connectTimeout.toMillis()));
                }
                interruptible();
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    try {
                        if (key.isConnectable() && c.channel.finishConnect()) {
                            key.interestOps(0);
                            pending--;
                        }
                    } catch (IOException e) {
                        throw connectFailure(c, e);
                    }
                }
                selector.selectedKeys().clear();
            }
        }

        private IOException connectFailure(Connection c, IOException e) {
            ConnectException failure = new ConnectException("connection " + c.id + " of "
                    + load.connections() + " to " + where() + " failed: " + e.getMessage());
            failure.initCause(e);
            return failure;
        }

        Outcome drive(long warmupNanos, long measureNanos, CpuClock serverCpu) throws IOException {
            long cpuFrom = 0;
            long cpuUntil = 0;
            long start = System.nanoTime();
            lastProgress = start;
            long measureStart = start + warmupNanos;
            long measureEnd = Long.MAX_VALUE;
            long recordedFrom = 0;
            long recordedUntil = 0;
            for (Connection c : connections) {
                c.key.interestOps(SelectionKey.OP_READ);
                c.send(load.pipelineDepth(), start);
            }
            while (true) {
                long now = System.nanoTime();
                if (!recording && !draining && now - measureStart >= 0) {
                    recording = true;
                    cpuFrom = serverCpu == null ? 0 : serverCpu.nanos();
                    now = System.nanoTime();
                    recordedFrom = now;
                    measureEnd = now + measureNanos;
                }
                if (recording && now - measureEnd >= 0 && measured > 0) {
                    recording = false;
                    draining = true;
                    recordedUntil = now;
                    cpuUntil = serverCpu == null ? 0 : serverCpu.nanos();
                }
                if (draining && inFlight() == 0) {
                    for (Connection c : connections) {
                        c.checkNothingMore();
                    }
                    return new Outcome(measured, recordedUntil - recordedFrom, latencies,
                            serverCpu == null ? -1 : cpuUntil - cpuFrom);
                }
                if (now - lastProgress > stallTimeout.toNanos()) {
                    throw stalled();
                }
                interruptible();
                selector.select(SELECT_MILLIS);
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    if (key.isReadable()) {
                        c.receive();
                    }
                    if (key.isValid() && key.isWritable()) {
                        c.flush();
                    }
                }
                selector.selectedKeys().clear();
            }
        }

        private long inFlight() {
            long n = 0;
            for (Connection c : connections) {
                n += c.nextSend - c.nextReceive;
            }
            return n;
        }

        private void interruptible() throws InterruptedIOException {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("load generator on " + where() + " interrupted");
            }
        }

        private SocketTimeoutException stalled() {
            int waiting = 0;
            Connection first = null;
            for (Connection c : connections) {
                if (c.nextSend != c.nextReceive) {
                    waiting++;
                    if (first == null) {
                        first = c;
                    }
                }
            }
            String example = first == null ? "" : String.format(Locale.ROOT,
                    " (connection %d waits for the echo of message %d: %d of its %d bytes received,"
                            + " %d bytes still to send)", first.id, first.nextReceive,
                    first.in.position(), load.messageBytes(), first.out.remaining());
            return new SocketTimeoutException(String.format(Locale.ROOT,
                    "no echo from %s for %d ms: %d of %d connections have messages in flight%s",
                    where(), stallTimeout.toMillis(), waiting, load.connections(), example));
        }

        private String where() {
            return "127.0.0.1:" + server.getPort();
        }

        @Override
        public void close() throws IOException {
            IOException failure = null;
            for (Connection c : connections) {
                try {
                    c.channel.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
            selector.close();
            if (failure != null) {
                throw failure;
            }
        }

        /**
         * One connection. {@code out} holds the bytes not yet written (between position and
         * limit); {@code in} accumulates echoed bytes until they make whole messages. Neither
         * ever holds more than a pipeline's worth: no more is in flight.
         */
        private final class Connection {
            final int id;
            final SocketChannel channel;
            final int size = load.messageBytes();
            final int depth = load.pipelineDepth();
            /** The message body of this connection; its first {@link #HEADER_BYTES} are unused. */
            final byte[] pattern;
            /** Send times of the messages in flight, by sequence number modulo the depth. */
            final long[] sentAt;
            final ByteBuffer out;
            final ByteBuffer in;
            SelectionKey key;
            long nextSend;
            long nextReceive;
            boolean writeInterest;

            Connection(int id, SocketChannel channel) {
                this.id = id;
                this.channel = channel;
                this.pattern = new byte[size];
                new SplittableRandom(0x5eed_0000L + id).nextBytes(pattern);
                Arrays.fill(pattern, 0, HEADER_BYTES, (byte) 0);
                this.sentAt = new long[depth];
                this.out = ByteBuffer.allocate(size * depth).flip();
                this.in = ByteBuffer.allocate(size * depth);
            }

            /** Appends {@code count} new messages sent at {@code now}, and writes what it can. */
            void send(int count, long now) throws IOException {
                out.compact();
                byte[] a = out.array();
                for (int i = 0; i < count; i++) {
                    int at = out.position();
                    LONG.set(a, at, now);
                    LONG.set(a, at + 8, nextSend);
                    System.arraycopy(pattern, HEADER_BYTES, a, at + HEADER_BYTES, size - HEADER_BYTES);
                    out.position(at + size);
                    sentAt[(int) (nextSend % depth)] = now;
                    nextSend++;
                }
                out.flip();
                flush();
            }

            void flush() throws IOException {
                if (out.hasRemaining()) {
                    channel.write(out);
                }
                boolean pending = out.hasRemaining();
                if (pending != writeInterest) {
                    key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                    writeInterest = pending;
                }
            }

            /** Reads what arrived, checks and counts every whole message, sends their successors. */
            void receive() throws IOException {
                int n;
                try {
                    n = channel.read(in);
                } catch (IOException e) {
                    IOException failure = new IOException("connection " + id + " to " + where()
                            + " failed after " + nextReceive + " echoed messages: " + e.getMessage());
                    failure.initCause(e);
                    throw failure;
                }
                if (n < 0) {
                    throw new IOException("the server closed connection " + id + " to " + where()
                            + " after echoing " + nextReceive + " of " + nextSend + " messages"
                            + " sent on it");
                }
                if (n == 0) {
                    return;
                }
                long now = System.nanoTime();
                lastProgress = now;
                byte[] a = in.array();
                int whole = in.position() / size;
                for (int m = 0; m < whole; m++) {
                    int at = m * size;
                    long sent = check(a, at);
                    nextReceive++;
                    if (recording) {
                        latencies.recordValue(Math.min(now - sent, HIGHEST_LATENCY_NANOS));
                        measured++;
                    }
                }
                if (whole > 0) {
                    int rest = in.position() - whole * size;
                    System.arraycopy(a, whole * size, a, 0, rest);
                    in.position(rest);
                    if (!draining) {
                        send(whole, now);
                    }
                }
            }

            /** Every message sent has been echoed: no byte may be left over. */
            void checkNothingMore() throws CorruptEchoException {
                if (in.position() > 0) {
                    throw new CorruptEchoException(String.format(Locale.ROOT,
                            "corrupt echo on connection %d to %s: the server echoed more bytes than"
                                    + " were sent (all %d messages of %d bytes echoed, and %d bytes"
                                    + " more arrived)", id, where(), nextSend, size, in.position()));
                }
            }

            /** Checks the message at {@code at} against the next one expected; its send time. */
            private long check(byte[] a, int at) throws CorruptEchoException {
                long seq = nextReceive;
                if (seq == nextSend) {
                    throw new CorruptEchoException(String.format(Locale.ROOT,
                            "corrupt echo on connection %d to %s: the server echoed more bytes than"
                                    + " were sent (%d messages of %d bytes sent, all echoed, and %d"
                                    + " bytes more arrived)", id, where(), nextSend, size, in.position() - at));
                }
                long sent = sentAt[(int) (seq % depth)];
                if ((long) LONG.get(a, at) != sent || (long) LONG.get(a, at + 8) != seq
                        || Arrays.mismatch(a, at + HEADER_BYTES, at + size, pattern, HEADER_BYTES, size) >= 0) {
                    throw mismatch(a, at, seq, sent);
                }
                return sent;
            }

            private CorruptEchoException mismatch(byte[] a, int at, long seq, long sent) {
                byte[] expected = pattern.clone();
                LONG.set(expected, 0, sent);
                LONG.set(expected, 8, seq);
                int i = Arrays.mismatch(a, at, at + size, expected, 0, size);
                return new CorruptEchoException(String.format(Locale.ROOT,
                        "corrupt echo on connection %d to %s: message %d (%d bytes), byte %d (stream"
                                + " offset %d) was 0x%02x, expected 0x%02x; a server must echo every"
                                + " byte it reads, in order", id, where(), seq, size, i,
                        seq * size + i, a[at + i] & 0xff, expected[i] & 0xff));
            }
        }
    }
}
