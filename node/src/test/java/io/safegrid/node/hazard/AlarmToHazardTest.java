package io.safegrid.node.hazard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.alarm.AlarmService;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alarm raised by the real alarm service from a video finding is turned into a hazard in one
 * call, carrying the alarm's facts and timeline and the finding's snapshot; scope holds.
 */
class AlarmToHazardTest {
    @TempDir
    Path dir;

    static byte[] jpeg() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB), "jpg", out);
        return out.toByteArray();
    }

    static Finding intrusion(String id, GridPath site, byte[] snapshot) {
        return new Finding(id, FindingKind.INTRUSION, Level.ORANGE, Condition.ACTIVE, "cam-" + site.id(), site, "intrusion",
                "danger-zone", Double.NaN, Double.NaN, Instant.now(), "危险区域有人闯入", snapshot, Map.of());
    }

    @Test
    void anAlarmBecomesAHazardWithItsEvidence() throws Exception {
        InProcessBus bus = new InProcessBus();
        ConfigSource config = ConfigSource.of(HazardConsole.demo("http://127.0.0.1:9098/sms/send"));
        Files.createDirectories(dir.resolve("alarms"));
        try (AlarmService alarms = new AlarmService(config, bus, new SimpleMeterRegistry(), dir.resolve("alarms"), Clock.systemUTC(),
                ChannelNotifier.defaults(Duration.ofSeconds(1), Clock.systemUTC()));
             HazardConsole c = new HazardConsole(dir, 2 << 20, bus, alarms)) {
            alarms.start();
            GridPath coal = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
            GridPath brick = GridPath.parse("puxian/kecheng/dongyu/dongyu-brick");
            bus.publish(Topic.FINDINGS, "f1", intrusion("f1", coal, jpeg()));
            bus.publish(Topic.FINDINGS, "f2", intrusion("f2", brick, null));
            await().atMost(Duration.ofSeconds(30)).until(() -> alarms.list(AlarmQuery.all()).total() == 2);
            Alarm mine = alarms.list(AlarmQuery.open(coal)).items().get(0);
            Alarm other = alarms.list(AlarmQuery.open(brick)).items().get(0);

            HttpResponse<String> r = c.post("zhang-hui", "/api/v1/alarms/" + other.id() + "/hazard", "{\"grade\":\"general\"}");
            assertThat(r.statusCode()).isEqualTo(404);
            r = c.post("zhang-hui", "/api/v1/alarms/" + mine.id() + "/hazard", "{\"grade\":\"larger\",\"description\":\"转隐患\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode body = new ObjectMapper().readTree(r.body());
            Hazard h = c.register.get(body.get("id").asText()).orElseThrow();
            assertThat(h.source()).isEqualTo(HazardSource.ALARM);
            assertThat(h.sourceRef()).isEqualTo(mine.id());
            assertThat(h.site()).isEqualTo(coal);
            assertThat(h.departments()).containsExactly(GridPath.parse("puxian/emergency"));
            assertThat(h.description()).startsWith("转隐患").contains("危险区域有人闯入", mine.id(), "raised");
            assertThat(h.photos()).singleElement().satisfies(p -> {
                assertThat(p.stage()).isEqualTo("evidence");
                assertThat(p.contentType()).isEqualTo("image/jpeg");
            });
        } finally {
            bus.close();
        }
    }
}
