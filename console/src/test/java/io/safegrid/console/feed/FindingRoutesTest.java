package io.safegrid.console.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FindingRoutesTest {
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', (byte) 0xFF, (byte) 0xD9};
    ConsoleFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void findingsAndSnapshotsStayInsideTheScope() throws Exception {
        f.bus.publish(Topic.FINDINGS, "cam-hd", new Finding("f-hd", FindingKind.FIRE, Level.RED, Condition.ACTIVE, "cam-hd",
                GridPath.parse("puxian/pucheng/xiangyang/hongda-chem"), "fire", null, 0.93, 0.6, ConsoleFixture.START,
                "火焰", JPEG, Map.of()));
        f.bus.publish(Topic.FINDINGS, "kc-ch4-t1", new Finding("f-kc", FindingKind.THRESHOLD, Level.ORANGE, Condition.ACTIVE,
                "kc-ch4-t1", GridPath.parse("puxian/kecheng/dongyu/kecheng-coal"), "methane", null, 1.2, 1.0,
                ConsoleFixture.START, "甲烷超限", null, Map.of()));
        // the two findings have different keys, so they may be taken from the bus on different threads: wait for both
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> f.get("wang-fang", "/api/v1/findings").body()
                .contains("f-kc") && f.get("wang-fang", "/api/v1/findings").body().contains("f-hd"));
        assertThat(f.get("wang-fang", "/api/v1/findings").body()).contains("f-hd", "\"snapshot\":\"/api/v1/findings/f-hd/snapshot.jpg\"")
                .doesNotContain("\"snapshot\":\"/9j");
        assertThat(f.get("zheng-ming", "/api/v1/findings").body()).contains("f-kc").doesNotContain("f-hd");
        assertThat(f.get("zheng-ming", "/api/v1/findings?site=puxian/pucheng").statusCode()).isEqualTo(404);

        var snap = f.getBytes("wang-fang", "/api/v1/findings/f-hd/snapshot.jpg");
        assertThat(snap.statusCode()).isEqualTo(200);
        assertThat(snap.headers().firstValue("content-type")).hasValue("image/jpeg");
        assertThat(snap.body()).isEqualTo(JPEG);
        assertThat(f.getBytes("zheng-ming", "/api/v1/findings/f-hd/snapshot.jpg").statusCode()).isEqualTo(404);
        assertThat(f.getBytes("zhang-hui", "/api/v1/findings/f-hd/snapshot.jpg").statusCode()).isEqualTo(404);
        assertThat(f.getBytes(null, "/api/v1/findings/f-hd/snapshot.jpg").statusCode()).isEqualTo(401);
        assertThat(f.getBytes("zheng-ming", "/api/v1/findings/f-kc/snapshot.jpg").statusCode()).isEqualTo(404);
    }
}
