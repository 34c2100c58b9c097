package io.safegrid.console.health;

import io.safegrid.console.http.Request;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * Who may read /metrics and the details of /health (camera ids, login counters, check names): a
 * client on this host, or one that shows {@code node.metrics-token} as {@code Authorization: Bearer
 * …} (what Prometheus sends with {@code authorization: {credentials: …}}). A request that passed
 * through a reverse proxy ({@code Forwarded} / {@code X-Forwarded-For}) is not trusted as local
 * even when the proxy connects from loopback.
 */
public final class Operators {
    private final Supplier<String> token;

    /** @param token {@code node.metrics-token}, read on every request so a reload applies; may give null */
    public Operators(Supplier<String> token) {
        this.token = token;
    }

    public boolean admits(Request r) {
        String expected = token.get();
        String auth = r.header("authorization");
        if (expected != null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(auth.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        return local(r);
    }

    private static boolean local(Request r) {
        if (r.header("forwarded") != null || r.header("x-forwarded-for") != null) {
            return false;
        }
        String address = r.clientAddress();
        if (address.isEmpty() || !address.matches("[0-9a-fA-F:.%\\[\\]]+")) {
            return false;   // only literal addresses: never a name lookup
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
