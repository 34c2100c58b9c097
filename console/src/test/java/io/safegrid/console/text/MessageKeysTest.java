package io.safegrid.console.text;

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
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Alarms and findings reach the screen as a message key with parameters, and the bundles are served. */
class MessageKeysTest {
    static final GridPath MINE = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    final ObjectMapper json = new ObjectMapper();
    /** JUnit makes an instance per test: each test gets a console of its own, closed after it. */
    @AutoClose
    final ConsoleFixture f = new ConsoleFixture();

    MessageKeysTest() throws Exception {
    }

    @Test
    void anAlarmSaysItsDeviceMetricAndKindAsParameters() throws Exception {
        f.desk.raise("a-1", "kc-ch4-t1", MINE, Level.RED, ConsoleFixture.START);
        JsonNode a = json.readTree(f.get("zheng-ming", "/api/v1/alarms/a-1").body());
        assertThat(a.get("messageKey").asText()).isEqualTo("alarm.sensor");
        assertThat(a.at("/messageArgs/metric_zh").asText()).isEqualTo("甲烷");
        assertThat(a.at("/messageArgs/metric_en").asText()).isEqualTo("Methane");
        assertThat(a.at("/messageArgs/kind").asText()).isEqualTo("@kind.THRESHOLD");
        assertThat(a.at("/messageArgs/device").asText()).isNotBlank().isNotEqualTo("kc-ch4-t1");
        JsonNode list = json.readTree(f.get("zheng-ming", "/api/v1/alarms").body());
        assertThat(list.at("/items/0/messageKey").asText()).isEqualTo("alarm.sensor");
    }

    @Test
    void aFindingCarriesItsKeyAndTheBundlesAreServedPerLanguage() throws Exception {
        Map<String, String> args = Map.of("camera", "井口", "what", "@video.tamper.frozen", "seconds", "30");
        f.bus.publish(Topic.FINDINGS, "cam-kc-pithead", new Finding("f-1", FindingKind.TAMPER_FROZEN, Level.YELLOW,
                Condition.ACTIVE, "cam-kc-pithead", MINE, "video-tamper-frozen", null, 0, 1, ConsoleFixture.START, "x", null,
                Map.of(), "video.finding", args));
        await().until(() -> f.get("zheng-ming", "/api/v1/findings").body().contains("f-1"));
        JsonNode fs = json.readTree(f.get("zheng-ming", "/api/v1/findings").body());
        assertThat(fs.at("/0/messageKey").asText()).isEqualTo("video.finding");
        assertThat(fs.at("/0/messageArgs/what").asText()).isEqualTo("@video.tamper.frozen");

        JsonNode zh = json.readTree(f.get(null, "/api/v1/texts/zh").body());
        JsonNode en = json.readTree(f.get(null, "/api/v1/texts/en").body());
        assertThat(zh.get("video.tamper.frozen").asText()).isEqualTo("画面 {seconds} 秒无变化");
        assertThat(en.get("video.tamper.frozen").asText()).isEqualTo("picture unchanged for {seconds} s");
        assertThat(en.get("level.badge.RED").asText()).isEqualTo("L1 red");
    }
}
