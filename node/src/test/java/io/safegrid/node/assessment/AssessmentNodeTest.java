package io.safegrid.node.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.node.TestCounty;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import io.safegrid.testing.ConsoleLogins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node wires the assessment to its own alarm ledger and console: an alarm raised over MQTT and
 * acknowledged counts in today's scorecard of its township, and a daily report made through the API
 * carries it and downloads as xlsx.
 */
class AssessmentNodeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    ConfigWatcher watcher;
    Node node;
    final HttpClient http = HttpClient.newHttpClient();
    final ConsoleLogins logins = new ConsoleLogins((path, json) -> send(null, "POST", path, json),
            Map.of("wang-fang", "Demo-County-2026"));

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (watcher != null) {
            watcher.close();
        }
    }

    HttpResponse<String> send(String user, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .header("Origin", "http://127.0.0.1:" + node.httpPort());
        if (user != null) {
            b.header("Cookie", logins.cookie(user));
        }
        b = json == null ? b.GET() : b.header("Content-Type", "application/json").method(method,
                HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAcknowledgedAlarmCountsInTodaysScorecardAndReport() throws Exception {
        var registry = Metrics.create();
        watcher = new ConfigWatcher(TestCounty.write(dir), registry, new io.safegrid.config.DeploymentLoader(System::getenv),
                Duration.ofMillis(50), Duration.ofMillis(500));
        node = new Node(watcher, null, registry).start();
        watcher.start();
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + node.stages().mqttPort(), "kc-ch4-t1", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("kc-ch4-t1");
        o.setPassword("demo-kc-ch4-t1-7Qx2".toCharArray());
        c.connect(o);
        c.publish("safegrid/kecheng-coal/kc-ch4-t1/readings", "{\"value\":1.6}".getBytes(StandardCharsets.UTF_8), 1, false);
        c.disconnect();
        c.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> node.stages().alarmDesk().list(AlarmQuery.all()).items().stream()
                .anyMatch(a -> a.level() == Level.RED));
        Alarm red = node.stages().alarmDesk().list(AlarmQuery.all()).items().stream().filter(a -> a.level() == Level.RED)
                .findFirst().orElseThrow();
        node.stages().alarmDesk().acknowledge(red.id(), "wang-fang", "已调度");

        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        HttpResponse<String> r = send("wang-fang", "GET", "/api/v1/assessment?node=puxian/kecheng&from=" + today, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode within = null;
        for (JsonNode i : JSON.readTree(r.body()).get("total").get("indicators")) {
            if (i.get("id").asText().equals("ack-within-timeout")) {
                within = i;
            }
        }
        assertThat(within.get("denominator").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(within.get("numerator").asLong()).isGreaterThanOrEqualTo(1);

        r = send("wang-fang", "POST", "/api/v1/reports", "{\"node\":\"puxian\",\"span\":\"daily\",\"day\":\"" + today + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String job = JSON.readTree(r.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(send("wang-fang", "GET", "/api/v1/reports/" + job, null)
                .body()).get("job").get("state").asText().equals("done"));
        JsonNode report = JSON.readTree(send("wang-fang", "GET", "/api/v1/reports/" + job, null).body()).get("report");
        assertThat(report.get("total").get("byLevel").get("red").asLong()).isGreaterThanOrEqualTo(1);
        HttpResponse<byte[]> xlsx = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                + "/api/v1/reports/" + job + "/report.xlsx")).header("Cookie", logins.cookie("wang-fang")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(xlsx.statusCode()).isEqualTo(200);
        assertThat(new String(xlsx.body(), 0, 2, StandardCharsets.ISO_8859_1)).isEqualTo("PK");

        // the same from the command line, with its progress on stderr
        Path pw = java.nio.file.Files.writeString(dir.resolve("pw"), "Demo-County-2026\n");
        Path pdf = dir.resolve("county.pdf");
        java.io.StringWriter progress = new java.io.StringWriter();
        picocli.CommandLine cli = io.safegrid.node.cli.SafeGridCli.commandLine();
        cli.setErr(new java.io.PrintWriter(progress));
        int rc = cli.execute("report", "--console", "http://127.0.0.1:" + node.httpPort(), "--user", "wang-fang",
                "--password-file", pw.toString(), "--node", "puxian/kecheng", "--span", "weekly", "--out", pdf.toString());
        assertThat(rc).as(progress.toString()).isZero();
        assertThat(progress.toString()).contains("100% done");
        assertThat(new String(java.nio.file.Files.readAllBytes(pdf), 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
    }
}
