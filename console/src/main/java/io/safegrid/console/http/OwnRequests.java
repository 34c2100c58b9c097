package io.safegrid.console.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forged clicks (CSRF) stop here: a request that changes something (any method but GET and HEAD)
 * is served only when it says {@code Content-Type: application/json}, which an HTML form or a
 * "simple" cross-origin {@code fetch} cannot send without a CORS preflight the console never
 * grants, and when the browser says it comes from the console's own pages ({@code Sec-Fetch-Site:
 * same-origin}, or an {@link OwnOrigin own} {@code Origin}). Clients that are not browsers send
 * {@code Origin} with the console's address. {@code SameSite=Strict} alone lets a page on another
 * port of the same host, or on a sibling subdomain, through.
 */
public final class OwnRequests {
    private static final Logger LOG = LoggerFactory.getLogger(OwnRequests.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final OwnOrigin origins;
    private final Counter crossOrigin;
    private final Counter notJson;
    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());

    public OwnRequests(OwnOrigin origins, MeterRegistry registry) {
        this.origins = origins;
        this.crossOrigin = Counter.builder("safegrid.console.refused").tag("reason", "cross-origin")
                .description("changing requests refused because they did not come from the console's own pages")
                .register(registry);
        this.notJson = Counter.builder("safegrid.console.refused").tag("reason", "not-json")
                .description("changing requests refused because their body was not declared as JSON")
                .register(registry);
    }

    public static boolean changes(HttpMethod method) {
        return !method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD) && !method.equals(HttpMethod.OPTIONS);
    }

    /** Throws the 403 to answer when a changing request is not the console's own; does nothing otherwise. */
    public void check(HttpMethod method, String path, HttpHeaders headers, String peer) {
        if (!changes(method)) {
            return;
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        String fetchSite = headers.get("Sec-Fetch-Site");
        // a browser's Sec-Fetch-Site cannot be set by a page; without it (older browsers, scripts) the Origin decides
        boolean own = fetchSite != null ? fetchSite.trim().equalsIgnoreCase("same-origin")
                : origins.own(origin, headers.get(HttpHeaderNames.HOST));
        if (!own) {
            crossOrigin.increment();
            note("refused {} {} from {}: not from the console's own pages (Origin {}, Sec-Fetch-Site {})",
                    method, path, peer, origin, fetchSite);
            throw new HttpError(403, "crossOrigin", "refused: this request did not come from the console's own pages "
                    + "(send Origin with the console's address)");
        }
        if (!json(headers.get(HttpHeaderNames.CONTENT_TYPE))) {
            notJson.increment();
            note("refused {} {} from {}: Content-Type {} is not application/json", method, path, peer,
                    headers.get(HttpHeaderNames.CONTENT_TYPE));
            throw new HttpError(403, "jsonRequired", "refused: a changing request must be sent as Content-Type: application/json");
        }
    }

    private static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    /** One warning per 10 s at most: a hostile page can repeat its attempt as fast as it likes. */
    private void note(String format, Object... args) {
        long now = System.nanoTime();
        long next = nextLog.get();
        if (now - next >= 0 && nextLog.compareAndSet(next, now + LOG_EVERY_NANOS)) {
            LOG.warn(format + " (further refusals within 10 s are only counted: safegrid_console_refused_total)", args);
        } else {
            LOG.debug(format, args);
        }
    }
}
