package io.safegrid.ingest.camera;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Snapshot upload throughput: 4 HTTP clients post 1920x1080 JPEGs (scaled to 640x360 on intake)
 * as fast as answers come, for 10 s. Opt-in:
 * {@code mvn -B -q -pl ingest -am verify -Dtest=SnapshotUploadBench -Dsurefire.failIfNoSpecifiedTests=false -Dsafegrid.bench=true}
 */
class SnapshotUploadBench extends SnapshotUploadTest {
    @Test
    void uploadsPerSecond() throws Exception {
        assumeTrue(Boolean.getBoolean("safegrid.bench"), "benchmark: run with -Dsafegrid.bench=true");
        byte[] big = jpeg(1920, 1080);
        for (int i = 0; i < 20; i++) {   // warm-up
            post(CAM, TOKEN, "image/jpeg", big);
        }
        int clients = 4;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        AtomicLong ok = new AtomicLong();
        AtomicLong busy = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                HttpClient client = HttpClient.newHttpClient();
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + sensors.httpPort() + "/cameras/" + CAM + "/snapshots"))
                                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "image/jpeg")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            ok.incrementAndGet();
                            latencies.add(System.nanoTime() - s);
                        } else {
                            busy.incrementAndGet();
                        }
                    } catch (Exception e) {
                        busy.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - t0) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        Timer decode = meters.find("safegrid.camera.snapshot.decode").timer();
        System.out.printf(Locale.ROOT, "SNAPSHOT BENCH: %d KiB 1920x1080 JPEGs -> 320x180 frames, %d clients: %.1f uploads/s"
                        + " (%d taken, %d refused), latency p50 %.1f ms p99 %.1f ms, decode mean %.1f ms%n",
                big.length / 1024, clients, ok.get() / secs, ok.get(), busy.get(),
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6,
                decode.mean(TimeUnit.MILLISECONDS));
    }
}
