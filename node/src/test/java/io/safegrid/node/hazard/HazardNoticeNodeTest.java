package io.safegrid.node.hazard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.node.ConfiguredNode;
import io.safegrid.node.TestCounty;
import io.safegrid.testing.ConsoleLogins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole node on the demo county with its SMS channel on a stand-in gateway and deadlines in
 * seconds: a hazard's overdue notice reaches the township's duty officer by SMS, then the county's,
 * each exactly once; the county's gateway is down at first, the node is stopped while that SMS
 * waits for its retry, and after the restart it goes out once and nothing already sent is repeated.
 */
class HazardNoticeNodeTest {
    /** Day and night duty at 克城镇 and 蒲县 (which one is on duty depends on when the test runs). */
    static final Set<String> TOWNSHIP = Set.of("13803571022", "13803571023");
    static final Set<String> COUNTY = Set.of("13803571000", "13803571001");
    static final String ZHANG_HUI = "13803571026";

    @TempDir
    Path dir;
    private final SmsGateway sms = newGateway();
    private final HttpClient http = HttpClient.newHttpClient();
    private ConsoleLogins logins;
    private ConfiguredNode running;

    static SmsGateway newGateway() {
        try {
            return new SmsGateway();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node started on {@code county}, with fresh console sessions. */
    private ConfiguredNode start(Path county) throws Exception {
        logins = new ConsoleLogins((path, json) -> post(null, path, json), HazardConsole.PASSWORDS);
        return ConfiguredNode.start(county);
    }

    @AfterEach
    void tearDown() {
        if (running != null) {
            running.close();
        }
        sms.close();
    }

    private HttpResponse<String> post(String user, String path, String json) throws Exception {
        String base = "http://127.0.0.1:" + running.node().httpPort();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Origin", base).POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            b.header("Cookie", logins.cookie(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> to(Set<String> phones) {
        return hazardTexts(sms.accepted.stream().filter(s -> phones.contains(s.phone())).toList());
    }

    /** The mine's cameras raise video-loss alarms to the same phones; only the hazard's texts count here. */
    private static List<String> hazardTexts(List<SmsGateway.Sms> all) {
        return all.stream().map(SmsGateway.Sms::text).filter(t -> t.contains("隐患")).toList();
    }

    @Test
    void theOverdueNoticeClimbsByRealSmsOnceEachAndARestartSendsNothingTwice() throws Exception {
        Path county = dir.resolve("county.yaml");
        Files.writeString(county, TestCounty.yaml(dir.resolve("data"))
                .replace("http://127.0.0.1:9098/sms/send", sms.url())
                + "\nhazards:\n  warn-before: 1h\n  climb-after: 3s\n  scan-every: 200ms\n");
        sms.down.addAll(COUNTY);
        running = start(county);

        HttpResponse<String> r = post("zhang-hui", "/api/v1/hazards", "{\"site\":\"puxian/kecheng/dongyu/kecheng-coal\","
                + "\"grade\":\"general\",\"source\":\"self-check\",\"description\":\"主斜井局部通风机无备用电源\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = HazardApiTest.JSON.readTree(r.body()).get("id").asText();
        // far enough ahead that the scanner sees the hazard before its deadline even on a loaded machine: a hazard
        // it first sees overdue gets no "deadline near" reminder
        Instant deadline = Instant.now().plusSeconds(10);
        r = post("zheng-ming", "/api/v1/hazards/" + id + "/assign", "{\"responsible\":\"zhang-hui\",\"measures\":\"加装双电源\","
                + "\"deadline\":\"" + deadline + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        // near (the responsible person, at once), then the township at the deadline
        await().atMost(Duration.ofSeconds(40)).until(() -> to(TOWNSHIP).size() == 1 && !to(Set.of(ZHANG_HUI)).isEmpty());
        assertThat(to(Set.of(ZHANG_HUI))).singleElement().asString().contains("将到", id);
        assertThat(to(TOWNSHIP)).singleElement().asString().startsWith("【蒲县安监】【隐患整改超期】").contains(id, "已过",
                "http://127.0.0.1:", "/#/hazards/" + id);
        assertThat(Instant.now()).isAfter(deadline);
        // the county's step comes 3 s later; its gateway refuses, the SMS waits for its retry (10 s)
        await().atMost(Duration.ofSeconds(30)).until(() -> hazardTexts(sms.refused).size() == 1);
        running.close();
        running = null;
        assertThat(to(COUNTY)).isEmpty();

        sms.down.clear();
        running = start(county);
        await().atMost(Duration.ofSeconds(30)).until(() -> to(COUNTY).size() == 1);
        assertThat(to(COUNTY)).singleElement().asString().contains(id, "已过");
        Thread.sleep(3000);                                          // passes of the scanner and the sender
        assertThat(to(TOWNSHIP)).hasSize(1);
        assertThat(to(COUNTY)).hasSize(1);
        assertThat(to(Set.of(ZHANG_HUI))).hasSize(1);
        assertThat(hazardTexts(sms.refused)).hasSize(1);
        // a notice is marked sent once the gateway's answer is back, just after the gateway counted the text
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(running.node().stages().hazards().notices(id))
                .containsOnlyKeys("near", "overdue-1", "overdue-2").containsValues(true, true, true));
    }
}
