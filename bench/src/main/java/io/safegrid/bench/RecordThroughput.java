package io.safegrid.bench;

import io.safegrid.testing.Deployments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.record.EmbeddedQuestDb;
import io.safegrid.record.RecordSettings;
import io.safegrid.record.Recorder;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Points per second sustained by the record path into the embedded QuestDB: encode on the calling
 * (bus) thread, batch, one writer thread posting 25,000-line requests to {@code /api/v2/write}.
 *
 * <p>Usage: {@code RecordThroughput [seconds=30] [devices=2000] [warmupSeconds=5] [producers=1] [batchLines=5000]}; the embedded store takes at least 25,000 lines a request.
 * Producer threads (standing in for the bus's consumer threads) offer readings as fast as the recorder's memory buffer takes them (it backs off when the
 * buffer is half full, as the bus's backpressure would), so the number measured is what the writer
 * and QuestDB sustain, not how fast points can pile up in the spool.
 */
public final class RecordThroughput {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int producers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Integer batch = args.length > 4 ? Integer.valueOf(args[4]) : null; // default: the store's own batch size
        Path dir = Files.createTempDirectory("record-bench");
        GridPath county = GridPath.of("puxian");
        List<GridNode> nodes = new ArrayList<>(List.of(new GridNode(county, GridKind.COUNTY, "county", null)));
        List<GridPath> sites = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            GridPath township = county.child("town-" + t);
            GridPath village = township.child("village-" + t);
            GridPath enterprise = village.child("mine-" + t);
            nodes.add(new GridNode(township, GridKind.TOWNSHIP, "t", null));
            nodes.add(new GridNode(village, GridKind.VILLAGE, "v", null));
            nodes.add(new GridNode(enterprise, GridKind.ENTERPRISE, "e", null));
            sites.add(enterprise);
        }
        ConfigSource config = ConfigSource.of(Deployments.builder().name("bench").grid(new Grid(nodes)).build());

        RecordSettings settings = RecordSettings.defaults(dir);
        if (batch != null) {
            settings = settings.withBatch(batch, settings.flushInterval());
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddedQuestDb questDb = new EmbeddedQuestDb(settings).start()) {
            Recorder recorder = new Recorder(settings, questDb.url(), config, null, registry);
            recorder.start();
            String[] ids = new String[devices];
            for (int d = 0; d < devices; d++) {
                ids[d] = "dev-" + d;
            }
            long t0 = Instant.now().minusSeconds(3600).toEpochMilli();
            int half = settings.memoryLines() / 2;
            java.util.concurrent.atomic.AtomicLong offered = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong full = new java.util.concurrent.atomic.AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
            final int first = p;
            Thread producer = new Thread(() -> {
                long i = first;
                while (!Thread.currentThread().isInterrupted()) {
                    if (recorder.memoryPoints() > half) {
                        full.incrementAndGet(); // the writer is behind: this is its limit, not ours
                        try {
                            Thread.sleep(1); // not spinning: the writer and QuestDB need the CPU
                        } catch (InterruptedException e) {
                            return;
                        }
                        continue;
                    }
                    int d = (int) (i % devices);
                    recorder.record(Reading.sample(ids[d], sites.get(d % sites.size()), "ch4", (i % 1000) / 100.0,
                            Instant.ofEpochMilli(t0 + i / devices * 10)));
                    i += producers;
                    offered.incrementAndGet();
                }
            }, "bench-producer-" + p);
            producer.setDaemon(true);
            producer.start();
            threads.add(producer);
            }
            Thread.sleep(warmup * 1000L);
            double w0 = registry.counter("safegrid.record.points.written").count();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double w1 = registry.counter("safegrid.record.points.written").count();
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
            for (Thread t : threads) {
                t.interrupt();
                t.join();
            }
            recorder.close();
            double written = registry.counter("safegrid.record.points.written").count();
            long stored = waitForRows(questDb.url(), questDb.authorization(), (long) written);
            System.out.printf("record → embedded QuestDB: %.0f points/s sustained over %.1f s (%d devices, %d lines a request)%n",
                    (w1 - w0) / elapsed, elapsed, devices, settings.requestLines());
            System.out.printf("process CPU %.1f s in %.1f s wall (%.2f cores): %.0f points per CPU-second, "
                    + "encode + write + QuestDB together; load average %.1f on %d cores%n", cpuSeconds, elapsed,
                    cpuSeconds / elapsed, (w1 - w0) / cpuSeconds, os.getSystemLoadAverage(), os.getAvailableProcessors());
            System.out.printf("producers %d (found the buffer half full %d times), offered %d, written %.0f, spooled %.0f, "
                    + "dropped %.0f, rows in QuestDB %d%n", producers, full.get(), offered.get(),
                    written, registry.counter("safegrid.record.points.spooled").count(),
                    registry.counter("safegrid.record.points.dropped").count(), stored);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Rows visible in the reading table once QuestDB has applied its write-ahead log (up to 60 s). */
    private static long waitForRows(String url, String authorization, long expected) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long rows = -1;
        for (int i = 0; i < 120 && rows < expected; i++) {
            String body = http.send(HttpRequest.newBuilder(URI.create(url + "/exec?query="
                    + URLEncoder.encode("SELECT count() FROM reading", StandardCharsets.UTF_8)))
                    .header("Authorization", authorization).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            rows = Long.parseLong(body.replaceAll("(?s).*\"dataset\":\\[\\[(\\d+)\\]\\].*", "$1"));
            if (rows < expected) {
                Thread.sleep(500);
            }
        }
        return rows;
    }
}
