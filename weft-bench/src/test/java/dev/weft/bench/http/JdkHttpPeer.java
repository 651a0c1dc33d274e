package dev.weft.bench.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test server on the JDK's own HTTP server: the suite's routes answered right, or, in
 * {@link Mode#ERRORS_AFTER_CHECK}, right for the requests of {@link ResponseCheck} and with status
 * 500 after them, or, in {@link Mode#WRONG_JSON}, with a wrong {@code /json} body. Runs in this
 * JVM ({@link #start}) or as a process of its own ({@link #main}), announcing its address as a
 * suite's server does.
 */
final class JdkHttpPeer implements AutoCloseable {

    enum Mode { RIGHT, ERRORS_AFTER_CHECK, WRONG_JSON }

    /** The requests {@link ResponseCheck#check} makes. */
    static final int CHECK_REQUESTS = 5;

    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();

    private JdkHttpPeer(HttpServer server) {
        this.server = server;
    }

    static JdkHttpPeer start(Path root, Mode mode) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        JdkHttpPeer peer = new JdkHttpPeer(server);
        server.createContext("/", exchange -> peer.answer(exchange, root, mode));
        server.start();
        return peer;
    }

    int port() {
        return server.getAddress().getPort();
    }

    long requests() {
        return requests.get();
    }

    private void answer(HttpExchange exchange, Path root, Mode mode) throws IOException {
        try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            in.readAllBytes();
            long n = requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            int status = 200;
            if (mode == Mode.ERRORS_AFTER_CHECK && n > CHECK_REQUESTS) {
                status = 500;
                body = "failing".getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/plaintext")) {
                body = NginxConf.PLAINTEXT.getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/json")) {
                body = (mode == Mode.WRONG_JSON ? "{\"message\":\"Hello\"}" : NginxConf.JSON).getBytes(StandardCharsets.UTF_8);
            } else if (BenchFiles.size(path) > 0) {
                body = Files.readAllBytes(root.resolve(path.substring(1)));
            } else {
                status = 404;
                body = new byte[0];
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** {@code <mode> <root>}: serves until its input ends. */
    public static void main(String[] args) throws IOException {
        JdkHttpPeer peer = start(Path.of(args[1]), Mode.valueOf(args[0]));
        System.out.println("jdk-" + args[0] + " serving on http://127.0.0.1:" + peer.port() + "/");
        System.out.flush();
        System.in.transferTo(OutputStream.nullOutputStream());
        peer.close();
    }
}
