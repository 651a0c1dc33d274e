package dev.weft.bench.net;

import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * weft's echo server: a runtime with {@code workers} workers, one task accepting, one task per
 * connection that reads into a direct buffer and writes what it read back. {@link #uring()} runs
 * it on io_uring ({@code weft}), {@link #nio()} on the NIO fallback ({@code weft-nio}).
 */
public final class WeftEcho implements EchoServer {

    private static final int BACKLOG = 1024;
    private static final int BUFFER_BYTES = 16 * 1024;

    private final String impl;
    private final IoMode mode;
    private Weft runtime;
    private JoinHandle<Void> acceptor;

    private WeftEcho(String impl, IoMode mode) {
        this.impl = impl;
        this.mode = mode;
    }

    /** weft on io_uring. */
    public static WeftEcho uring() {
        return new WeftEcho(EchoServers.WEFT, IoMode.URING);
    }

    /** weft on its NIO backend. */
    public static WeftEcho nio() {
        return new WeftEcho(EchoServers.WEFT_NIO, IoMode.NIO);
    }

    @Override
    public String impl() {
        return impl;
    }

    @Override
    public Optional<String> unavailableReason() {
        if (mode == IoMode.URING && !System.getProperty("os.name", "").equals("Linux")) {
            return Optional.of("io_uring is Linux-only");
        }
        return Optional.empty();
    }

    @Override
    public int start(int workers) throws Exception {
        runtime = Weft.start(Config.builder().workers(workers).io(mode)
                .threadNamePrefix(THREAD_PREFIX + impl).build());
        if (mode == IoMode.URING && !runtime.ioInfo().backend().equals("io_uring")) {
            throw new IllegalStateException("weft started on " + runtime.ioInfo().backend() + ", not io_uring");
        }
        CompletableFuture<Integer> port = new CompletableFuture<>();
        acceptor = runtime.spawn(() -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), BACKLOG)) {
                port.complete(listener.localAddress().getPort());
                for (;;) {
                    TcpStream conn = listener.accept();
                    runtime.spawn(() -> echo(conn));
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
                if (!runtime.isClosed()) {
                    throw e;
                }
            }
            return null;
        });
        return port.get(10, TimeUnit.SECONDS);
    }

    private static Void echo(TcpStream conn) throws IOException {
        try (conn) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES);
            while (conn.read(buf) > 0) {
                buf.flip();
                conn.writeAll(buf);
                buf.clear();
            }
        } catch (IOException e) {
            // the load generator closed the connection (reset): this connection is done
        }
        return null;
    }

    @Override
    public void close() {
        if (runtime == null) {
            return;
        }
        try {
            if (!runtime.shutdown(Duration.ofSeconds(2)) && !runtime.awaitTermination(Duration.ofSeconds(10))) {
                throw new IllegalStateException(impl + ": tasks were still running 13 s after shutdown began: "
                        + runtime.stats());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
