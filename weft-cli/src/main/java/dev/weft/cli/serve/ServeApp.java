package dev.weft.cli.serve;

import dev.weft.http.HttpServer;
import dev.weft.http.Response;
import dev.weft.http.StaticFiles;
import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code weft serve}'s application: a weft runtime and an HTTP server on it, with these routes
 * (GET, and so HEAD):
 * <ul>
 *   <li>{@code /plaintext} and {@code /json}: the TechEmpower framework benchmarks' tests of those
 *       names: {@code text/plain} {@code Hello, World!}, and {@code application/json}
 *       {@code {"message":"Hello, World!"}} serialized anew for each request (every response
 *       carries a live {@code Date} and {@code Server: weft});</li>
 *   <li>{@code /stats}: the runtime, its actors and the server as JSON ({@link StatsSnapshot#toJson});</li>
 *   <li>{@code /metrics}: the same in the Prometheus text format ({@link StatsSnapshot#toPrometheus});</li>
 *   <li>everything else: the files under {@code --root} ({@link StaticFiles}) when one is given,
 *       else weft's own site ({@link Site}): a page charting {@code /stats} live.</li>
 * </ul>
 *
 * <pre>{@code
 * ServeOptions options = new ServeOptions("127.0.0.1", 0, Optional.empty(), OptionalInt.of(1), IoMode.AUTO,
 *         Duration.ofSeconds(1));
 * try (ServeApp app = ServeApp.start(options, BuildInfo.read())) {
 *     System.out.println(app.startupLine()); // weft serve: http://127.0.0.1:40123/ (io_uring, 1 worker)
 * }
 * }</pre>
 */
public final class ServeApp implements AutoCloseable {

    /** The body of {@code /plaintext}. */
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private final ServeOptions options;
    private final BuildInfo build;
    private final Weft runtime;
    private final HttpServer server;
    private final long startNanos;

    private ServeApp(ServeOptions options, BuildInfo build, Weft runtime, HttpServer.Builder server) {
        this.options = options;
        this.build = build;
        this.runtime = runtime;
        this.startNanos = System.nanoTime();
        this.server = routes(server).build();
    }

    /**
     * Starts the runtime and the server; returns once it listens.
     *
     * @throws IOException           when the server cannot listen (the address is in use, or not this
     *                               machine's), naming the address; the runtime is stopped again
     * @throws IllegalStateException when the runtime cannot start (e.g. {@code --io uring} where the
     *                               kernel refuses io_uring), or weft's site is missing from the class path
     */
    public static ServeApp start(ServeOptions options, BuildInfo build) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(build, "build");
        Site site = options.root().isPresent() ? null : Site.load(build.uplotVersion());
        Config.Builder config = Config.builder().io(options.io());
        options.workers().ifPresent(config::workers);
        Weft rt = Weft.start(config.build());
        ServeApp app;
        try {
            HttpServer.Builder b = HttpServer.builder(rt)
                    .bind(options.host(), options.port())
                    .gracePeriod(options.grace());
            if (site != null) {
                site.routeOn(b);
            } else {
                b.fallback(StaticFiles.of(options.root().orElseThrow()));
            }
            app = new ServeApp(options, build, rt, b);
            app.server.start();
        } catch (IOException | RuntimeException e) {
            rt.shutdownNow();
            throw e;
        }
        return app;
    }

    /** The routes every {@code weft serve} has; they win over the site and the static files. */
    private HttpServer.Builder routes(HttpServer.Builder b) {
        return b.get("/plaintext", request -> Response.bytes(200, "text/plain", HELLO))
                .get("/json", request -> Response.bytes(200, "application/json",
                        new JsonWriter().beginObject().name("message").value("Hello, World!").endObject()
                                .toString().getBytes(StandardCharsets.UTF_8)))
                .get("/stats", request -> Response.bytes(200, "application/json",
                                stats().toJson().getBytes(StandardCharsets.UTF_8))
                        .header("Cache-Control", "no-store"))
                .get("/metrics", request -> Response.bytes(200, StatsSnapshot.PROMETHEUS_CONTENT_TYPE,
                                stats().toPrometheus().getBytes(StandardCharsets.UTF_8))
                        .header("Cache-Control", "no-store"));
    }

    /** The runtime, its actors and the server, read now. */
    public StatsSnapshot stats() {
        return StatsSnapshot.take(build.version(), startNanos, runtime, server);
    }

    /** The server's URL, with the port it listens on (the kernel's pick for port 0). */
    public URI url() {
        InetSocketAddress a = server.address();
        String host = a.getAddress().getHostAddress();
        if (a.getAddress() instanceof Inet6Address) {
            if (options.host().contains(":")) {
                host = options.host().replace("[", "").replace("]", ""); // the literal as given: ::1, not 0:0:...:1
            }
            int scope = host.indexOf('%');
            host = "[" + (scope < 0 ? host : host.substring(0, scope)) + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /**
     * The one line {@code weft serve} prints once it listens: the URL, the I/O backend, the worker
     * count, e.g. {@code weft serve: http://127.0.0.1:8080/ (io_uring, 2 workers)}.
     */
    public String startupLine() {
        int n = runtime.workers();
        return "weft serve: " + url() + " (" + runtime.ioInfo().backend() + ", " + n + (n == 1 ? " worker" : " workers")
                + ")";
    }

    /** The runtime the server runs on. */
    public Weft runtime() {
        return runtime;
    }

    /** The HTTP server. */
    public HttpServer server() {
        return server;
    }

    /**
     * Stops: no new connections, requests in flight finish within the options' grace period (their
     * connections close after the response), then the runtime stops. Idempotent.
     */
    @Override
    public void close() {
        server.stop(options.grace());
        try {
            runtime.shutdown(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.shutdownNow();
        }
    }
}
