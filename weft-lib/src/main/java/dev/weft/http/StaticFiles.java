package dev.weft.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A handler that serves the files under one root directory to GET and HEAD. As the fallback,
 * it serves every path that no route takes (the path names the file under the root):
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder(rt)
 *         .bind("127.0.0.1", 0)
 *         .fallback(StaticFiles.of(root))
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>What it promises:
 * <ul>
 *   <li>{@code Content-Type} by file extension ({@code application/octet-stream} when unknown),
 *       {@code Content-Length}, {@code Last-Modified}, a strong {@code ETag} (from the file's
 *       size, modification time and identity) and {@code Accept-Ranges: bytes}.</li>
 *   <li>{@code If-None-Match} (a matching tag or {@code *}) and, without it,
 *       {@code If-Modified-Since} (not modified since; an HTTP-date in any of its three forms)
 *       answer 304.</li>
 *   <li>One {@code Range} ({@code bytes=a-b}, {@code a-} or {@code -n}) answers 206 with
 *       {@code Content-Range}; an unsatisfiable one answers 416 with {@code Content-Range: bytes
 *       *}{@code /size}. Several ranges, a malformed header, or an {@code If-Range} that no longer
 *       matches get the whole file (200), as RFC 9110 allows.</li>
 *   <li>A directory serves its {@code index.html}; a directory asked for without its trailing
 *       slash is redirected (301) to it. There are no directory listings.</li>
 *   <li>Nothing outside the root is ever served. A target that is not a path ({@code http://...},
 *       {@code *}), a path with a backslash or a NUL (raw or percent-encoded), a {@code .} or
 *       {@code ..} segment (raw or percent-encoded), or a file whose real path (symbolic links
 *       followed) leaves the root answers 404, the same answer as a missing file.</li>
 *   <li>Other methods answer 405 with {@code Allow: GET, HEAD}.</li>
 * </ul>
 * Every request looks at the file's attributes afresh, so a changed file is served changed at
 * once. Files of at most {@link #MEMORY_FILE_BYTES} bytes are kept in memory while they are
 * unchanged (at most {@link #MEMORY_TOTAL_BYTES} in all) and sent from there; larger ones are sent
 * from the file ({@link Response#file}), without a copy through the heap.
 */
public final class StaticFiles implements Handler {

    /** Files at most this long are held in memory while unchanged. */
    public static final int MEMORY_FILE_BYTES = 64 * 1024;
    /** The most file bytes held in memory by one handler. */
    public static final long MEMORY_TOTAL_BYTES = 32L * 1024 * 1024;
    /** The most paths whose checks one handler remembers. */
    private static final int MAX_ENTRIES = 4096;

    /**
     * The three forms of an HTTP-date that a recipient must accept (RFC 9110, 5.6.7): IMF-fixdate
     * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), and the obsolete rfc850-date
     * ({@code Sunday, 06-Nov-94 08:49:37 GMT}, its two-digit year read within 50 years of now) and
     * asctime-date ({@code Sun Nov  6 08:49:37 1994}).
     */
    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(ChronoField.YEAR, 2, 2, Year.now(ZoneOffset.UTC).getValue() - 49)
                    .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US).withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"));

    private final Path root;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private long memoryBytes; // the bytes held by entries; guarded by this (remember, forget)

    /**
     * What one path was found to be: the file, its attributes when checked, and (small files) its
     * bytes. Replaced whole when the file's attributes change.
     */
    private record Entry(Path file, long size, long modifiedMillis, Object key, String etag, String lastModified,
                         String type, byte[] bytes) {
        boolean sameFile(BasicFileAttributes a) {
            return a.size() == size && a.lastModifiedTime().toMillis() == modifiedMillis && Objects.equals(a.fileKey(), key);
        }
    }

    private StaticFiles(Path root) {
        this.root = root;
    }

    /**
     * A handler serving the files under {@code root}.
     *
     * @throws IllegalArgumentException when {@code root} is not a readable directory, naming it
     */
    public static StaticFiles of(Path root) {
        Objects.requireNonNull(root, "root");
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("the static file root '" + root + "' does not exist or cannot be"
                    + " read (" + e.getMessage() + "); give an existing directory", e);
        }
        if (!Files.isDirectory(real) || !Files.isReadable(real)) {
            throw new IllegalArgumentException("the static file root '" + root + "' is not a readable directory;"
                    + " give an existing directory");
        }
        return new StaticFiles(real);
    }

    /** The root directory, its real path. */
    public Path root() {
        return root;
    }

    @Override
    public Response handle(Request request) throws IOException {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Response.text(405, "405 Method Not Allowed\n").header("Allow", "GET, HEAD");
        }
        String relative = relativePath(request.target(), request.path());
        if (relative == null) {
            return notFound();
        }
        Entry e = lookup(relative);
        if (e == null) {
            if (!relative.isEmpty() && !relative.endsWith("/") && isDirectory(relative)) {
                String query = request.target().indexOf('?') >= 0
                        ? request.target().substring(request.target().indexOf('?')) : "";
                // one leading slash: "//docs/" would be a reference to the host "docs", not a path here
                String path = "/" + request.path().substring(leadingSlashes(request.path()));
                return Response.text(301, "301 Moved Permanently\n").header("Location", path + "/" + query);
            }
            return notFound();
        }
        return answer(request, e);
    }

    private Response answer(Request request, Entry e) {
        if (notModified(request, e)) {
            return Response.of(304).header("ETag", e.etag).header("Last-Modified", e.lastModified);
        }
        long offset = 0;
        long length = e.size;
        int status = 200;
        String range = request.header("Range").orElse(null);
        if (range != null && ifRangeHolds(request, e)) {
            long[] r = parseRange(range, e.size);
            if (r == UNSATISFIABLE) {
                return Response.text(416, "416 Range Not Satisfiable\n")
                        .header("Content-Range", "bytes */" + e.size);
            }
            if (r != null) {
                status = 206;
                offset = r[0];
                length = r[1] - r[0] + 1;
            }
        }
        Response response;
        if (e.bytes != null) {
            byte[] body = status == 200 ? e.bytes : Arrays.copyOfRange(e.bytes, (int) offset, (int) (offset + length));
            response = Response.bytes(status, e.type, body);
        } else {
            response = Response.file(status, e.file, offset, length, e.type);
        }
        response.header("ETag", e.etag).header("Last-Modified", e.lastModified).header("Accept-Ranges", "bytes");
        if (status == 206) {
            response.header("Content-Range", "bytes " + offset + "-" + (offset + length - 1) + "/" + e.size);
        }
        return response;
    }

    private static Response notFound() {
        return Response.text(404, "404 Not Found\n");
    }

    /**
     * The path under the root that the target names, percent-decoded, without its leading slash
     * ("" for the root, a trailing slash kept); null for any target that is not a plain path
     * inside the root.
     */
    static String relativePath(String target, String rawPath) {
        if (target.isEmpty() || target.charAt(0) != '/' || rawPath.indexOf('\\') >= 0) {
            return null; // absolute-form, asterisk-form, or a backslash
        }
        String path;
        try {
            path = Request.percentDecode(rawPath, false);
        } catch (HttpException e) {
            return null;
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0 || path.indexOf('\uFFFD') >= 0) {
            return null;
        }
        StringBuilder out = new StringBuilder(path.length());
        int i = 1;
        while (i <= path.length()) {
            int slash = path.indexOf('/', i);
            int segEnd = slash < 0 ? path.length() : slash;
            String seg = path.substring(i, segEnd);
            if (seg.equals(".") || seg.equals("..")) {
                return null;
            }
            if (!seg.isEmpty()) {
                if (!out.isEmpty()) {
                    out.append('/');
                }
                out.append(seg);
            }
            if (slash < 0) {
                break;
            }
            i = slash + 1;
        }
        if (path.endsWith("/") && !out.isEmpty()) {
            out.append('/');
        }
        return out.toString();
    }

    private static int leadingSlashes(String path) {
        int n = 0;
        while (n < path.length() && path.charAt(n) == '/') {
            n++;
        }
        return n;
    }

    /** The entry for {@code relative}, checked against the file now; null when nothing may be served. */
    private Entry lookup(String relative) throws IOException {
        Entry e = entries.get(relative);
        if (e != null) {
            BasicFileAttributes a = attributes(e.file);
            if (a != null && a.isRegularFile() && e.sameFile(a)) {
                return e;
            }
            forget(relative, e);
        }
        e = resolve(relative);
        if (e != null) {
            remember(relative, e);
        }
        return e;
    }

    private Entry resolve(String relative) throws IOException {
        Path file;
        try {
            file = relative.isEmpty() || relative.endsWith("/")
                    ? root.resolve(relative).resolve("index.html") : root.resolve(relative);
        } catch (InvalidPathException ex) {
            return null;
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException ex) {
            return null;
        } catch (IOException ex) {
            return null; // unreadable, a loop of links, a component that is not a directory: not served
        }
        if (!real.startsWith(root)) {
            return null; // a link out of the root
        }
        BasicFileAttributes a = attributes(real);
        if (a == null || !a.isRegularFile() || !Files.isReadable(real)) {
            return null;
        }
        byte[] bytes = null;
        if (a.size() <= MEMORY_FILE_BYTES) {
            try {
                bytes = Files.readAllBytes(real);
            } catch (IOException ex) {
                return null;
            }
            BasicFileAttributes after = attributes(real);
            if (after == null || bytes.length != after.size()
                    || after.lastModifiedTime().toMillis() != a.lastModifiedTime().toMillis()) {
                bytes = null; // it changed while read: send from the file this time
            }
        }
        long millis = a.lastModifiedTime().toMillis();
        String etag = "\"" + Long.toHexString(a.size()) + "-" + Long.toHexString(a.lastModifiedTime().to(
                java.util.concurrent.TimeUnit.NANOSECONDS)) + "-" + Integer.toHexString(Objects.hashCode(a.fileKey())) + "\"";
        String lastModified = DateHeader.imfFixdate(Math.floorDiv(millis, 1000));
        return new Entry(real, a.size(), millis, a.fileKey(), etag, lastModified, contentType(real), bytes);
    }

    private synchronized void remember(String relative, Entry e) {
        long add = e.bytes == null ? 0 : e.bytes.length;
        if (entries.size() >= MAX_ENTRIES || memoryBytes + add > MEMORY_TOTAL_BYTES) {
            entries.clear();
            memoryBytes = 0;
        }
        Entry old = entries.put(relative, e);
        memoryBytes += add - (old == null || old.bytes == null ? 0 : old.bytes.length);
    }

    private synchronized void forget(String relative, Entry e) {
        if (entries.remove(relative, e) && e.bytes != null) {
            memoryBytes -= e.bytes.length;
        }
    }

    private boolean isDirectory(String relative) {
        try {
            Path real = root.resolve(relative).toRealPath();
            return real.startsWith(root) && Files.isDirectory(real);
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** The Content-Type for {@code file}'s extension. */
    static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? "application/octet-stream" : type;
    }

    private static boolean notModified(Request request, Entry e) {
        var inm = request.header("If-None-Match");
        if (inm.isPresent()) {
            return etagListMatches(inm.get(), e.etag);
        }
        var ims = request.header("If-Modified-Since");
        if (ims.isPresent()) {
            long since = parseDate(ims.get());
            return since != Long.MIN_VALUE && e.modifiedMillis / 1000 <= since / 1000;
        }
        return false;
    }

    private static boolean ifRangeHolds(Request request, Entry e) {
        var ifRange = request.header("If-Range");
        if (ifRange.isEmpty()) {
            return true;
        }
        String v = ifRange.get().trim();
        if (v.startsWith("\"")) {
            return v.equals(e.etag); // strong comparison
        }
        long date = parseDate(v);
        return date != Long.MIN_VALUE && e.modifiedMillis / 1000 == date / 1000;
    }

    /** Whether a comma-separated list of entity tags (or {@code *}) holds {@code etag}, by weak comparison. */
    static boolean etagListMatches(String list, String etag) {
        for (String item : list.split(",")) {
            String t = item.trim();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** An HTTP-date in any of its three forms as epoch milliseconds, or {@code Long.MIN_VALUE} when it is none. */
    private static long parseDate(String v) {
        String t = v.trim();
        for (DateTimeFormatter form : HTTP_DATES) {
            try {
                return ZonedDateTime.parse(t, form).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Long.MIN_VALUE;
    }

    static final long[] UNSATISFIABLE = new long[0];

    /**
     * The one range that {@code header} asks of a file of {@code size} bytes, as {first, last}
     * inclusive; {@link #UNSATISFIABLE} when it cannot be met; null when it is to be ignored
     * (malformed, not bytes, several ranges).
     */
    static long[] parseRange(String header, long size) {
        String h = header.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = h.substring(6).trim();
        if (spec.indexOf(',') >= 0) {
            return null; // several ranges: the whole file
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        long first;
        long last;
        if (a.isEmpty()) {
            long suffix = digits(b);
            if (suffix < 0) {
                return null;
            }
            if (suffix == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            first = Math.max(0, size - suffix);
            last = size - 1;
        } else {
            first = digits(a);
            last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
            if (first < 0 || last < 0 || last < first) {
                return null;
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            last = Math.min(last, size - 1);
        }
        return new long[]{first, last};
    }

    /** A non-negative decimal number, or -1 when {@code s} is not one (or too large). */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    @Override
    public String toString() {
        return "StaticFiles[" + root + "]";
    }
}
