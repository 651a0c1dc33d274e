package dev.weft.examples;

import dev.weft.http.HttpServer;
import dev.weft.http.Response;
import dev.weft.http.StaticFiles;
import dev.weft.runtime.Weft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The javadoc example of {@code dev.weft.http}'s package-info, run and asked over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpExamplesTest {

    /** The package's example, as written. */
    static HttpServer example(Weft rt, Path index) throws Exception {
        HttpServer server = HttpServer.builder(rt)
                .bind("127.0.0.1", 0)
                .get("/", req -> Response.file(index, 0, -1, "text/html; charset=utf-8"))
                .get("/hello", req -> Response.text("hello, " + req.queryParam("name").orElse("world") + "\n"))
                .get("/users/{id}", req -> Response.text("user " + req.pathParam("id") + "\n"))
                .post("/echo", req -> Response.bytes(200, "application/octet-stream", req.body()))
                .prefix("/api/", req -> Response.text(404, "no such API: " + req.path() + "\n"))
                .build()
                .start();
        System.out.println("listening on port " + server.port());
        return server;
    }

    @Test
    void thePackageExampleServesItsRoutes(@TempDir Path dir) throws Exception {
        Path index = Files.writeString(dir.resolve("index.html"), "<h1>weft</h1>\n");
        try (Weft rt = Weft.start(); HttpClient client = HttpClient.newHttpClient()) {
            HttpServer[] server = new HttpServer[1];
            String printed = Printed.by(() -> server[0] = example(rt, index));
            try (HttpServer s = server[0]) {
                assertEquals("listening on port " + s.port(), printed.strip());
                String base = "http://127.0.0.1:" + s.port();
                assertEquals("<h1>weft</h1>\n", get(client, base + "/").body());
                assertEquals("hello, ada\n", get(client, base + "/hello?name=ada").body());
                assertEquals("user 42\n", get(client, base + "/users/42").body());
                HttpResponse<String> echo = client.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                        .POST(HttpRequest.BodyPublishers.ofString("ping")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals("ping", echo.body());
                HttpResponse<String> api = get(client, base + "/api/nothing");
                assertEquals(404, api.statusCode());
                assertTrue(api.body().contains("/api/nothing"));
            }
        }
    }

    /** {@link StaticFiles}'s example, as written. */
    static HttpServer staticExample(Weft rt, Path root) throws Exception {
        HttpServer server = HttpServer.builder(rt)
                .bind("127.0.0.1", 0)
                .fallback(StaticFiles.of(root))
                .build()
                .start();
        return server;
    }

    @Test
    void theStaticFilesExampleServesTheRoot(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("index.html"), "<h1>weft</h1>\n");
        Files.writeString(dir.resolve("notes.txt"), "notes\n");
        try (Weft rt = Weft.start(); HttpClient client = HttpClient.newHttpClient();
             HttpServer s = staticExample(rt, dir)) {
            String base = "http://127.0.0.1:" + s.port();
            assertEquals("<h1>weft</h1>\n", get(client, base + "/").body());
            HttpResponse<String> notes = get(client, base + "/notes.txt");
            assertEquals("notes\n", notes.body());
            assertEquals("text/plain; charset=utf-8", notes.headers().firstValue("content-type").orElseThrow());
            assertEquals(404, get(client, base + "/../etc/passwd").statusCode());
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
