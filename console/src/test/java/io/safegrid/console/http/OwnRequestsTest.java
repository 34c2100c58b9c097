package io.safegrid.console.http;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forged requests over real HTTP with the officer's real session cookie: whatever a page on another
 * origin can make a browser send (a form post, a text/plain fetch, an opaque or foreign Origin) is
 * refused before the desk is asked; the console's own requests go through.
 */
class OwnRequestsTest {
    static final GridPath MINE = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    ConsoleFixture f;
    String own;

    @BeforeEach
    void start() throws Exception {
        f = new ConsoleFixture();
        own = f.origin();
        f.desk.raise("a-1", "kc-ch4-t1", MINE, Level.RED, ConsoleFixture.START);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    HttpResponse<String> comment(String... headers) throws Exception {
        return f.send("zheng-ming", "POST", "/api/v1/alarms/a-1/comment", "{\"text\":\"forged\"}", headers);
    }

    void assertRefused(HttpResponse<String> r, String key) {
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.body()).contains("\"key\":\"" + key + "\"", "\"status\":403");
    }

    @Test
    void aPageOnAnotherPortOrSubdomainCannotPostAsTheOfficer() throws Exception {
        // what a browser sends for a page on another port of the same host, or on a sibling subdomain
        assertRefused(comment("Content-Type", "application/json", "Origin", "http://127.0.0.1:1"), "crossOrigin");
        assertRefused(comment("Content-Type", "application/json", "Origin", "http://evil.127.0.0.1.nip:" + f.console.port()),
                "crossOrigin");
        assertRefused(comment("Content-Type", "application/json", "Origin", "null"), "crossOrigin");
        assertRefused(comment("Content-Type", "application/json", "Sec-Fetch-Site", "same-site", "Origin", own), "crossOrigin");
        assertRefused(comment("Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"), "crossOrigin");
        assertRefused(comment("Content-Type", "application/json"), "crossOrigin");
        assertThat(f.desk.changes).as("the desk was never asked").isEmpty();
        assertThat(f.registry.scrape()).contains("safegrid_console_refused_total{reason=\"cross-origin\"} 6.0");
    }

    @Test
    void formsAndTextBodiesAreRefusedEvenFromTheConsolesOwnOrigin() throws Exception {
        assertRefused(comment("Content-Type", "text/plain", "Origin", own), "jsonRequired");
        assertRefused(comment("Content-Type", "application/x-www-form-urlencoded", "Origin", own), "jsonRequired");
        assertRefused(comment("Content-Type", "multipart/form-data; boundary=x", "Origin", own), "jsonRequired");
        assertRefused(comment("Origin", own), "jsonRequired");
        HttpResponse<String> emptyAck = f.send("zheng-ming", "POST", "/api/v1/alarms/a-1/ack", null, "Origin", own);
        assertRefused(emptyAck, "jsonRequired");
        assertRefused(f.send("zheng-ming", "DELETE", "/api/v1/silences/s-1", null, "Origin", "http://127.0.0.1:1"),
                "crossOrigin");
        assertRefused(f.send(null, "POST", "/api/v1/login", "{\"user\":\"zheng-ming\",\"password\":\"x\"}",
                "Content-Type", "text/plain", "Origin", own), "jsonRequired");
        assertThat(f.desk.changes).isEmpty();
        assertThat(f.desk.get("a-1").orElseThrow().acknowledged()).isFalse();
    }

    @Test
    void theConsolesOwnRequestsStillWork() throws Exception {
        HttpResponse<String> ack = f.send("zheng-ming", "POST", "/api/v1/alarms/a-1/ack", "{}",
                "Content-Type", "application/json; charset=utf-8", "Origin", own);
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        HttpResponse<String> byFetchMetadata = f.send("zheng-ming", "POST", "/api/v1/alarms/a-1/comment",
                "{\"text\":\"已通知矿调度\"}", "Content-Type", "application/json", "Sec-Fetch-Site", "same-origin");
        assertThat(byFetchMetadata.statusCode()).isEqualTo(200);
        // reading needs neither: a cross-origin page cannot read the answer anyway
        assertThat(f.send("zheng-ming", "GET", "/api/v1/alarms/a-1", null, "Origin", "http://127.0.0.1:1").statusCode())
                .isEqualTo(200);
        assertThat(f.desk.changes).containsExactly("acknowledge", "comment");
    }

    @Test
    void behindAProxyTheConfiguredConsoleUrlIsTheOwnOrigin() throws Exception {
        var d = f.config.current();
        var n = d.node();
        f.config.reload(Deployments.from(d).node(new io.safegrid.config.NodeSettings(n.nodeId(), n.roles(),
                n.bindAddress(), n.httpPort(), n.mqttPort(), n.hj212Port(), n.ingestHttpPort(), n.videoPushPort(),
                n.dataDir(), n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), "https://anquan.puxian.example/",
                n.maxSnapshotBytes())).build());
        assertThat(comment("Content-Type", "application/json", "Origin", "https://anquan.puxian.example").statusCode())
                .isEqualTo(200);
        assertRefused(comment("Content-Type", "application/json", "Origin", "https://evil.puxian.example"), "crossOrigin");
    }
}
