package dev.weft.bench.net;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every echo server the net suite knows, by its stable impl name, in table order: weft's own
 * servers first, then the peers.
 *
 * <p>weft's servers are {@link WeftEcho}: {@code weft} over io_uring, {@code weft-nio} over its
 * NIO fallback. A new server is an {@link EchoServer} in this package and one line in
 * {@link #registry()}.
 */
public final class EchoServers {

    /** weft over io_uring. */
    public static final String WEFT = "weft";
    /** weft over its NIO fallback. */
    public static final String WEFT_NIO = "weft-nio";

    private static final Map<String, Supplier<EchoServer>> SERVERS = registry();

    /** Every impl name, weft's first; the table keeps this order. */
    public static final List<String> IMPLS = List.copyOf(SERVERS.keySet());

    private EchoServers() {
    }

    /** The suite's factory of these servers, run in each server's process. */
    public static final class Registry implements NetSuite.ServerFactory {

        @Override
        public EchoServer create(String impl) {
            return EchoServers.create(impl);
        }

        @Override
        public List<String> jvmFlags(String impl) {
            return EchoServers.jvmFlags(impl);
        }
    }

    /**
     * The JVM flags the process of {@code impl} is started with, beyond the suite's own: the
     * configuration each peer's maintainers recommend for this JDK ({@link NettyEcho#JVM_FLAGS}),
     * and for {@code jdk-vt} the parallelism of the JDK's scheduler
     * ({@link JdkVirtualThreadEcho#JVM_FLAGS}).
     */
    public static List<String> jvmFlags(String impl) {
        if (impl.equals(NettyEcho.Transport.IO_URING.impl()) || impl.equals(NettyEcho.Transport.EPOLL.impl())) {
            return NettyEcho.JVM_FLAGS;
        }
        if (impl.equals(JdkVirtualThreadEcho.IMPL)) {
            return JdkVirtualThreadEcho.JVM_FLAGS;
        }
        return List.of();
    }

    /** The one place that maps impl names to servers. */
    private static Map<String, Supplier<EchoServer>> registry() {
        Map<String, Supplier<EchoServer>> servers = new LinkedHashMap<>();
        servers.put(WEFT, WeftEcho::uring);
        servers.put(WEFT_NIO, WeftEcho::nio);
        servers.put(NettyEcho.Transport.IO_URING.impl(), () -> new NettyEcho(NettyEcho.Transport.IO_URING));
        servers.put(NettyEcho.Transport.EPOLL.impl(), () -> new NettyEcho(NettyEcho.Transport.EPOLL));
        servers.put(JdkVirtualThreadEcho.IMPL, JdkVirtualThreadEcho::new);
        return Collections.unmodifiableMap(servers);
    }

    /**
     * A new, unstarted server of that name.
     *
     * @throws IllegalArgumentException naming the known impls, for any other name
     */
    public static EchoServer create(String impl) {
        Supplier<EchoServer> factory = SERVERS.get(impl);
        if (factory == null) {
            throw new IllegalArgumentException("no echo server '" + impl + "'; known: "
                    + String.join(", ", IMPLS));
        }
        EchoServer server = factory.get();
        if (!server.impl().equals(impl)) {
            throw new IllegalStateException("the registry maps '" + impl + "' to a server named '"
                    + server.impl() + "'; fix EchoServers.registry()");
        }
        return server;
    }

    /**
     * A server that cannot run, for {@code reason}: the suite reports it as skipped in every
     * case, and {@link EchoServer#start} throws.
     */
    public static EchoServer unavailable(String impl, String reason) {
        return new Unavailable(impl, reason);
    }

    private record Unavailable(String impl, String reason) implements EchoServer {

        Unavailable {
            Objects.requireNonNull(impl, "impl");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.of(reason);
        }

        @Override
        public int start(int workers) {
            throw new IllegalStateException(impl + " cannot start: " + reason);
        }

        @Override
        public void close() {
        }
    }
}
