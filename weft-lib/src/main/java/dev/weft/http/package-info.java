/**
 * An HTTP/1.1 server whose handlers are plain blocking Java, each connection a weft task over the
 * runtime's I/O backend (io_uring, or NIO).
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder(rt)
 *         .bind("127.0.0.1", 0)
 *         .get("/", req -> Response.file(index, 0, -1, "text/html; charset=utf-8"))
 *         .get("/hello", req -> Response.text("hello, " + req.queryParam("name").orElse("world") + "\n"))
 *         .get("/users/{id}", req -> Response.text("user " + req.pathParam("id") + "\n"))
 *         .post("/echo", req -> Response.bytes(200, "application/octet-stream", req.body()))
 *         .prefix("/api/", req -> Response.text(404, "no such API: " + req.path() + "\n"))
 *         .build()
 *         .start();
 * System.out.println("listening on port " + server.port());
 * }</pre>
 * {@code server.close()} stops it: no new connections, requests in flight finish within the grace
 * period, then the connections close.
 *
 * <ul>
 *   <li>{@link dev.weft.http.HttpServer} and its builder: bind address, routes (method and path
 *       with {@code {name}} parameters, prefix routes, a fallback), limits and timeouts, start,
 *       graceful stop, counters.</li>
 *   <li>{@link dev.weft.http.Request}: method, target, path, query and path parameters, headers
 *       ({@link dev.weft.http.Headers}, case-insensitive, repeats kept), the body whole or
 *       streamed.</li>
 *   <li>{@link dev.weft.http.Response}: status, headers, a body of bytes, text, a file region, or a
 *       stream (chunked).</li>
 *   <li>{@link dev.weft.http.HttpException}: a refusal with its status, from the parser or a handler.</li>
 * </ul>
 *
 * <p>The parser is strict (RFC 9112): see {@link dev.weft.http.HttpServer} for the statuses it
 * answers. Connections are kept alive (HTTP/1.1 by default, HTTP/1.0 when asked) and pipelined
 * requests are answered in order; {@code Expect: 100-continue} is answered when the handler first
 * reads the body.
 */
package dev.weft.http;
