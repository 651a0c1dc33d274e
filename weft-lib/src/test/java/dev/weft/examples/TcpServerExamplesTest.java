package dev.weft.examples;

import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Weft;
import dev.weft.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The TCP echo servers of the README and of {@code dev.weft.net}'s package javadoc. Each serves
 * until SIGTERM, so each runs in a child JVM (weft as the named module, as the weft command runs
 * it): the test echoes a message over loopback, sends SIGTERM and waits for the server to end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpServerExamplesTest {

    /** The port both examples listen on. */
    static final int PORT = 7000;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "readme" -> readme();
            case "net-package" -> netPackage();
            default -> throw new IllegalArgumentException("no example " + args[0]);
        }
    }

    /** README, "TCP on io_uring". */
    static void readme() throws Exception {
        try (Weft rt = Weft.start()) {                       // io_uring where it works, else NIO
            rt.spawn(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 7000), 1024)) {
                    for (;;) {
                        TcpStream conn = listener.accept();         // parks the task, not the worker
                        Task.spawn(() -> {
                            try (conn) {
                                ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
                                while (conn.read(buf) > 0) {        // one RECV SQE, submitted in a batch
                                    conn.writeAll(buf.flip());
                                    buf.clear();
                                }
                            }                                       // a void body may throw IOException
                        });
                    }
                }
            });
            rt.shutdownOnSignals(Duration.ofSeconds(5)).awaitTermination();   // serves until SIGINT/SIGTERM
        }
    }

    /** {@code dev.weft.net}'s package javadoc. */
    static void netPackage() throws Exception {
        try (Weft rt = Weft.start()) {
            rt.spawn(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 7000), 1024)) {
                    for (;;) {
                        TcpStream conn = listener.accept();
                        Task.spawn(() -> {
                            try (conn) {
                                ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);
                                while (conn.read(buf) > 0) {
                                    conn.writeAll(buf.flip());
                                    buf.clear();
                                }
                            }
                        });
                    }
                }
            });
            rt.shutdownOnSignals(Duration.ofSeconds(5)).awaitTermination(); // serves until SIGINT/SIGTERM
        }
    }

    @Test
    void theReadmeServerEchoesAndEndsOnSigterm() throws Exception {
        echoThenTerminate("readme");
    }

    @Test
    void theNetPackageServerEchoesAndEndsOnSigterm() throws Exception {
        echoThenTerminate("net-package");
    }

    private static void echoThenTerminate(String example) throws Exception {
        assertFalse(listening(), "port " + PORT + " on 127.0.0.1 is taken before the example starts: stop"
                + " what listens there (the examples bind it as the documentation shows)");
        Path classes = Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(TcpServerExamplesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", classes.toString(), "--patch-module", "dev.weft=" + testClasses,
                "--add-opens", "java.base/java.lang=dev.weft", "--enable-native-access=dev.weft",
                "-m", "dev.weft/" + TcpServerExamplesTest.class.getName(), example);
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!listening()) {
                assertTrue(server.isAlive(), "the " + example + " example ended before it listened: " + command);
                assertTrue(System.nanoTime() < deadline, "the " + example + " example never listened");
                Thread.sleep(50);
            }
            try (Socket s = new Socket("127.0.0.1", PORT)) {
                s.setSoTimeout(30_000);
                byte[] hello = "hello, weft".getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(hello);
                assertEquals("hello, weft", new String(readN(s.getInputStream(), hello.length), StandardCharsets.UTF_8));
            }
            server.destroy(); // SIGTERM: the runtime's shutdown hook ends the server
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the " + example + " example did not end on SIGTERM");
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] readN(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            fail("echo ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }
}
