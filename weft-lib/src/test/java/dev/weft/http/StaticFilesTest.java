package dev.weft.http;

import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.weft.http.HttpTesting.connect;
import static dev.weft.http.HttpTesting.read;
import static dev.weft.http.HttpTesting.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StaticFiles} behind a running server, over loopback: one behaviour per test. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaticFilesTest {

    private static Weft rt;
    @TempDir
    static Path dir;
    private static Path root;
    private static byte[] big;
    private HttpServer server;

    @BeforeAll
    static void startRuntime() throws Exception {
        rt = Weft.start();
        root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("hello.txt"), "hello, weft\n");
        Files.writeString(root.resolve("index.html"), "<h1>weft</h1>\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>\n");
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("style.css"), "body{}\n");
        Files.write(root.resolve("data.bin"), new byte[]{1, 2, 3});
        big = new byte[300_000]; // over MEMORY_FILE_BYTES: sent from the file
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(dir.resolve("secret.txt"), "outside the root\n");
        Files.createSymbolicLink(root.resolve("out-link"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("in-link.txt"), root.resolve("hello.txt"));
        Files.createSymbolicLink(root.resolve("out-dir"), dir);
    }

    @AfterAll
    static void stopRuntime() {
        rt.close();
    }

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.builder(rt).bind("127.0.0.1", 0)
                .get("/route", r -> Response.text("a route\n"))
                .fallback(StaticFiles.of(root))
                .build().start();
    }

    @AfterEach
    void stopServer() {
        server.stop(Duration.ofSeconds(1));
    }

    private HttpTesting.Raw request(String method, String target, String... headers) throws Exception {
        try (Socket s = connect(server.port())) {
            StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: t\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            send(s, req.append("Connection: close\r\n\r\n").toString());
            return read(s.getInputStream(), method.equals("HEAD"));
        }
    }

    private HttpTesting.Raw get(String target, String... headers) throws Exception {
        return request("GET", target, headers);
    }

    @Test
    void aFileIsServedWithTypeLengthLastModifiedAndAStrongEtag() throws Exception {
        HttpTesting.Raw r = get("/hello.txt");
        assertEquals(200, r.status());
        assertEquals("hello, weft\n", r.text());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertEquals("12", r.header("Content-Length"));
        assertEquals("bytes", r.header("Accept-Ranges"));
        String etag = r.header("ETag");
        assertTrue(etag.startsWith("\"") && etag.endsWith("\"") && !etag.startsWith("W/"), etag);
        Instant modified = Files.getLastModifiedTime(root.resolve("hello.txt")).toInstant();
        assertEquals(ZonedDateTime.ofInstant(modified, ZoneOffset.UTC).withNano(0),
                ZonedDateTime.parse(r.header("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME));
    }

    @Test
    void lastModifiedIsAnImfFixdateWithATwoDigitDay() throws Exception {
        Path f = fileModifiedAt("dated.txt", "2026-03-05T10:11:12.345Z");
        try {
            assertEquals("Thu, 05 Mar 2026 10:11:12 GMT", get("/dated.txt").header("Last-Modified"));
        } finally {
            Files.delete(f);
        }
    }

    /** A new file under the root, last modified at {@code instant}; the test deletes it. */
    private static Path fileModifiedAt(String name, String instant) throws Exception {
        Path f = root.resolve(name);
        Files.writeString(f, name);
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse(instant)));
        return f;
    }

    @Test
    void routesWinOverTheFiles() throws Exception {
        assertEquals("a route\n", get("/route").text());
    }

    @Test
    void contentTypeFollowsTheExtension() throws Exception {
        assertEquals("text/css; charset=utf-8", get("/style.css").header("Content-Type"));
        assertEquals("application/octet-stream", get("/data.bin").header("Content-Type"));
        assertEquals("text/html; charset=utf-8", get("/index.html").header("Content-Type"));
    }

    @Test
    void aDirectoryServesItsIndexHtml() throws Exception {
        assertEquals("<h1>weft</h1>\n", get("/").text());
        assertEquals("<h1>docs</h1>\n", get("/docs/").text());
    }

    @Test
    void aDirectoryWithoutItsSlashIsRedirected() throws Exception {
        HttpTesting.Raw r = get("/docs?x=1");
        assertEquals(301, r.status());
        assertEquals("/docs/?x=1", r.header("Location"));
    }

    @Test
    void theRedirectOfADirectoryAskedForWithSlashesStaysOnThisServer() throws Exception {
        HttpTesting.Raw r = get("//docs");
        assertEquals(301, r.status());
        assertEquals("/docs/", r.header("Location")); // not "//docs/": the host "docs"
        assertEquals("/docs/", get("///docs").header("Location"));
    }

    @Test
    void aDirectoryWithoutIndexIsNotListed() throws Exception {
        assertEquals(404, get("/empty/").status());
    }

    @Test
    void aMissingFileIs404() throws Exception {
        assertEquals(404, get("/nothing-here.txt").status());
    }

    @Test
    void headSendsTheHeadersWithoutTheBody() throws Exception {
        HttpTesting.Raw r = request("HEAD", "/big.bin");
        assertEquals(200, r.status());
        assertEquals(Integer.toString(big.length), r.header("Content-Length"));
        assertEquals(0, r.body().length);
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpTesting.Raw r = request("DELETE", "/hello.txt");
        assertEquals(405, r.status());
        assertEquals("GET, HEAD", r.header("Allow"));
    }

    @Test
    void aMatchingIfNoneMatchIs304() throws Exception {
        String etag = get("/hello.txt").header("ETag");
        HttpTesting.Raw r = get("/hello.txt", "If-None-Match: \"other\", " + etag);
        assertEquals(304, r.status());
        assertEquals(etag, r.header("ETag"));
        assertEquals(0, r.body().length);
        assertEquals(304, get("/hello.txt", "If-None-Match: W/" + etag).status()); // weak comparison
        assertEquals(304, get("/hello.txt", "If-None-Match: *").status());
        assertEquals(200, get("/hello.txt", "If-None-Match: \"other\"").status());
    }

    @Test
    void ifModifiedSinceIs304UnlessTheFileIsNewer() throws Exception {
        String lastModified = get("/hello.txt").header("Last-Modified");
        assertEquals(304, get("/hello.txt", "If-Modified-Since: " + lastModified).status());
        assertEquals(200, get("/hello.txt", "If-Modified-Since: Thu, 01 Jan 1998 00:00:00 GMT").status());
        assertEquals(200, get("/hello.txt", "If-Modified-Since: yesterday").status());
        // If-None-Match wins over If-Modified-Since
        assertEquals(200, get("/hello.txt", "If-None-Match: \"other\"", "If-Modified-Since: " + lastModified).status());
    }

    @Test
    void ifModifiedSinceIsReadInEachFormOfAnHttpDate() throws Exception {
        Path f = fileModifiedAt("since.txt", "2026-03-05T10:11:12Z");
        try {
            assertEquals(304, get("/since.txt", "If-Modified-Since: Thu, 05 Mar 2026 10:11:12 GMT").status());
            assertEquals(304, get("/since.txt", "If-Modified-Since: Thursday, 05-Mar-26 10:11:12 GMT").status());
            assertEquals(304, get("/since.txt", "If-Modified-Since: Thu Mar  5 10:11:12 2026").status());
            assertEquals(200, get("/since.txt", "If-Modified-Since: Wednesday, 04-Mar-26 10:11:12 GMT").status());
            assertEquals(200, get("/since.txt", "If-Modified-Since: Wed Mar  4 10:11:12 2026").status());
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void oneRangeIs206() throws Exception {
        HttpTesting.Raw r = get("/hello.txt", "Range: bytes=0-4");
        assertEquals(206, r.status());
        assertEquals("hello", r.text());
        assertEquals("bytes 0-4/12", r.header("Content-Range"));
        assertEquals("weft\n", get("/hello.txt", "Range: bytes=-5").text());
        assertEquals("weft\n", get("/hello.txt", "Range: bytes=7-").text());
        assertEquals("weft\n", get("/hello.txt", "Range: bytes=7-1000").text());
    }

    @Test
    void aRangeOfALargeFileIsSentFromTheFile() throws Exception {
        HttpTesting.Raw r = get("/big.bin", "Range: bytes=100000-199999");
        assertEquals(206, r.status());
        assertArrayEquals(Arrays.copyOfRange(big, 100_000, 200_000), r.body());
        assertEquals("bytes 100000-199999/" + big.length, r.header("Content-Range"));
        assertArrayEquals(big, get("/big.bin").body());
    }

    @Test
    void anUnsatisfiableRangeIs416() throws Exception {
        HttpTesting.Raw r = get("/hello.txt", "Range: bytes=12-");
        assertEquals(416, r.status());
        assertEquals("bytes */12", r.header("Content-Range"));
        assertEquals(416, get("/hello.txt", "Range: bytes=-0").status());
    }

    @Test
    void severalRangesOrAMalformedOneGetTheWholeFile() throws Exception {
        assertEquals(200, get("/hello.txt", "Range: bytes=0-1,4-5").status());
        assertEquals(200, get("/hello.txt", "Range: bytes=5-1").status());
        assertEquals(200, get("/hello.txt", "Range: items=0-1").status());
        assertEquals(200, get("/hello.txt", "Range: bytes=x-1").status());
    }

    @Test
    void aStaleIfRangeGetsTheWholeFile() throws Exception {
        String etag = get("/hello.txt").header("ETag");
        assertEquals(206, get("/hello.txt", "Range: bytes=0-1", "If-Range: " + etag).status());
        assertEquals(200, get("/hello.txt", "Range: bytes=0-1", "If-Range: \"stale\"").status());
    }

    @Test
    void aChangedFileIsServedChangedAtOnce() throws Exception {
        Path f = root.resolve("changing.txt");
        Files.writeString(f, "one");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        HttpTesting.Raw first = get("/changing.txt");
        assertEquals("one", first.text());
        Files.writeString(f, "two!");
        HttpTesting.Raw second = get("/changing.txt");
        assertEquals("two!", second.text());
        assertNotEquals(first.header("ETag"), second.header("ETag"));
        Files.delete(f);
        assertEquals(404, get("/changing.txt").status());
    }

    @Test
    void aLinkInsideTheRootIsServed() throws Exception {
        assertEquals("hello, weft\n", get("/in-link.txt").text());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/../secret.txt", "/docs/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
            "/..%2fsecret.txt", "/docs/..%2F..%2Fsecret.txt", "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt",
            "/..\\secret.txt", "/docs\\..\\..\\secret.txt", "/%5c..%5csecret.txt", "/hello.txt%00.html",
            "/%00", "/out-link", "/out-dir/secret.txt", "/./hello.txt",
            "http://t/hello.txt", "http://t/../secret.txt", "/%c0%ae%c0%ae/secret.txt"})
    void nothingOutsideTheRootIsServed(String target) throws Exception {
        HttpTesting.Raw r = get(target);
        assertEquals(404, r.status(), target);
        assertTrue(!r.text().contains("outside the root"), target);
    }

    @Test
    void theRootMustBeAnExistingDirectory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StaticFiles.of(dir.resolve("no-such-dir")));
        assertTrue(e.getMessage().contains("no-such-dir"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StaticFiles.of(root.resolve("hello.txt")));
        assertTrue(e.getMessage().contains("not a readable directory"), e.getMessage());
    }

    @Test
    void rangesParse() {
        assertArrayEquals(new long[]{0, 9}, StaticFiles.parseRange("bytes=0-9", 100));
        assertArrayEquals(new long[]{90, 99}, StaticFiles.parseRange("bytes=-10", 100));
        assertArrayEquals(new long[]{0, 99}, StaticFiles.parseRange("bytes=-1000", 100));
        assertArrayEquals(new long[]{50, 99}, StaticFiles.parseRange("bytes=50-", 100));
        assertSame(StaticFiles.UNSATISFIABLE, StaticFiles.parseRange("bytes=100-", 100));
        assertSame(StaticFiles.UNSATISFIABLE, StaticFiles.parseRange("bytes=0-0", 0));
        assertNull(StaticFiles.parseRange("bytes=0-1,3-4", 100));
        assertNull(StaticFiles.parseRange("bytes=99999999999999999999-", 100));
        assertNull(StaticFiles.parseRange("bytes=", 100));
    }

    @Test
    void targetsMapToPathsUnderTheRoot() {
        assertEquals("", StaticFiles.relativePath("/", "/"));
        assertEquals("a/b.txt", StaticFiles.relativePath("/a//b.txt", "/a//b.txt"));
        assertEquals("a b/", StaticFiles.relativePath("/a%20b/", "/a%20b/"));
        assertNull(StaticFiles.relativePath("/a/%2e%2e/b", "/a/%2e%2e/b"));
        assertNull(StaticFiles.relativePath("*", "*"));
        assertNull(StaticFiles.relativePath("/%zz", "/%zz"));
    }
}
