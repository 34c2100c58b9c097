package io.safegrid.alerting.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The HTTP calls of the webhook channels, with one rule for what is worth retrying: no answer, a
 * timeout, 408, 429 and 5xx are retried; any other non-2xx is a {@link PermanentFailure}.
 */
final class Http {
    record Reply(int status, String body) {
    }

    private final HttpClient client;

    Http(Duration connectTimeout) {
        // the message is the alarm path's last step: the client's selector thread, and the pool threads
        // it and the senders start, inherit the scheduling of the thread that builds the client (the
        // node builds the notifiers on an urgent thread) and of the urgent senders
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "notify-http");
                    t.setDaemon(true);
                    return t;
                }))
                .build();
    }

    Reply send(String method, String url, String contentType, String body, Map<String, String> headers, Duration timeout,
               String what) throws IOException, InterruptedException, PermanentFailure {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure(what + ": bad url: " + e.getMessage());
        }
        headers.forEach(b::header);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", contentType);
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        HttpResponse<String> res;
        try {
            res = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException(what + ": no answer within " + timeout.toMillis() + " ms", e);
        }
        int s = res.statusCode();
        if (s / 100 == 2) {
            return new Reply(s, res.body());
        }
        String snippet = res.body() == null ? "" : res.body().substring(0, Math.min(200, res.body().length()));
        if (s == 408 || s == 429 || s >= 500) {
            throw new IOException(what + " answered HTTP " + s + " " + snippet);
        }
        throw new PermanentFailure(what + " refused with HTTP " + s + " " + snippet);
    }
}
