package io.safegrid.record;

import io.safegrid.testing.Deployments;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A small county, and helpers shared by the record tests. */
final class RecordFixtures {
    static final GridPath COUNTY = GridPath.of("puxian");
    static final GridPath KELIQIAO = COUNTY.child("keliqiao");
    static final GridPath VILLAGE3 = KELIQIAO.child("village-3");
    static final GridPath COALMINE7 = VILLAGE3.child("coalmine-7");
    static final GridPath FACE1 = COALMINE7.child("face-1");
    static final GridPath HUANGTU = COUNTY.child("huangtu");
    static final GridPath VILLAGE9 = HUANGTU.child("village-9");
    static final GridPath CHEM2 = VILLAGE9.child("chem-2");

    private RecordFixtures() {}

    static ConfigSource config() {
        Grid grid = new Grid(List.of(
                new GridNode(COUNTY, GridKind.COUNTY, "蒲县", null),
                new GridNode(KELIQIAO, GridKind.TOWNSHIP, "克城镇", null),
                new GridNode(VILLAGE3, GridKind.VILLAGE, "三村", null),
                new GridNode(COALMINE7, GridKind.ENTERPRISE, "七号煤矿", null),
                new GridNode(FACE1, GridKind.SITE, "一号工作面", null),
                new GridNode(HUANGTU, GridKind.TOWNSHIP, "黄土镇", null),
                new GridNode(VILLAGE9, GridKind.VILLAGE, "九村", null),
                new GridNode(CHEM2, GridKind.ENTERPRISE, "二号化工厂", null)));
        return ConfigSource.of(Deployments.builder().name("test county").grid(grid).build());
    }

    /**
     * Short back-off, so outages in tests are survived quickly. A refused or failing server answers at
     * once; the request timeout is long enough that a loaded machine's slow answer is not taken for one.
     */
    static RecordSettings settings(Path dataDir) {
        return RecordSettings.defaults(dataDir)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMillis(400))
                .withBatch(5_000, Duration.ofMillis(100));
    }

    /** For a server started later on it (VictoriaMetrics, influxd): none the kernel hands out to others meanwhile. */
    static int freePort() {
        try {
            return io.safegrid.testing.FreePorts.outsideEphemeralRange();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static AlarmEvent raised(long seq, String alarmId, GridPath site, Instant at) {
        Alarm alarm = new Alarm(alarmId, "dev|rule", FindingKind.THRESHOLD, Level.ORANGE, Level.ORANGE,
                AlarmState.RAISED, false, "ch4-" + seq, site, "methane-working-face", "甲烷超限", 1.2, 1.2, 1.0, 1,
                at, at, at, null);
        return new AlarmEvent(seq, AlarmEvent.Type.RAISED, alarmId, at, "system", null, alarm);
    }

    /** The first row of a SQL query's answer from a QuestDB's {@code /exec}, which must be 200. */
    static com.fasterxml.jackson.databind.JsonNode questDbRow(String url, String authorization, String query) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create(url + "/exec?query="
                                + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)))
                        .header("Authorization", authorization).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("dataset").get(0);
    }
}
