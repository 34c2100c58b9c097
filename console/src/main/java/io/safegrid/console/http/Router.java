package io.safegrid.console.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes by method and path template ({@code /api/v1/alarms/{id}}). Other stages' views are
 * plugged in by the node through {@link #add}, so the console never depends on them.
 */
public final class Router {
    private record Route(HttpMethod method, String template, String[] parts, Handler handler) {
    }

    /** {@code template} is the route as written ({@code /api/v1/alarms/{id}}): safe as a metric label. */
    public record Match(Handler handler, Map<String, String> params, String template) {
    }

    private record Limit(HttpMethod method, String[] parts, java.util.function.IntSupplier bytes) {
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Limit> limits = new CopyOnWriteArrayList<>();

    /**
     * Lets requests to one route carry a body larger than {@link HttpServer#MAX_REQUEST_BYTES}: at most
     * {@code bytes} (read per request, so it follows the config).
     */
    public Router bodyLimit(HttpMethod method, String template, java.util.function.IntSupplier bytes) {
        limits.add(new Limit(method, split(template), bytes));
        return this;
    }

    /** The largest body a request to {@code path} may carry. */
    public int bodyLimit(HttpMethod method, String path) {
        String[] parts = split(path);
        for (Limit l : limits) {
            if (l.method.equals(method) && bind(l.parts, parts) != null) {
                return Math.max(HttpServer.MAX_REQUEST_BYTES, l.bytes.getAsInt());
            }
        }
        return HttpServer.MAX_REQUEST_BYTES;
    }

    public Router add(HttpMethod method, String template, Handler handler) {
        routes.add(new Route(method, template, split(template), handler));
        return this;
    }

    public Router get(String template, Handler handler) { return add(HttpMethod.GET, template, handler); }

    public Router post(String template, Handler handler) { return add(HttpMethod.POST, template, handler); }

    /** The first route that fits, or null. {@code allowed} tells 404 from 405. */
    public Match match(HttpMethod method, String path, boolean[] pathKnown) {
        String[] parts = split(path);
        for (Route r : routes) {
            Map<String, String> params = bind(r.parts, parts);
            if (params != null) {
                pathKnown[0] = true;
                if (r.method.equals(method) || (method.equals(HttpMethod.HEAD) && r.method.equals(HttpMethod.GET))) {
                    return new Match(r.handler, params, r.template);
                }
            }
        }
        return null;
    }

    private static Map<String, String> bind(String[] template, String[] path) {
        boolean tail = template.length > 0 && template[template.length - 1].equals("**");
        if (tail ? path.length < template.length - 1 : template.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.equals("**")) {
                params.put("**", String.join("/", java.util.Arrays.copyOfRange(path, i, path.length)));
                return params;
            }
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/");
    }
}
