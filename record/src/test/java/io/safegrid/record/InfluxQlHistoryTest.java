package io.safegrid.record;

import static io.safegrid.record.RecordFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.reading.Reading;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The InfluxQL read path against a real InfluxDB 1.6 server (Debian's {@code influxdb}): the test
 * writes its own config with temp dirs and free ports, loads points made by our encoder through
 * {@code /write}, and reads them back through the client's {@code InfluxQLQueryApi}.
 */
class InfluxQlHistoryTest {
    static final Path BINARY = Path.of("/usr/bin/influxd");
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    @TempDir
    static Path dir;
    static Process influxd;
    static String url;
    static InfluxDBClient client;
    static InfluxQlHistory history;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(BINARY), "influxd not installed (apt-get install -y influxdb); skipping InfluxQL tests");
        int httpPort = freePort();
        int rpcPort = freePort();
        Path conf = dir.resolve("influxdb.conf");
        Files.writeString(conf, """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [monitor]
                  store-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                [continuous_queries]
                  enabled = false
                """.formatted(rpcPort, dir, dir, dir, httpPort));
        influxd = new ProcessBuilder(BINARY.toString(), "-config", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("influxd.log").toFile()).start();
        url = "http://127.0.0.1:" + httpPort;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> post("/query?q=" + enc("CREATE DATABASE safegrid"), "") == 200);

        // the same lines the recorder writes, made by its encoder
        LineEncoder encoder = new LineEncoder(new GridTags(config()));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            lines.add(encoder.reading(Reading.sample("ch4-1", FACE1, "ch4", 0.10 + i * 0.01, T0.plusSeconds(i * 10L))));
        }
        lines.add(encoder.reading(Reading.sample("co-1", FACE1, "co", 99, T0.plusSeconds(5))));
        lines.add(encoder.alarm(raised(1, "a-1", FACE1, T0)));
        lines.add(encoder.alarm(raised(2, "a-2", COALMINE7, T0.plusSeconds(60))));
        lines.add(encoder.alarm(raised(3, "a-3", CHEM2, T0.plus(1, ChronoUnit.DAYS))));
        assertThat(post("/write?db=safegrid&precision=ms", String.join("\n", lines))).isEqualTo(204);

        client = InfluxDBClientFactory.create(url);
        history = new InfluxQlHistory(client, "safegrid", ZoneId.of("Asia/Shanghai"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (influxd != null) {
            influxd.destroy();
            if (!influxd.waitFor(20, TimeUnit.SECONDS)) {
                influxd.destroyForcibly();
            }
        }
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    static int post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void rawSeriesThroughInfluxQl() {
        List<HistoryQueries.Sample> raw = history.raw("ch4-1", "ch4", T0, T0.plusSeconds(600), 100);
        assertThat(raw).hasSize(18);
        assertThat(raw.get(0)).isEqualTo(new HistoryQueries.Sample(T0, 0.10));
        assertThat(raw).extracting(HistoryQueries.Sample::time).isSorted();
        assertThat(history.raw("ch4-1", "ch4", T0, T0.plusSeconds(600), 4)).hasSize(4);
        assertThat(history.raw("co-1", "co", T0, T0.plusSeconds(600), 10)).extracting(HistoryQueries.Sample::value)
                .containsExactly(99.0);
        assertThat(history.raw("x' OR device='ch4-1", "ch4", T0, T0.plusSeconds(600), 10)).isEmpty();
    }

    @Test
    void oneMinuteBucketsThroughInfluxQl() {
        List<HistoryQueries.Bucket> buckets = history.downsampled("ch4-1", "ch4", T0, T0.plusSeconds(600), Duration.ofMinutes(1));
        assertThat(buckets).extracting(HistoryQueries.Bucket::start).containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120));
        assertThat(buckets.get(0).count()).isEqualTo(6);
        assertThat(buckets.get(0).mean()).isCloseTo(0.125, Offset.offset(1e-9));
        assertThat(buckets.get(0).min()).isCloseTo(0.10, Offset.offset(1e-9));
        assertThat(buckets.get(2).max()).isCloseTo(0.27, Offset.offset(1e-9));
    }

    @Test
    void alarmsPerTownshipPerLocalDayThroughInfluxQl() {
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        LocalDate day1 = T0.atZone(zone).toLocalDate();
        LocalDate day2 = T0.plus(1, ChronoUnit.DAYS).atZone(zone).toLocalDate();
        assertThat(history.alarmsPerDay(GridKind.TOWNSHIP, T0.minus(2, ChronoUnit.DAYS), T0.plus(3, ChronoUnit.DAYS)))
                .containsExactly(new HistoryQueries.DailyCount(day1, "keliqiao", 2),
                        new HistoryQueries.DailyCount(day2, "huangtu", 1));
    }
}
