package io.safegrid.node.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/** The JDK HTTP client posting batches to {@code /api/v1/readings}, at most 256 requests in flight. */
final class HttpTransport implements LoadGenerator.Transport {
    private final LoadGenerator.Options o;
    private final LoadGenerator gen;
    private final Semaphore inFlight = new Semaphore(256);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;

    HttpTransport(LoadGenerator.Options o, LoadGenerator gen) {
        this.o = o;
        this.gen = gen;
        this.uri = URI.create("http://" + o.host() + ":" + o.port() + "/api/v1/readings");
    }

    @Override
    public void connect() {
    }

    @Override
    public boolean writable(int device) { return inFlight.availablePermits() > 0; }

    @Override
    public void send(int device, long firstSeq, int count, long sendNanos) {
        inFlight.acquireUninterruptibly();
        String body = "{\"deviceId\":\"" + o.fleet().deviceId(device) + "\",\"readings\":"
                + (count == 1 ? "[" + LoadGenerator.json(firstSeq, 1) + "]" : LoadGenerator.json(firstSeq, count)) + "}";
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + o.fleet().secret()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            inFlight.release();
            if (e == null && r.statusCode() / 100 == 2) {
                gen.acked(sendNanos, count);
            } else {
                gen.failed(count);
            }
        });
    }

    @Override
    public void close() {
    }
}
