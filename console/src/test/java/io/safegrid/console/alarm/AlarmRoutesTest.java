package io.safegrid.console.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.grid.GridPath;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Scope rules of the alarm API over real HTTP, against the console's {@code FakeDesk} (an
 * in-memory AlarmDesk, acceptable for console unit tests; alerting's desk is exercised end to
 * end in node). 克城镇 officer zheng-ming, 克城煤业 operator zhang-hui, county operator wang-fang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlarmRoutesTest {
    static final GridPath KECHENG_COAL = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    static final GridPath DONGYU_BRICK = GridPath.parse("puxian/kecheng/dongyu/dongyu-brick");
    static final GridPath HONGDA = GridPath.parse("puxian/pucheng/xiangyang/hongda-chem");

    ConsoleFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new ConsoleFixture();
        f.desk.raise("a-coal", "kc-ch4-t1", KECHENG_COAL, Level.ORANGE, ConsoleFixture.START.minusSeconds(600));
        f.desk.raise("a-brick", "db-dust-1", DONGYU_BRICK, Level.YELLOW, ConsoleFixture.START.minusSeconds(500));
        f.desk.raise("a-hongda", "hd-t101-level", HONGDA, Level.RED, ConsoleFixture.START.minusSeconds(400));
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @Test
    void withoutASessionEveryAlarmRouteIs401() throws Exception {
        for (String path : new String[] {"/api/v1/alarms", "/api/v1/alarms/a-coal", "/api/v1/alarms/a-coal/timeline",
                "/api/v1/grid", "/api/v1/findings", "/api/v1/devices", "/api/v1/stats", "/api/v1/silences", "/api/v1/me"}) {
            HttpResponse<String> r = f.get(null, path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).as(path).contains("\"error\":\"not logged in");
        }
        assertThat(f.post(null, "/api/v1/alarms/a-coal/ack", "{}").statusCode()).isEqualTo(401);
        assertThat(f.getWithCookie("SAFEGRID_SESSION=forged-token", "/api/v1/alarms").statusCode()).isEqualTo(401);
        assertThat(f.desk.get("a-coal").orElseThrow().acknowledged()).isFalse();
    }

    @Test
    void aTownshipOfficerListsOnlyTheirTownship() throws Exception {
        String body = f.get("zheng-ming", "/api/v1/alarms").body();
        assertThat(body).contains("\"id\":\"a-coal\"", "\"id\":\"a-brick\"").doesNotContain("a-hongda");
        // asking for the whole county still answers only their township
        assertThat(f.get("zheng-ming", "/api/v1/alarms?node=puxian").body()).doesNotContain("a-hongda");
        // another township's subtree is not theirs to query
        assertThat(f.get("zheng-ming", "/api/v1/alarms?node=puxian/pucheng").statusCode()).isEqualTo(404);
        assertThat(f.get("wang-fang", "/api/v1/alarms").body()).contains("a-coal", "a-brick", "a-hongda");
    }

    @Test
    void aTownshipOfficerCannotReadOrActOnAnotherTownshipsAlarm() throws Exception {
        assertThat(f.get("zheng-ming", "/api/v1/alarms/a-hongda").statusCode()).isEqualTo(404);
        assertThat(f.get("zheng-ming", "/api/v1/alarms/a-hongda/timeline").statusCode()).isEqualTo(404);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-hongda/ack", "{\"note\":\"mine now\"}").statusCode()).isEqualTo(404);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-hongda/comment", "{\"text\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-hongda/assign", "{\"assignee\":\"zheng-ming\"}").statusCode())
                .isEqualTo(404);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-hongda/close", "{\"note\":\"done\"}").statusCode()).isEqualTo(404);
        // the answer is the same as for an id that does not exist
        assertThat(f.get("zheng-ming", "/api/v1/alarms/no-such").statusCode()).isEqualTo(404);
        assertThat(f.desk.get("a-hongda").orElseThrow().acknowledged()).isFalse();
        assertThat(f.desk.timeline("a-hongda")).hasSize(1);
    }

    @Test
    void anEnterpriseOperatorSeesOnlyTheirOwnPlant() throws Exception {
        String body = f.get("zhang-hui", "/api/v1/alarms").body();
        assertThat(body).contains("a-coal").doesNotContain("a-brick").doesNotContain("a-hongda");
        assertThat(f.get("zhang-hui", "/api/v1/alarms/a-brick").statusCode()).isEqualTo(404);
        assertThat(f.post("zhang-hui", "/api/v1/alarms/a-brick/ack", "{}").statusCode()).isEqualTo(404);
        assertThat(f.get("zhang-hui", "/api/v1/alarms/a-coal").statusCode()).isEqualTo(200);
    }

    @Test
    void theLifecycleWorksInScopeWithClearErrors() throws Exception {
        f.desk.raise("a-life", "kc-co-1", KECHENG_COAL, Level.YELLOW, ConsoleFixture.START.minusSeconds(60));
        HttpResponse<String> early = f.post("zheng-ming", "/api/v1/alarms/a-life/close", "{\"note\":\"通风恢复\"}");
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("acknowledged before");
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-life/ack", "{\"note\":\"收到\"}").statusCode()).isEqualTo(200);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-life/ack", "{}").statusCode()).isEqualTo(409);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-life/comment", "{\"text\":\"已通知矿调度\"}").statusCode())
                .isEqualTo(200);
        // an assignee must exist and be able to see the alarm
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-life/assign", "{\"assignee\":\"ma-yong\"}").statusCode())
                .isEqualTo(400);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-life/assign", "{\"assignee\":\"nobody\"}").statusCode())
                .isEqualTo(400);
        String assignees = f.get("zheng-ming", "/api/v1/alarms/a-life/assignees").body();
        assertThat(assignees).contains("\"user\":\"zhang-hui\"", "\"user\":\"zheng-ming\"", "\"user\":\"admin\"")
                .doesNotContain("ma-yong").doesNotContain("sms").doesNotContain("13803");
        assertThat(f.get("zheng-ming", "/api/v1/alarms/a-hongda/assignees").statusCode()).isEqualTo(404);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-life/assign", "{\"assignee\":\"zhang-hui\"}").body())
                .contains("\"assignee\":\"zhang-hui\"");
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-life/close", "{\"note\":\"  \"}").statusCode()).isEqualTo(400);
        assertThat(f.post("zheng-ming", "/api/v1/alarms/a-life/close", "not json").statusCode()).isEqualTo(400);
        HttpResponse<String> closed = f.post("zheng-ming", "/api/v1/alarms/a-life/close", "{\"note\":\"通风恢复，甲烷降至0.3%\"}");
        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(f.desk.get("a-life").orElseThrow().state()).isEqualTo(AlarmState.CLOSED);
        String timeline = f.get("zheng-ming", "/api/v1/alarms/a-life/timeline").body();
        assertThat(timeline).contains("\"type\":\"RAISED\"", "\"type\":\"ACKNOWLEDGED\"", "\"type\":\"COMMENTED\"",
                "\"type\":\"ASSIGNED\"", "\"type\":\"CLOSED\"", "\"actor\":\"zheng-ming\"", "通风恢复");
    }

    @Test
    void listsFilterByLevelStateTimeAndPage() throws Exception {
        assertThat(f.get("wang-fang", "/api/v1/alarms?level=red").body()).contains("a-hongda").doesNotContain("a-coal");
        assertThat(f.get("wang-fang", "/api/v1/alarms?level=橙,yellow&state=raised").body()).contains("a-coal", "a-brick")
                .doesNotContain("a-hongda");
        String from = ConsoleFixture.START.minusSeconds(450).toString();
        assertThat(f.get("wang-fang", "/api/v1/alarms?from=" + from).body()).contains("a-hongda").doesNotContain("a-brick");
        HttpResponse<String> page = f.get("wang-fang", "/api/v1/alarms?node=puxian/kecheng&size=1&page=1&state=raised");
        assertThat(page.body()).contains("\"page\":1", "\"size\":1");
        assertThat(f.get("wang-fang", "/api/v1/alarms?level=purple").statusCode()).isEqualTo(400);
        assertThat(f.get("wang-fang", "/api/v1/alarms?from=yesterday").body()).contains("ISO-8601");
        assertThat(f.get("wang-fang", "/api/v1/alarms?size=5000").statusCode()).isEqualTo(400);
    }

    @Test
    void noDeskMeans503NotACrash() throws Exception {
        f.console.alarmDesk(null);
        try {
            HttpResponse<String> r = f.get("wang-fang", "/api/v1/alarms");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("no alarm service");
        } finally {
            f.console.alarmDesk(f.desk);
        }
    }
}
