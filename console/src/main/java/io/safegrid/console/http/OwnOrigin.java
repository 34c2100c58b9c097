package io.safegrid.console.http;

import java.net.URI;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Whether a browser's {@code Origin} is the console itself: the scheme, host and port the browser
 * connected to (the {@code Host} header), or the public address in {@code node.console-url} when a
 * reverse proxy rewrites {@code Host}. A page on another port of the same host, or on a sibling
 * subdomain, is another origin even though {@code SameSite} cookies treat it as the same site.
 */
public final class OwnOrigin {
    private final Supplier<String> consoleUrl;

    /** @param consoleUrl {@code node.console-url}, read on every check so a reload applies; may give null */
    public OwnOrigin(Supplier<String> consoleUrl) {
        this.consoleUrl = consoleUrl;
    }

    /** True when {@code origin} is the console's own; false for {@code null}, opaque ("null") or malformed origins. */
    public boolean own(String origin, String host) {
        Endpoint o = Endpoint.of(origin);
        if (o == null || o.scheme == null) {
            return false;
        }
        if (host != null) {
            Endpoint h = Endpoint.of(o.scheme + "://" + host.trim());
            if (h != null && h.host.equals(o.host) && h.port == o.port) {
                return true;
            }
        }
        Endpoint configured = Endpoint.of(consoleUrl.get());
        return configured != null && configured.equals(o);
    }

    /** A scheme, lower-case host and port (the scheme's default when none is written). */
    private record Endpoint(String scheme, String host, int port) {
        static Endpoint of(String url) {
            if (url == null || url.isBlank()) {
                return null;
            }
            try {
                URI u = new URI(url.trim());
                String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
                if (u.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                    return null;
                }
                int port = u.getPort() >= 0 ? u.getPort() : "https".equals(scheme) ? 443 : 80;
                return new Endpoint(scheme, u.getHost().toLowerCase(Locale.ROOT), port);
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        }
    }
}
