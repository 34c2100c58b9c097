package io.safegrid.node.simulate;

import io.safegrid.config.DeviceAccess;
import io.safegrid.model.device.Sensor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** POSTs each reading as JSON with the device's bearer token, as a cloud gateway would. */
final class HttpSender implements ReadingSender {
    private final URI uri;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    HttpSender(String host, int port) {
        this.uri = URI.create("http://" + host + ":" + port + "/api/v1/readings");
    }

    @Override
    public void send(Sensor sensor, DeviceAccess access, double value, Instant time) throws IOException, InterruptedException {
        String body = String.format(Locale.ROOT, "{\"deviceId\":\"%s\",\"readings\":[{\"value\":%.4f,\"ts\":%d}]}",
                sensor.id(), value, time.toEpochMilli());
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + (access.secret() == null ? "" : access.secret()))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + res.statusCode() + ": " + res.body());
        }
    }

    @Override
    public void close() {
        // HttpClient has no close on Java 17; its threads are daemons
    }
}
