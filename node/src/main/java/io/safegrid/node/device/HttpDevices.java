package io.safegrid.node.device;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Devices (or their cloud gateway) posting readings as JSON to {@code /api/v1/readings} with their bearer token. */
public final class HttpDevices {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final URI uri;

    public HttpDevices(String host, int port) {
        this.uri = URI.create("http://" + host + ":" + port + "/api/v1/readings");
    }

    /** Posts {@code json} (a body with {@code deviceId}) as the device whose secret is {@code token}. */
    public <T> CompletableFuture<HttpResponse<T>> post(String token, String json, HttpResponse.BodyHandler<T> body) {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + (token == null ? "" : token))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return client.sendAsync(req, body);
    }
}
