package dev.weft.examples;

import dev.weft.net.SocketOptions;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Weft;
import dev.weft.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The javadoc examples of {@code dev.weft.net}'s classes (the package's own: {@link TcpServerExamplesTest}). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetExamplesTest {

    /** Echoes until the peer closes. */
    static Void serve(TcpStream conn) throws IOException {
        try (conn) {
            ByteBuffer buf = ByteBuffer.allocate(1024);
            while (conn.read(buf) > 0) {
                conn.writeAll(buf.flip());
                buf.clear();
            }
        }
        return null;
    }

    /** {@link TcpListener}'s class javadoc: an accept loop, ended by the runtime's shutdown. */
    static void listen(Weft runtime) {
        runtime.spawn(() -> {
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 8080), 1024)) {
                for (;;) {
                    TcpStream conn = listener.accept();
                    Task.spawn(() -> serve(conn));
                }
            }
        });
    }

    @Test
    void theListenerExampleServesUntilShutdown() throws Exception {
        try (Weft runtime = Weft.start()) {
            listen(runtime);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Socket s = null;
            while (s == null) {
                try {
                    s = new Socket("127.0.0.1", 8080);
                } catch (IOException notYet) {
                    assertTrue(System.nanoTime() < deadline, "the example never listened on 8080");
                    Thread.sleep(20);
                }
            }
            try (Socket conn = s) {
                conn.setSoTimeout(30_000);
                conn.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
                assertEquals("ping", new String(conn.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
            }
            assertTrue(runtime.shutdown(Duration.ofSeconds(5)), "shutdown closes the listener, ending the loop");
        }
    }

    /** {@link SocketOptions}' javadoc, in a task: the listener it binds. */
    static int reusePort() throws Exception {
        try (Weft rt = Weft.start()) {
            return rt.spawn(() -> {
                InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
                TcpListener listener = TcpListener.bind(address, 1024, SocketOptions.DEFAULTS.withReusePort(true));
                try (listener) {
                    return listener.localAddress().getPort();
                }
            }).join();
        }
    }

    @Test
    void theSocketOptionsExampleBinds() throws Exception {
        assertTrue(reusePort() > 0);
    }
}
