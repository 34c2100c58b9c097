package io.safegrid.console.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.history.SeriesHistory;
import io.safegrid.model.reading.Reading;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceRoutesTest {
    static final GridPath COAL = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    ConsoleFixture f;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static JsonNode byId(JsonNode list, String id) {
        for (JsonNode n : list) {
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        return null;
    }

    @Test
    void devicesShowLastValueLastSeenAndGoOfflineAfterTheirClassTimeout() throws Exception {
        Instant t = ConsoleFixture.START;
        f.bus.publish(Topic.READINGS, "kc-ch4-t1", new Reading("kc-ch4-t1", COAL, "methane", 0.42, t, null, null, null, t));
        f.bus.publish(Topic.READINGS, "kc-ch4-t2", new Reading("kc-ch4-t2", COAL, "methane", 0.31, t, null, null, null, t));
        f.bus.publish(Topic.FINDINGS, "kc-ch4-t2", new Finding("off-1", FindingKind.DEVICE_OFFLINE, Level.BLUE,
                Condition.ACTIVE, "kc-ch4-t2", COAL, "offline", null, Double.NaN, Double.NaN, t.plusSeconds(1), "离线",
                null, Map.of()));
        // readings and findings are taken from the bus by two consumers, readings at bulk priority: wait for both
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode now = json.readTree(f.get("zhang-hui", "/api/v1/devices").body());
            return byId(now.get("sensors"), "kc-ch4-t1").get("lastSeen").isTextual()
                    && byId(now.get("sensors"), "kc-ch4-t2").get("lastSeen").isTextual()
                    && "offline".equals(byId(now.get("sensors"), "kc-ch4-t2").get("status").asText());
        });
        JsonNode d = json.readTree(f.get("zhang-hui", "/api/v1/devices").body());
        JsonNode t1 = byId(d.get("sensors"), "kc-ch4-t1");
        assertThat(t1.get("value").asDouble()).isEqualTo(0.42);
        assertThat(t1.get("status").asText()).isEqualTo("online");
        assertThat(t1.get("lastSeen").asText()).isEqualTo(t.toString());
        assertThat(byId(d.get("sensors"), "kc-ch4-t2").get("status").asText()).isEqualTo("offline");
        assertThat(byId(d.get("sensors"), "kc-co-1").get("status").asText()).isEqualTo("never-seen");
        assertThat(byId(d.get("cameras"), "cam-kc-pithead")).isNotNull();
        assertThat(d.get("sensors").toString()).doesNotContain("hd-t101");

        f.clock.advance(Duration.ofSeconds(61)); // coal-working-face: offline after 60 s
        JsonNode later = json.readTree(f.get("zhang-hui", "/api/v1/devices").body());
        assertThat(byId(later.get("sensors"), "kc-ch4-t1").get("status").asText()).isEqualTo("offline");
        JsonNode stats = json.readTree(f.get("zhang-hui", "/api/v1/stats").body());
        assertThat(stats.get("devices").get("offline").asInt()).isEqualTo(2);
    }

    @Test
    void anotherPlantsDevicesAndHistoryAre404() throws Exception {
        assertThat(f.get("zhang-hui", "/api/v1/devices?site=puxian/kecheng/dongyu/dongyu-brick").statusCode()).isEqualTo(404);
        assertThat(f.get("zheng-ming", "/api/v1/devices?site=puxian/pucheng/xiangyang/hongda-chem").statusCode()).isEqualTo(404);
        assertThat(f.get("zheng-ming", "/api/v1/devices/hd-t101-level/history").statusCode()).isEqualTo(404);
        HttpCheck.noStore(f);
    }

    @Test
    void historyComesFromThePluggedInStoreWithinScope() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        f.console.seriesHistory(new SeriesHistory() {
            @Override
            public List<Point> raw(String deviceId, String metric, Instant from, Instant to, int limit) {
                asked.add("raw " + deviceId + " " + metric + " " + from + " " + to);
                return List.of(Point.raw(from, 0.3), Point.raw(from.plusSeconds(60), 0.5));
            }

            @Override
            public List<Point> downsampled(String deviceId, String metric, Instant from, Instant to, Duration step) {
                asked.add("down " + deviceId + " " + step);
                return List.of(new Point(from, 0.2, 0.4, 0.9, 60));
            }

            @Override
            public Map<GridPath, Map<LocalDate, Long>> alarmCountsPerDay(GridPath subtree, LocalDate from, LocalDate to,
                                                                        ZoneId zone) {
                return Map.of();
            }
        });
        String body = f.get("zheng-ming", "/api/v1/devices/kc-ch4-t1/history?from=2026-11-28T10:00:00Z&to=2026-11-28T11:00:00Z").body();
        assertThat(body).contains("\"metric\":\"methane\"", "\"unit\":\"%\"", "\"avg\":0.5");
        assertThat(asked).containsExactly("raw kc-ch4-t1 methane 2026-11-28T10:00:00Z 2026-11-28T11:00:00Z");
        assertThat(f.get("zheng-ming", "/api/v1/devices/kc-ch4-t1/history?step=3600").body()).contains("\"max\":0.9");
        assertThat(f.get("zheng-ming", "/api/v1/devices/hd-t101-level/history").statusCode()).isEqualTo(404);
        assertThat(f.get("zheng-ming", "/api/v1/devices/kc-ch4-t1/history?from=2026-11-28T12:00:00Z&to=2026-11-28T11:00:00Z")
                .statusCode()).isEqualTo(400);
    }

    static final class HttpCheck {
        static void noStore(ConsoleFixture f) throws Exception {
            var r = f.get("zheng-ming", "/api/v1/devices/kc-ch4-t1/history");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("no history store");
        }
    }
}
