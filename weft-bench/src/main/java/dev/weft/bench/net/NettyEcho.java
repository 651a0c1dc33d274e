package dev.weft.bench.net;

import dev.weft.bench.FailureLine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.Version;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Netty 4.2 peers: an echo server on one {@link MultiThreadIoEventLoopGroup} of
 * {@code workers} event loops over Netty's native io_uring ({@code netty-uring}) or epoll
 * ({@code netty-epoll}) transport. The listening channel shares the group with the connections it
 * accepts (no separate boss loop), so both servers use exactly {@code workers} threads.
 *
 * <p>Netty runs in the configuration its maintainers recommend for JDK 24 and later: its process is
 * started with {@link #JVM_FLAGS} ({@code sun.misc.Unsafe} allowed, which Netty 4.2 otherwise
 * turns off on JDK 24+ at a cost in throughput, and native access enabled for its JNI
 * transports), and {@link #configuration()} reports whether Netty found {@code Unsafe}; otherwise
 * its defaults (allocator, buffer sizes). The only option set is {@code TCP_NODELAY} on accepted
 * connections, which every server of the suite sets. Echoing is Netty's usual form: each buffer read is written back
 * as it is, and the writes are flushed once the loop has read what the socket had.
 */
public final class NettyEcho implements EchoServer {

    /**
     * The JVM flags of a Netty server's process: {@code --sun-misc-unsafe-memory-access=allow}
     * (Netty 4.2 leaves {@code sun.misc.Unsafe} unused on JDK 24+ without it) and
     * {@code --enable-native-access=ALL-UNNAMED} (its io_uring and epoll transports load JNI
     * libraries).
     */
    public static final List<String> JVM_FLAGS = List.of("--sun-misc-unsafe-memory-access=allow",
            "--enable-native-access=ALL-UNNAMED");

    /** How long close() waits for the event loops to end. */
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    /** A Netty transport and its impl name. */
    public enum Transport {
        /** {@code netty-transport-native-io_uring}. */
        IO_URING("netty-uring", "io_uring"),
        /** {@code netty-transport-native-epoll}. */
        EPOLL("netty-epoll", "epoll");

        private final String impl;
        private final String label;

        Transport(String impl, String label) {
            this.impl = impl;
            this.label = label;
        }

        /** The impl name in tables and JSON. */
        public String impl() {
            return impl;
        }

        /** Why Netty cannot use this transport here, or empty. Never throws. */
        public Optional<String> unavailableReason() {
            try {
                boolean available = this == IO_URING ? IoUring.isAvailable() : Epoll.isAvailable();
                if (available) {
                    return Optional.empty();
                }
                Throwable cause = this == IO_URING ? IoUring.unavailabilityCause() : Epoll.unavailabilityCause();
                return Optional.of("Netty's " + label + " transport is unavailable here: "
                        + (cause == null ? "no cause given" : FailureLine.of(cause)));
            } catch (LinkageError e) {
                return Optional.of("Netty's " + label + " transport cannot load: " + FailureLine.of(e));
            }
        }

        /** A factory of this transport's I/O handlers, for a {@link MultiThreadIoEventLoopGroup}. */
        public IoHandlerFactory ioHandlers() {
            return this == IO_URING ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
        }

        /** This transport's listening channel class. */
        public Class<? extends ServerChannel> serverChannel() {
            return this == IO_URING ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class;
        }
    }

    private final Transport transport;
    /** Every event-loop thread the group started: close() joins them. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private EventLoopGroup group;
    private Channel listener;
    private boolean closed;

    /** An unstarted server over {@code transport}. */
    public NettyEcho(Transport transport) {
        this.transport = transport;
    }

    @Override
    public String impl() {
        return transport.impl();
    }

    @Override
    public Optional<String> unavailableReason() {
        return transport.unavailableReason();
    }

    /** Netty's version and whether it uses {@code sun.misc.Unsafe} in this JVM. */
    @Override
    public String configuration() {
        Version v = Version.identify().get("netty-transport");
        String unsafe = PlatformDependent.hasUnsafe() ? "sun.misc.Unsafe in use"
                : "sun.misc.Unsafe NOT in use (" + FailureLine.of(PlatformDependent.getUnsafeUnavailabilityCause()) + ")";
        return "netty " + (v == null ? "(version unknown)" : v.artifactVersion()) + ", " + unsafe;
    }

    @Override
    public synchronized int start(int workers) throws InterruptedException {
        if (group != null || closed) {
            throw new IllegalStateException(impl() + ": start() called twice");
        }
        if (workers < 1) {
            throw new IllegalArgumentException(impl() + ": workers must be >= 1, was " + workers);
        }
        Optional<String> unavailable = unavailableReason();
        if (unavailable.isPresent()) {
            throw new IllegalStateException(impl() + " cannot start: " + unavailable.get());
        }
        ThreadFactory named = new DefaultThreadFactory(THREAD_PREFIX + impl(), true);
        ThreadFactory recorded = task -> {
            Thread t = named.newThread(task);
            threads.add(t);
            return t;
        };
        group = new MultiThreadIoEventLoopGroup(workers, recorded, transport.ioHandlers());
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new Echo())
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (listener != null) {
            listener.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (group == null) {
            return;
        }
        // No quiet period: the load generator has drained every connection before the close.
        group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(2 * CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        boolean interrupted = false;
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            while (t.isAlive() && left > 0) {
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                left = deadline - System.nanoTime();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<String> alive = threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
        if (!alive.isEmpty()) {
            throw new IllegalStateException(impl() + ": event-loop threads still running "
                    + CLOSE_TIMEOUT_SECONDS + " s after close: " + alive.stream().collect(Collectors.joining(", ")));
        }
    }

    /** Writes every buffer read back on its channel; flushes once per read burst. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that reset its connection: nothing to echo to any more
        }
    }
}
