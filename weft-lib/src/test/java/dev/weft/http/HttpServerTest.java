package dev.weft.http;

import dev.weft.runtime.Weft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.weft.http.HttpTesting.connect;
import static dev.weft.http.HttpTesting.exchange;
import static dev.weft.http.HttpTesting.read;
import static dev.weft.http.HttpTesting.readToEnd;
import static dev.weft.http.HttpTesting.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server over loopback, with raw sockets and the JDK's HttpClient: one behaviour per test. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpServerTest {

    private static Weft rt;
    private static HttpClient client;
    private HttpServer server;

    @BeforeAll
    static void startRuntime() {
        rt = Weft.start();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stopRuntime() {
        client.close();
        rt.close();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    private int start(UnaryOperator<HttpServer.Builder> routes) throws Exception {
        server = routes.apply(HttpServer.builder(rt).bind("127.0.0.1", 0)).build().start();
        return server.port();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pathParametersArePercentDecoded() throws Exception {
        int port = start(b -> b.get("/users/{id}/posts/{post}",
                r -> Response.text(r.pathParam("id") + "," + r.pathParam("post"))));
        assertEquals("ada lovelace,7", get(port, "/users/ada%20lovelace/posts/7").body());
    }

    @Test
    void queryParametersAreDecodedAndRepeatsKept() throws Exception {
        int port = start(b -> b.get("/q", r -> Response.text(r.queryParams().toString())));
        assertEquals("{a=[1, 3], b=[x y], c=[]}", get(port, "/q?a=1&b=x+y&a=3&c").body());
    }

    @Test
    void theLongestPrefixRouteWinsAfterExactRoutes() throws Exception {
        int port = start(b -> b.prefix("/s/", r -> Response.text("short"))
                .prefix("/s/long/", r -> Response.text("long"))
                .get("/s/long/exact", r -> Response.text("exact")));
        assertEquals("short", get(port, "/s/x").body());
        assertEquals("long", get(port, "/s/long/x/y").body());
        assertEquals("exact", get(port, "/s/long/exact").body());
    }

    @Test
    void anUnroutedPathGoesToTheFallback() throws Exception {
        int port = start(b -> b.fallback(r -> Response.text(418, "fallback " + r.path())));
        HttpResponse<String> r = get(port, "/nowhere");
        assertEquals(418, r.statusCode());
        assertEquals("fallback /nowhere", r.body());
    }

    @Test
    void theDefaultFallbackIs404() throws Exception {
        int port = start(b -> b);
        assertEquals(404, get(port, "/nowhere").statusCode());
    }

    @Test
    void aPathRoutedForAnotherMethodOnlyIs405WithAllow() throws Exception {
        int port = start(b -> b.get("/r", r -> Response.text("x")).route("PUT", "/r", r -> Response.text("y")));
        String answer = exchange(port, "DELETE /r HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), answer);
        assertTrue(answer.contains("\r\nAllow: GET, HEAD, PUT\r\n"), answer);
    }

    @Test
    void headRunsTheGetRouteAndSendsNoBody() throws Exception {
        int port = start(b -> b.get("/h", r -> Response.text("twelve bytes")));
        try (Socket s = connect(port)) {
            send(s, "HEAD /h HTTP/1.1\r\nHost: h\r\n\r\nGET /h HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = s.getInputStream();
            HttpTesting.Raw head = read(in, true);
            assertEquals("12", head.header("content-length"));
            assertEquals(0, head.body().length);
            assertEquals("twelve bytes", read(in, false).text()); // the next answer follows at once
        }
    }

    @Test
    void everyResponseHasServerAndACurrentDate() throws Exception {
        int port = start(b -> b.get("/", r -> Response.text("x")));
        ZonedDateTime before = ZonedDateTime.now().withNano(0);
        HttpResponse<String> r = get(port, "/");
        ZonedDateTime after = ZonedDateTime.now();
        assertEquals("weft", r.headers().firstValue("server").orElseThrow());
        ZonedDateTime date = ZonedDateTime.parse(r.headers().firstValue("date").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME);
        assertTrue(!date.isBefore(before) && !date.isAfter(after), date + " not within " + before + " .. " + after);
    }

    @Test
    void aFixedLengthBodyIsReadWhole() throws Exception {
        int port = start(b -> b.post("/echo", r -> Response.bytes(200, "application/octet-stream", r.body())));
        byte[] body = new byte[300_000];
        new java.util.Random(7).nextBytes(body);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(body, r.body());
    }

    @Test
    void aChunkedBodyIsDecodedForTheStream() throws Exception {
        int port = start(b -> b.post("/len", r -> {
            try (InputStream in = r.bodyStream()) {
                return Response.text(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }));
        String answer = exchange(port, "POST /len HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n3\r\nabc\r\n4;x=y\r\ndefg\r\n0\r\nT: 1\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\nabcdefg"), answer);
    }

    @Test
    void aContentLengthOverTheLimitIs413BeforeTheHandler() throws Exception {
        int[] calls = new int[1];
        int port = start(b -> b.maxBodyBytes(10).post("/p", r -> {
            calls[0]++;
            return Response.text("ran");
        }));
        String answer = exchange(port, "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n01234567890");
        assertTrue(answer.startsWith("HTTP/1.1 413 Content Too Large\r\n"), answer);
        assertEquals(0, calls[0]);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        int port = start(b -> b.maxBodyBytes(10).post("/p", r -> Response.text(r.bodyAsString())));
        String answer = exchange(port, "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    }

    @Test
    void aStreamedResponseIsChunkedForHttp11() throws Exception {
        int port = start(b -> b.get("/s", r -> Response.stream(200, "text/plain", out -> {
            for (int i = 0; i < 3; i++) {
                out.write(("part" + i + ";").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        })));
        try (Socket s = connect(port)) {
            send(s, "GET /s HTTP/1.1\r\nHost: h\r\n\r\n");
            HttpTesting.Raw r = read(s.getInputStream(), false);
            assertEquals("chunked", r.header("transfer-encoding"));
            assertNull(r.header("content-length"));
            assertEquals("part0;part1;part2;", r.text());
        }
        assertEquals("part0;part1;part2;", get(port, "/s").body());
    }

    @Test
    void aStreamedResponseToHttp10EndsWithTheClose() throws Exception {
        int port = start(b -> b.get("/s", r -> Response.stream(200, "text/plain",
                out -> out.write("all of it".getBytes(StandardCharsets.US_ASCII)))));
        String answer = exchange(port, "GET /s HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\nall of it"), answer);
    }

    @Test
    void aFileRegionIsSent(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("f.bin");
        byte[] data = new byte[200_000];
        new java.util.Random(3).nextBytes(data);
        Files.write(f, data);
        int port = start(b -> b.get("/f", r -> Response.file(f, 1000, 150_000, "application/octet-stream")));
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/f"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 151_000), r.body());
    }

    @Test
    void aMissingFileIs500() throws Exception {
        int port = start(b -> b.get("/f", r -> Response.file(Path.of("/nonexistent/weft/file"), 0, -1, "x/y")));
        assertEquals(500, get(port, "/f").statusCode());
        assertEquals(1, server.handlerFailures());
    }

    @Test
    void keepAliveServesRequestsOnOneConnection() throws Exception {
        int port = start(b -> b.get("/n", r -> Response.text(r.queryParam("i").orElseThrow())));
        try (Socket s = connect(port)) {
            InputStream in = s.getInputStream();
            for (int i = 0; i < 5; i++) {
                send(s, "GET /n?i=" + i + " HTTP/1.1\r\nHost: h\r\n\r\n");
                assertEquals(String.valueOf(i), read(in, false).text());
            }
        }
        assertEquals(1, server.acceptedConnections());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        int port = start(b -> b.get("/n", r -> {
            int i = Integer.parseInt(r.queryParam("i").orElseThrow());
            Thread.sleep(i % 2 == 0 ? 20 : 0); // a slow one first must not be overtaken
            return Response.text("answer " + i);
        }).post("/p", r -> Response.text("posted " + r.bodyAsString())));
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            pipeline.append("GET /n?i=").append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
            pipeline.append("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n").append(i).append('!');
        }
        try (Socket s = connect(port)) {
            send(s, pipeline.toString());
            InputStream in = s.getInputStream();
            for (int i = 0; i < 10; i++) {
                assertEquals("answer " + i, read(in, false).text());
                assertEquals("posted " + i + "!", read(in, false).text());
            }
        }
    }

    @Test
    void expectContinueGets100WhenTheHandlerReadsTheBody() throws Exception {
        int port = start(b -> b.post("/p", r -> Response.text("got " + r.bodyAsString())));
        try (Socket s = connect(port)) {
            send(s, "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            InputStream in = s.getInputStream();
            assertEquals("HTTP/1.1 100 Continue", HttpTesting.line(in));
            assertEquals("", HttpTesting.line(in));
            send(s, "body");
            assertEquals("got body", read(in, false).text());
        }
    }

    @Test
    void expectContinueWithoutABodyReadGetsNo100AndTheConnectionCloses() throws Exception {
        int port = start(b -> b.post("/p", r -> Response.text(403, "no")));
        try (Socket s = connect(port)) {
            send(s, "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            String answer = readToEnd(s);
            assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
        }
    }

    @Test
    void connectionCloseClosesAfterTheResponse() throws Exception {
        int port = start(b -> b.get("/", r -> Response.text("x")));
        String answer = exchange(port, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\nx"), answer);
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        int port = start(b -> b.get("/", r -> Response.text("x")));
        assertTrue(exchange(port, "GET / HTTP/1.0\r\n\r\n").endsWith("\r\n\r\nx"));
        try (Socket s = connect(port)) {
            send(s, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            HttpTesting.Raw r = read(s.getInputStream(), false);
            assertEquals("keep-alive", r.header("connection"));
            send(s, "GET / HTTP/1.0\r\n\r\n");
            assertTrue(readToEnd(s).endsWith("\r\n\r\nx"));
        }
    }

    @Test
    void aMalformedRequestIsAnsweredWithItsStatusAndClosed() throws Exception {
        int port = start(b -> b.get("/", r -> Response.text("x")));
        String answer = exchange(port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
        assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
    }

    @Test
    void aRefusalOfAHeadRequestSendsNoBody() throws Exception {
        int port = start(b -> b.get("/boom", r -> {
            throw new IllegalStateException("boom (expected by the test)");
        }));
        String failed = exchange(port, "HEAD /boom HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(failed.startsWith("HTTP/1.1 500 "), failed);
        assertTrue(failed.endsWith("\r\n\r\n"), "the head, and nothing after it: " + failed);
        String refused = exchange(port, "HEAD /boom HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999\r\n\r\n");
        assertTrue(refused.startsWith("HTTP/1.1 413 "), refused);
        assertTrue(refused.endsWith("\r\n\r\n"), "the head, and nothing after it: " + refused);
    }

    @Test
    void aSlowHeaderSectionIs408AndClosed() throws Exception {
        int port = start(b -> b.headerTimeout(Duration.ofMillis(300)).get("/", r -> Response.text("x")));
        try (Socket s = connect(port)) {
            send(s, "GET / HTTP/1.1\r\nHo"); // and nothing more: the head never completes
            String answer = readToEnd(s);
            assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
        }
    }

    @Test
    void aSlowlorisClientThatKeepsSendingAfterIts408IsClosedAnyway() throws Exception {
        int port = start(b -> b.headerTimeout(Duration.ofMillis(300)).get("/", r -> Response.text("x")));
        try (Socket s = connect(port)) {
            send(s, "GET / HTTP/1.1\r\nHo");
            assertTrue(readToEnd(s).startsWith("HTTP/1.1 408 ")); // the server shut its side down
            // and the client drips on, a byte well within each read's timeout, as slowloris does
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 200 && server.openConnections() > 0; i++) {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException closed) {
                    // the server closed its end: the count below is what is awaited
                }
                Thread.sleep(50);
            }
            assertEquals(0, server.openConnections(), "the server still reads a client that keeps sending after"
                    + " its error answer");
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosed() throws Exception {
        int port = start(b -> b.idleTimeout(Duration.ofMillis(200)).get("/", r -> Response.text("x")));
        try (Socket s = connect(port)) {
            send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = s.getInputStream();
            assertEquals("x", read(in, false).text());
            assertEquals(-1, in.read(), "the server closed the idle connection without a word");
        }
    }

    @Test
    void aThrowingHandlerGets500ClosesItsConnectionAndTheServerGoesOn() throws Exception {
        int port = start(b -> b.get("/boom", r -> {
            throw new IllegalStateException("boom (expected by the test)");
        }).get("/ok", r -> Response.text("ok")));
        try (Socket s = connect(port)) {
            send(s, "GET /boom HTTP/1.1\r\nHost: h\r\n\r\nGET /ok HTTP/1.1\r\nHost: h\r\n\r\n");
            String answer = readToEnd(s); // closed after the 500: the pipelined request is not answered
            assertTrue(answer.startsWith("HTTP/1.1 500 Internal Server Error\r\n"), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
            assertTrue(!answer.contains("\r\n\r\nok"), answer);
        }
        assertEquals(1, server.handlerFailures());
        assertEquals("ok", get(port, "/ok").body());
    }

    @Test
    void aHandlerThatReturnsNullIsAFailure() throws Exception {
        int port = start(b -> b.get("/", r -> null));
        assertEquals(500, get(port, "/").statusCode());
        assertEquals(1, server.handlerFailures());
    }

    @Test
    void aHandlerMayAnswerWithAnHttpException() throws Exception {
        int port = start(b -> b.get("/", r -> {
            throw new HttpException(403, "not for you");
        }));
        String answer = exchange(port, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), answer);
        assertEquals(0, server.handlerFailures());
    }

    @Test
    void stopLetsARequestInFlightFinishAndRefusesNewConnections() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int port = start(b -> b.get("/slow", r -> {
            entered.countDown();
            release.await();
            return Response.text("finished");
        }));
        try (Socket s = connect(port)) {
            send(s, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            Thread stopper = Thread.ofPlatform().start(() -> server.stop(Duration.ofSeconds(20)));
            while (!server.toString().contains("stopped")) {
                Thread.sleep(1);
            }
            Thread.sleep(50); // let the listener close
            assertThrows(java.io.IOException.class, () -> exchange(port, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"));
            release.countDown();
            String answer = readToEnd(s);
            assertTrue(answer.endsWith("\r\n\r\nfinished"), answer);
            assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
            stopper.join(20_000);
        }
        assertEquals(0, server.openConnections());
    }

    @Test
    void stopClosesIdleConnections() throws Exception {
        int port = start(b -> b.get("/", r -> Response.text("x")));
        try (Socket s = connect(port)) {
            send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = s.getInputStream();
            read(in, false);
            server.stop(Duration.ofSeconds(10));
            assertEquals(-1, in.read());
        }
        assertEquals(0, server.openConnections());
    }

    @Test
    void aClientThatLeavesInTheMiddleOfItsBodyIsNoHandlerFailure() throws Exception {
        CountDownLatch failedRead = new CountDownLatch(1);
        int port = start(b -> b.post("/p", r -> {
            try {
                return Response.text(r.bodyAsString());
            } catch (java.io.IOException e) {
                failedRead.countDown();
                throw e;
            }
        }));
        try (Socket s = connect(port)) {
            send(s, "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nonly ten b");
            s.shutdownOutput();
            assertEquals("", readToEnd(s), "nobody to answer: the server closes without a word");
        }
        assertTrue(failedRead.await(10, TimeUnit.SECONDS));
        assertEquals(0, server.handlerFailures());
    }

    @Test
    void aDeclaredBodyLengthReservesNoMemoryBeforeItsBytesArrive() throws Exception {
        // more declared bodies of the largest limit than the heap could hold at once: a server that
        // reserved each declared length up front would fail them with OutOfMemoryError
        long declared = Integer.MAX_VALUE - 16;
        int clients = (int) Math.min(16, Runtime.getRuntime().maxMemory() / declared + 2);
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> outcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();
        CountDownLatch reading = new CountDownLatch(clients);
        CountDownLatch done = new CountDownLatch(clients);
        int port = start(b -> b.maxBodyBytes(declared).post("/p", r -> {
            reading.countDown();
            try {
                return Response.text(r.body().length + "\n");
            } catch (Throwable t) {
                outcomes.add(t);
                throw t;
            } finally {
                done.countDown();
            }
        }));
        Socket[] sockets = new Socket[clients];
        try {
            for (int i = 0; i < clients; i++) {
                sockets[i] = connect(port);
                send(sockets[i], "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: " + declared + "\r\n\r\nten bytes!");
            }
            assertTrue(reading.await(20, TimeUnit.SECONDS));
        } finally {
            for (Socket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        assertTrue(done.await(20, TimeUnit.SECONDS));
        assertEquals(clients, outcomes.size());
        for (Throwable t : outcomes) {
            assertTrue(t instanceof java.io.EOFException, "each body read ends at the client's close, not with " + t);
        }
    }

    @Test
    void eachConnectionIsATemporaryChildOfTheServersSupervisor() throws Exception {
        int port = start(b -> b.get("/ok", r -> Response.text("ok"))
                .get("/boom", r -> {
                    throw new IllegalStateException("boom");
                }));
        try (Socket one = connect(port); Socket two = connect(port)) {
            for (Socket s : new Socket[]{one, two}) {
                send(s, "GET /ok HTTP/1.1\r\nHost: h\r\n\r\n");
                assertEquals(200, read(s.getInputStream(), false).status());
            }
            List<dev.weft.actor.Supervisor.Child> children = connectionActors();
            assertEquals(2, children.size(), children.toString());
            assertTrue(children.stream().allMatch(c -> c.id().equals("connection") && c.pid() != null));

            send(one, "GET /boom HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals(500, read(one.getInputStream(), false).status());
            assertEquals("", readToEnd(one));
            for (int i = 0; i < 1000 && connectionActors().size() != 1; i++) {
                Thread.sleep(10);
            }
            List<dev.weft.actor.Supervisor.Child> left = connectionActors();
            assertEquals(1, left.size(), left.toString());
            assertTrue(children.contains(left.getFirst()), "the other connection's actor goes on");
            send(two, "GET /ok HTTP/1.1\r\nHost: h\r\n\r\n");
            assertEquals(200, read(two.getInputStream(), false).status());
        }
        assertEquals(1, server.handlerFailures());
    }

    /** The server supervisor's children, asked from an actor (Weft.run would wait for the server's actors too). */
    private List<dev.weft.actor.Supervisor.Child> connectionActors() throws Exception {
        var answer = new java.util.concurrent.CompletableFuture<List<dev.weft.actor.Supervisor.Child>>();
        rt.spawn(() -> dev.weft.actor.Actor.spawn(() -> {
            try {
                answer.complete(dev.weft.actor.Supervisor.children(server.supervisor(), Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }));
        return answer.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aStopWhileTheRestOfABodyArrivesClosesWithConnectionClose() throws Exception {
        CountDownLatch handled = new CountDownLatch(1);
        int port = start(b -> b.post("/p", r -> {
            handled.countDown();
            return Response.text("ok"); // the body is left to the server to skip
        }));
        try (Socket s = connect(port)) {
            send(s, "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
            assertTrue(handled.await(10, TimeUnit.SECONDS));
            Thread stopper = Thread.ofPlatform().start(() -> server.stop(Duration.ofSeconds(10)));
            for (int i = 0; i < 1000 && !server.stopping; i++) {
                Thread.sleep(5);
            }
            assertTrue(server.stopping);
            send(s, "defghij");
            HttpTesting.Raw r = read(s.getInputStream(), false);
            assertEquals("ok", r.text());
            assertEquals("close", r.header("Connection"));
            assertEquals("", readToEnd(s));
            stopper.join(20_000);
        }
    }

    @Test
    void aFileBodyTheClientNeverReadsClosesAfterTheIoTimeout(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(64L << 20); // far more than the connection buffers
        }
        int port = start(b -> b.ioTimeout(Duration.ofMillis(300))
                .get("/big", r -> Response.file(big, 0, -1, "application/octet-stream")));
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            send(s, "GET /big HTTP/1.1\r\nHost: h\r\n\r\n"); // and never read
            for (int i = 0; i < 200 && server.acceptedConnections() == 0; i++) {
                Thread.sleep(10);
            }
            for (int i = 0; i < 2000 && server.openConnections() > 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(1, server.acceptedConnections());
            assertEquals(0, server.openConnections(), "the stalled file response closed its connection");
        }
    }
}
