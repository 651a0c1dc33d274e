package dev.weft.bench.http;

import io.helidon.common.Version;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.staticcontent.StaticContentService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The Helidon SE 4 peer: Helidon's {@link WebServer} in its default configuration, which runs
 * each connection and request on a virtual thread; {@code workers} is the number of carrier
 * threads of the JDK's virtual-thread scheduler, set by its process's flag
 * ({@link HttpPeerMain#jvmFlags}). {@code /plaintext} and {@code /json} are routes that send a
 * fixed body; files are served by Helidon's static-content service
 * ({@code helidon-webserver-static-content}) from the directory.
 */
final class HelidonHttp implements PeerServer {

    /** The impl name. */
    static final String IMPL = "helidon";
    private static final byte[] PLAINTEXT = NginxConf.PLAINTEXT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] JSON = NginxConf.JSON.getBytes(StandardCharsets.UTF_8);

    private WebServer server;

    @Override
    public String configuration() {
        return "helidon " + Version.VERSION + " WebServer, defaults (a virtual thread per connection), static content by"
                + " StaticContentService, virtual-thread carriers: "
                + System.getProperty("jdk.virtualThreadScheduler.parallelism", "the JDK's default");
    }

    @Override
    @SuppressWarnings("deprecation") // StaticContentService.create(Path): the one-line form of a file-system service
    public int start(int workers, Path root) {
        if (workers < 1) {
            throw new IllegalArgumentException(IMPL + ": workers must be >= 1, was " + workers);
        }
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(r -> r
                        .get("/plaintext", (req, res) -> {
                            res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN);
                            res.send(PLAINTEXT);
                        })
                        .get("/json", (req, res) -> {
                            res.header(HeaderValues.CONTENT_TYPE_JSON);
                            res.send(JSON);
                        })
                        .register("/", StaticContentService.create(root)))
                .build()
                .start();
        return server.port();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
