package dev.weft.bench.http;

import dev.weft.bench.net.NettyEcho;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process of a Java peer ({@code netty-uring}, {@code netty-epoll}, {@code helidon}): starts
 * its server, prints one line {@code <impl> serving on http://127.0.0.1:<port>/ (<configuration>)},
 * and serves until its standard input ends or it gets SIGTERM, then stops the server.
 *
 * <p>Arguments: {@code <impl> <workers> <root>}.
 */
public final class HttpPeerMain {

    /** The Java peers, in table order. */
    static final List<String> IMPLS = List.of(NettyEcho.Transport.IO_URING.impl(), NettyEcho.Transport.EPOLL.impl(),
            HelidonHttp.IMPL);

    private HttpPeerMain() {
    }

    /** The peer's server; {@link IllegalArgumentException} naming the known ones for any other name. */
    static PeerServer create(String impl) {
        for (NettyEcho.Transport t : NettyEcho.Transport.values()) {
            if (t.impl().equals(impl)) {
                return new NettyHttp(t);
            }
        }
        if (impl.equals(HelidonHttp.IMPL)) {
            return new HelidonHttp();
        }
        throw new IllegalArgumentException("no Java peer '" + impl + "'; known: " + String.join(", ", IMPLS));
    }

    /**
     * The JVM flags of a peer's process: Netty's recommended flags for this JDK
     * ({@link NettyEcho#JVM_FLAGS}); for Helidon, the JDK's virtual-thread scheduler on as many
     * carrier threads as workers.
     */
    static List<String> jvmFlags(String impl, int workers) {
        List<String> flags = new ArrayList<>();
        if (impl.equals(HelidonHttp.IMPL)) {
            flags.add("-Djdk.virtualThreadScheduler.parallelism=" + workers);
        } else {
            flags.addAll(NettyEcho.JVM_FLAGS);
        }
        return flags;
    }

    /** {@code <impl> <workers> <root>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: HttpPeerMain <impl> <workers> <root>, impl one of " + String.join(", ", IMPLS));
            System.exit(2);
        }
        PeerServer server = create(args[0]);
        int port = server.start(Integer.parseInt(args[1]), Path.of(args[2]));
        Thread stopper = new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println(args[0] + ": stopping failed: " + e);
            }
        }, "weft-bench-http-peer-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        System.out.println(args[0] + " serving on http://127.0.0.1:" + port + "/ (" + server.configuration() + ")");
        System.out.flush();
        drain(System.in);
        Runtime.getRuntime().removeShutdownHook(stopper);
        server.close();
    }

    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // nothing is sent; the end of input is the signal to stop
            }
        } catch (IOException e) {
            // the suite is gone: stop as at the end of input
        }
    }
}
