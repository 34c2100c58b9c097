package io.safegrid.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.node.HeadlessChromium;
import io.safegrid.node.TestCounty;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole path a duty officer depends on, in a real browser: a methane reading sent over MQTT
 * to a running node becomes an alarm that appears in the township officer's open console, who
 * acknowledges it there. Screenshots go to {@code node/target/screenshots/}. Skipped when Debian's
 * chromium and chromium-driver are not installed.
 */
class NodeBrowserTest {
    private static final Logger LOG = LoggerFactory.getLogger(NodeBrowserTest.class);
    private static final String SITE = "puxian/kecheng/dongyu/kecheng-coal";

    @TempDir
    Path dir;

    private ConfigWatcher watcher;
    private Node node;
    private HeadlessChromium chromium;
    private ChromeDriver driver;

    @BeforeEach
    void start() throws Exception {
        HeadlessChromium.assumeInstalled();
        var registry = Metrics.create();
        watcher = new ConfigWatcher(TestCounty.write(dir), registry);
        node = new Node(watcher, null, registry).start();
        chromium = new HeadlessChromium("1440,900", Map.of());
        driver = chromium.driver;
    }

    @AfterEach
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (node != null) {
            node.close();
        }
        if (watcher != null) {
            watcher.close();
        }
    }

    private void shot(String name) throws Exception {
        chromium.shot(name);
    }

    private MqttClient connect(String device, String secret) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + node.stages().mqttPort(), device, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(device);
        o.setPassword(secret.toCharArray());
        c.connect(o);
        return c;
    }

    private Optional<Alarm> alarmOf(String device) {
        return node.stages().alarmDesk().list(AlarmQuery.all()).items().stream()
                .filter(a -> a.sourceId().equals(device)).findFirst();
    }

    @Test
    void aReadingThroughIngestAppearsLiveInTheOfficersConsoleAndIsAcknowledgedThere() throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        driver.get("http://127.0.0.1:" + node.httpPort() + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys("zheng-ming");
        driver.findElement(By.id("login-password")).sendKeys("Demo-Town-2026");
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "up"));
        // the county's cameras send nothing in this test, so video-loss (yellow) may already show; no orange yet
        assertThat(driver.findElements(By.cssSelector("[data-roll='puxian/kecheng'] .badge[data-colour='orange']"))).isEmpty();

        MqttClient device = connect("kc-ch4-t1", "demo-kc-ch4-t1-7Qx2");
        WebDriverWait watch = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(20));
        long sent = System.nanoTime();
        device.publish("safegrid/kecheng-coal/kc-ch4-t1/readings", "{\"value\":1.2}".getBytes(StandardCharsets.UTF_8), 1,
                false);
        var badge = watch.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-roll='puxian/kecheng'] .badge[data-colour='orange']")));
        long millis = (System.nanoTime() - sent) / 1_000_000;
        LOG.info("MQTT reading sent → orange badge on the township in the browser: {} ms", millis);
        assertThat(badge.getAttribute("data-unacked")).isEqualTo("1");
        shot("node-01-alarm-arrived");
        device.disconnect();
        device.close();

        Alarm alarm = alarmOf("kc-ch4-t1").orElseThrow();
        assertThat(alarm.site().toString()).isEqualTo(SITE);
        driver.findElement(By.cssSelector("#tabs button[data-tab='alarms']")).click();
        // the list re-renders as alarm events arrive: a row found a moment ago may be replaced before the click
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("tr.alarm-row[data-id='" + alarm.id() + "']")).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "发生"));
        driver.findElement(By.id("action-text")).sendKeys("已通知矿调度撤出15201工作面人员");
        driver.findElement(By.id("btn-ack")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "已通知矿调度撤出15201工作面人员"));
        wait.until(ExpectedConditions.attributeToBe(
                By.cssSelector("[data-roll='puxian/kecheng'] .badge[data-colour='orange']"), "data-unacked", "0"));
        shot("node-02-acknowledged");
        Alarm acked = alarmOf("kc-ch4-t1").orElseThrow();
        assertThat(acked.acknowledged()).isTrue();
        assertThat(acked.state()).isEqualTo(AlarmState.ACKNOWLEDGED);
        assertThat(node.stages().alarmDesk().timeline(alarm.id()))
                .anySatisfy(e -> assertThat(e.actor()).isEqualTo("zheng-ming"));
    }
}
