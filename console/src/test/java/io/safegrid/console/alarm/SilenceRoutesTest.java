package io.safegrid.console.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.console.ConsoleFixture;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Who may silence what, against the console's FakeDesk (console unit test only). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SilenceRoutesTest {
    ConsoleFixture f;
    String until;

    @BeforeAll
    void start() throws Exception {
        f = new ConsoleFixture();
        until = ConsoleFixture.START.plus(Duration.ofHours(2)).toString();
    }

    @AfterAll
    void stop() {
        f.close();
    }

    String node(String node) {
        return "{\"node\":\"" + node + "\",\"reason\":\"检修\",\"expiresAt\":\"" + until + "\"}";
    }

    @Test
    void enterpriseOperatorsCannotSilenceEvenTheirOwnPlant() throws Exception {
        var r = f.post("zhang-hui", "/api/v1/silences", "{\"deviceId\":\"kc-ch4-t1\",\"reason\":\"检修\",\"expiresAt\":\"" + until + "\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(f.desk.silences(true)).noneMatch(x -> x.createdBy().equals("zhang-hui"));
    }

    @Test
    void aTownshipOfficerSilencesOnlyInsideTheirTownshipAndOnlyAdminTheCounty() throws Exception {
        assertThat(f.post("zheng-ming", "/api/v1/silences", node("puxian/pucheng/xiangyang")).statusCode()).isEqualTo(404);
        assertThat(f.post("zheng-ming", "/api/v1/silences", "{\"deviceId\":\"hd-t101-level\",\"reason\":\"x\",\"expiresAt\":\""
                + until + "\"}").statusCode()).isEqualTo(404);
        assertThat(f.post("wang-fang", "/api/v1/silences", node("puxian")).statusCode()).isEqualTo(403);
        assertThat(f.post("zheng-ming", "/api/v1/silences", "{\"node\":\"puxian/kecheng/dongyu\",\"reason\":\"x\","
                + "\"expiresAt\":\"2020-01-01T00:00:00Z\"}").statusCode()).isEqualTo(400);
        var mine = f.post("zheng-ming", "/api/v1/silences", node("puxian/kecheng/dongyu"));
        assertThat(mine.statusCode()).isEqualTo(201);
        assertThat(mine.body()).contains("\"createdBy\":\"zheng-ming\"", "\"node\":\"puxian/kecheng/dongyu\"");
        assertThat(f.post("zheng-ming", "/api/v1/silences", node("puxian/kecheng/wangjiazhuang")).statusCode()).isEqualTo(201);
        var county = f.post("admin", "/api/v1/silences", node("puxian"));
        assertThat(county.statusCode()).isEqualTo(201);
        String countyId = f.desk.silences(false).get(0).id();

        // silences above a plant (village, county) touch it and are listed; a sibling village's is not
        assertThat(f.get("zhang-hui", "/api/v1/silences").body()).contains(countyId, "\"puxian/kecheng/dongyu\"")
                .doesNotContain("wangjiazhuang");
        // only admin may end the county-wide one
        assertThat(f.post("zheng-ming", "/api/v1/silences/" + countyId + "/end", "").statusCode()).isEqualTo(403);
        String mineId = f.desk.silences(false).get(2).id();
        assertThat(f.get("wang-fang", "/api/v1/silences/" + mineId).statusCode()).isEqualTo(200);
        assertThat(f.post("zhang-hui", "/api/v1/silences/" + mineId + "/end", "").statusCode()).as("visible above the plant, but not theirs to end").isEqualTo(403);
        assertThat(f.post("zheng-ming", "/api/v1/silences/" + mineId + "/end", "").body()).contains("\"endedBy\":\"zheng-ming\"");
        assertThat(f.post("admin", "/api/v1/silences/" + countyId + "/end", "").statusCode()).isEqualTo(200);
        assertThat(f.desk.silences(false)).singleElement().satisfies(x -> assertThat(x.node().toString()).endsWith("wangjiazhuang"));
    }
}
