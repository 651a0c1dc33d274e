package dev.weft.examples;

import dev.weft.http.HttpServer;
import dev.weft.http.Response;
import dev.weft.http.StaticFiles;
import dev.weft.net.TcpListener;
import dev.weft.net.TcpStream;
import dev.weft.runtime.Weft;
import dev.weft.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The servers of the README (TCP echo, HTTP) and of {@code dev.weft.net}'s package javadoc. Each
 * serves until SIGTERM, so each runs in a child JVM (weft as the named module, as the weft command
 * runs it): the test talks to it over loopback, sends SIGTERM and waits for the server to end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpServerExamplesTest {

    /** The port the TCP examples listen on. */
    static final int PORT = 7000;
    /** The port the HTTP example listens on. */
    static final int HTTP_PORT = 8081;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "readme" -> readme();
            case "net-package" -> netPackage();
            case "readme-http" -> readmeHttp(Path.of(args[1]));
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

    /** README, "HTTP: handlers on weft tasks" (the working directory is {@code dir} there). */
    static void readmeHttp(Path dir) throws Exception {
        try (Weft rt = Weft.start();
             HttpServer server = HttpServer.builder(rt)
                     .bind("127.0.0.1", 8081)
                     .get("/hello/{name}", req -> Response.text("hello, " + req.pathParam("name") + "\n"))
                     .post("/count", req -> {
                         byte[] body = req.body();                  // parks this connection's task, not a worker
                         return Response.text(body.length + " bytes\n");
                     })
                     .fallback(StaticFiles.of(dir))                 // the files under dir, for every other path
                     .build()
                     .start()) {
            rt.shutdownOnSignals(Duration.ofSeconds(5)).awaitTermination();   // serves until SIGINT/SIGTERM
        }
    }

    @Test
    void theReadmeHttpServerAnswersAndEndsOnSigterm(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("index.html"), "<h1>weft</h1>\n");
        Process server = startExample(HTTP_PORT, "readme-http", dir.toString());
        try (HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + HTTP_PORT;
            assertEquals("hello, ada\n", client.send(HttpRequest.newBuilder(URI.create(base + "/hello/ada")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("5 bytes\n", client.send(HttpRequest.newBuilder(URI.create(base + "/count"))
                    .POST(HttpRequest.BodyPublishers.ofString("weft!")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("<h1>weft</h1>\n", client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            terminate(server, "readme-http");
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
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
        Process server = startExample(PORT, example);
        try {
            try (Socket s = new Socket("127.0.0.1", PORT)) {
                s.setSoTimeout(30_000);
                byte[] hello = "hello, weft".getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(hello);
                assertEquals("hello, weft", new String(readN(s.getInputStream(), hello.length), StandardCharsets.UTF_8));
            }
            terminate(server, example);
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts {@link #main} with {@code args} in a child JVM and waits until it listens on {@code port}. */
    private static Process startExample(int port, String... args) throws Exception {
        String example = args[0];
        assertFalse(listening(port), "port " + port + " on 127.0.0.1 is taken before the example starts: stop"
                + " what listens there (the examples bind it as the documentation shows)");
        Path classes = Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(TcpServerExamplesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", classes.toString(), "--patch-module", "dev.weft=" + testClasses,
                "--add-reads", "dev.weft=java.net.http",
                "--add-opens", "java.base/java.lang=dev.weft", "--enable-native-access=dev.weft",
                "-m", "dev.weft/" + TcpServerExamplesTest.class.getName()));
        command.addAll(List.of(args));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening(port)) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                server.destroyForcibly();
                fail("the " + example + " example " + (server.isAlive() ? "never listened" : "ended before it listened")
                        + ": " + command);
            }
            Thread.sleep(50);
        }
        return server;
    }

    private static void terminate(Process server, String example) throws InterruptedException {
        server.destroy(); // SIGTERM: the runtime's shutdown hook ends the server
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the " + example + " example did not end on SIGTERM");
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
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
