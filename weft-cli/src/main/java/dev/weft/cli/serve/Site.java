package dev.weft.cli.serve;

import dev.weft.http.HttpServer;
import dev.weft.http.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * weft serve's own site, served from the class path when no {@code --root} is given: a page that
 * says what weft is and charts the live runtime from {@code /stats}. weft's files (the page, its
 * script and style) are resources under {@code dev/weft/cli/serve/site/}; the charting library
 * (uPlot) is served from its WebJar under {@code /assets/uplot/}.
 *
 * <p>Every file is read once, when the site is loaded, and answered from memory; a file missing
 * from the class path fails the load, naming it, rather than a request later.
 */
public final class Site {

    /** Where weft's own files are on the class path. */
    static final String SITE_RESOURCES = "/dev/weft/cli/serve/site/";

    /** A file the site answers: its type and bytes. */
    private record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> assets;

    private Site(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /**
     * Reads the site's files from the class path.
     *
     * @param uplotVersion the version of the uPlot WebJar on the class path
     * @throws IllegalStateException naming the first file that is missing from the class path
     */
    public static Site load(String uplotVersion) {
        String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion + "/dist/";
        Map<String, Asset> a = new LinkedHashMap<>();
        a.put("/", asset(SITE_RESOURCES + "index.html", "text/html; charset=utf-8"));
        a.put("/app.js", asset(SITE_RESOURCES + "app.js", "text/javascript; charset=utf-8"));
        a.put("/style.css", asset(SITE_RESOURCES + "style.css", "text/css; charset=utf-8"));
        a.put("/favicon.svg", asset(SITE_RESOURCES + "favicon.svg", "image/svg+xml"));
        a.put("/assets/uplot/uPlot.iife.min.js", asset(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        a.put("/assets/uplot/uPlot.min.css", asset(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
        return new Site(Map.copyOf(a));
    }

    /** The paths the site answers. */
    public java.util.Set<String> paths() {
        return assets.keySet();
    }

    /** Routes every file of the site (GET, and so HEAD) on {@code server}. */
    public HttpServer.Builder routeOn(HttpServer.Builder server) {
        for (Map.Entry<String, Asset> e : assets.entrySet()) {
            Asset asset = e.getValue();
            server.get(e.getKey(), request -> Response.bytes(200, asset.contentType(), asset.bytes())
                    .header("Cache-Control", "no-cache"));
        }
        return server;
    }

    private static Asset asset(String resource, String contentType) {
        try (InputStream in = Site.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("weft serve's site file " + resource + " is not on the class path;"
                        + " the build is incomplete: rebuild weft-cli (./mvnw -pl weft-cli -am package)");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource + " from the class path failed", e);
        }
    }
}
