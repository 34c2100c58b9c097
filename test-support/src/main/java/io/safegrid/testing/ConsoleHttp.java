package io.safegrid.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * A test's HTTP client for a running console: JSON posts from the console's own origin, gets, each as
 * a logged-in user (sessions kept per user by {@link ConsoleLogins}) or, with a null user, without one.
 */
public final class ConsoleHttp {
    private final IntSupplier port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ConsoleLogins logins;

    public ConsoleHttp(IntSupplier port, Map<String, String> passwords) {
        this.port = port;
        this.logins = new ConsoleLogins((path, json) -> post(null, path, json), passwords);
    }

    public URI uri(String path) { return URI.create("http://127.0.0.1:" + port.getAsInt() + path); }

    public String cookie(String user) throws Exception { return logins.cookie(user); }

    public HttpResponse<String> get(String user, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (user != null) {
            b.header("Cookie", cookie(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String user, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("Origin", "http://127.0.0.1:" + port.getAsInt()).POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            b.header("Cookie", cookie(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
