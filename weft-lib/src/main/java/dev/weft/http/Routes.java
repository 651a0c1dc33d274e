package dev.weft.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The route table: exact and parameterised paths ({@code /users/{id}}) first, in the order they
 * were added, then the longest matching prefix, then the fallback. A path that matches a route of
 * another method only is a 405 with {@code Allow}; HEAD uses the GET route when it has none.
 */
final class Routes {

    record Route(String method, String pattern, String[] segments, Handler handler) {
    }

    record Prefix(String method, String prefix, Handler handler) {
    }

    /** What a request path resolved to: a handler and its path parameters, or the methods allowed. */
    record Match(Handler handler, Map<String, String> params, Set<String> allowed) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final List<Prefix> prefixes = new ArrayList<>();

    void add(String method, String pattern, Handler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/', was '" + pattern + "'");
        }
        String[] segments = pattern.substring(1).split("/", -1);
        Set<String> names = new java.util.HashSet<>();
        for (String s : segments) {
            if (s.indexOf('{') >= 0 || s.indexOf('}') >= 0) {
                if (!(s.startsWith("{") && s.endsWith("}")) || s.length() < 3
                        || s.substring(1, s.length() - 1).matches(".*[{}/].*")) {
                    throw new IllegalArgumentException("route pattern '" + pattern + "': a parameter is a whole"
                            + " segment '{name}', was '" + s + "'");
                }
                if (!names.add(s.substring(1, s.length() - 1))) {
                    throw new IllegalArgumentException("route pattern '" + pattern + "' names parameter " + s
                            + " twice");
                }
            }
        }
        routes.add(new Route(method, pattern, segments, handler));
    }

    void addPrefix(String method, String prefix, Handler handler) {
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("a route prefix starts with '/', was '" + prefix + "'");
        }
        prefixes.add(new Prefix(method, prefix, handler));
    }

    /** The handler for {@code method} and {@code path}, or a match with a null handler (see allowed). */
    Match match(String method, String path) {
        Set<String> allowed = null;
        String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : null;
        if (parts != null) {
            for (int pass = 0; pass < 2; pass++) { // pass 1: HEAD falls back to GET
                for (Route r : routes) {
                    Map<String, String> params = bind(r.segments, parts);
                    if (params == null) {
                        continue;
                    }
                    if (r.method.equals(method) || (pass == 1 && method.equals("HEAD") && r.method.equals("GET"))) {
                        return new Match(r.handler, params, null);
                    }
                    if (pass == 0) {
                        if (allowed == null) {
                            allowed = new LinkedHashSet<>();
                        }
                        allowed.add(r.method);
                        if (r.method.equals("GET")) {
                            allowed.add("HEAD");
                        }
                    }
                }
            }
        }
        Prefix best = null;
        for (Prefix p : prefixes) {
            if (path.startsWith(p.prefix) && (p.method == null || p.method.equals(method)
                    || (method.equals("HEAD") && p.method.equals("GET")))
                    && (best == null || p.prefix.length() > best.prefix.length())) {
                best = p;
            }
        }
        if (best != null) {
            return new Match(best.handler, Map.of(), null);
        }
        return new Match(null, Map.of(), allowed);
    }

    private static Map<String, String> bind(String[] segments, String[] parts) {
        if (segments.length != parts.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.startsWith("{") && s.endsWith("}") && s.length() > 2) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new java.util.HashMap<>(4);
                }
                params.put(s.substring(1, s.length() - 1), Request.percentDecode(parts[i], false));
            } else if (!s.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }
}
