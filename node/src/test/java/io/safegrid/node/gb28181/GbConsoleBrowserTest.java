package io.safegrid.node.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.config.Gb28181Config;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.ingest.gb28181.control.PtzCmd;
import io.safegrid.ingest.gb28181.sim.SimulatedDevice;
import io.safegrid.node.HeadlessChromium;
import io.safegrid.node.TestCounty;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A GB/T 28181 channel in the operator's console, against a whole node and a simulated NVR over real
 * SIP: the PTZ pad under the channel's live picture moves the camera while a button is held and stops
 * it on release (the PTZCmd bytes the device received, decoded), is greyed out with the reason when
 * the device goes offline, and is not there for a user whose scope does not cover the camera; a stream
 * that fails at a known step (the device answers INVITE and sends no RTP) shows that step and the port
 * on the camera's row, in Chinese and in English.
 */
class GbConsoleBrowserTest {
    private static final String SITE = "puxian/kecheng/wangjiazhuang/wjz-coal";
    private static final String CHANNEL = "14103300001310000001";
    private static final String PAD = ".ptz[data-channel='" + CHANNEL + "'] ";

    @TempDir
    Path dir;

    private ConfigWatcher watcher;
    private Node node;
    private SimulatedDevice nvr;
    private HeadlessChromium chromium;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        HeadlessChromium.assumeInstalled();
        // the demo county, with the NVR's first channel relayed to a push camera of the mine
        String yaml = TestCounty.yaml(dir.resolve("data"))
                .replace("- {id: \"" + CHANNEL + "\", name: 王家庄煤业主井口}",
                        "- {id: \"" + CHANNEL + "\", name: 王家庄煤业主井口, camera: cam-wjz-gb}")
                .replaceFirst("(?m)^cameras:\n", "cameras:\n  - id: cam-wjz-gb\n    name: 王家庄煤业主井口GB\n    site: " + SITE
                        + "\n    secret: test-cam-wjz-gb-4Tq8\n    source: {mode: push}\n"
                        + "    analysis: {fps: 5, width: 640, height: 360, analyzers: [tamper]}\n");
        assertThat(yaml).contains("camera: cam-wjz-gb}").contains("id: cam-wjz-gb\n");
        Path county = Files.writeString(dir.resolve("county.yaml"), yaml);
        var registry = Metrics.create();
        watcher = new ConfigWatcher(county, registry);
        node = new Node(watcher, null, registry).start();
        Gb28181Config gb = node.config().current().gb28181();
        Gb28181Config.Device d = gb.devices().get(0);
        nvr = new SimulatedDevice(d.id(), d.password(), gb.serverId(), "127.0.0.1", node.stages().gb28181Port(), "UDP",
                List.of(new SimulatedDevice.Channel(CHANNEL, "王家庄煤业主井口"), new SimulatedDevice.Channel("14103300001310000002", "王家庄煤业变电所")),
                Charset.forName("GB2312"));
        nvr.media(SimulatedDevice.Media.SILENT);   // answers INVITE with 200, then sends no RTP
        assertThat(nvr.register(Duration.ofHours(1))).isEqualTo(200);
        chromium = new HeadlessChromium("1440,900", Map.of());
        driver = chromium.driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (nvr != null) {
            nvr.close();
        }
        if (node != null) {
            node.close();
        }
        if (watcher != null) {
            watcher.close();
        }
    }

    private void login(String user, String password) {
        driver.get("http://127.0.0.1:" + node.httpPort() + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "up"));
    }

    private PtzCmd.Decoded received(int index) {
        await().atMost(Duration.ofSeconds(30)).until(() -> nvr.ptzCommands().size() > index);
        SimulatedDevice.Ptz p = nvr.ptzCommands().get(index);
        assertThat(p.channelId()).isEqualTo(CHANNEL);
        return PtzCmd.decode(p.cmd());
    }

    /**
     * The step shown on the camera's row, once it starts with {@code prefix}. The row is drawn anew every
     * 5 s and shows the step only while the stream stands failed (the relay retries 10 s after a failure).
     */
    private String step(String prefix) {
        return wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            var steps = d.findElements(By.cssSelector("#cameras .gb-step"));
            String t = steps.isEmpty() ? null : steps.get(0).getText();
            return t != null && t.startsWith(prefix) ? t : null;
        });
    }

    @Test
    void holdingAPtzButtonMovesTheCameraUntilReleaseAndAFailedStreamSaysAtWhichStep() throws Exception {
        login("zheng-ming", "Demo-Town-2026");
        driver.findElement(By.cssSelector("#tabs button[data-tab='enterprise']")).click();
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("enterprise-select")))).selectByValue(SITE);
        WebElement left = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(PAD + "button[data-move='left']")));
        assertThat(left.getAttribute("title")).isEqualTo("左");

        new Actions(driver).clickAndHold(left).perform();
        PtzCmd.Decoded moving = received(0);
        // A5, version/check 0F, address 01, left 02, pan speed 80, tilt 00, zoom/address-high 00, sum of the seven 37
        assertThat(nvr.ptzCommands().get(0).cmd()).isEqualToIgnoringCase("A50F010280000037");
        assertThat(moving.move()).isEqualTo(PtzCmd.Move.LEFT);
        assertThat(moving.panSpeed()).isEqualTo(128);
        Thread.sleep(1500);   // held: the camera keeps moving, nothing else is sent
        assertThat(nvr.ptzCommands()).hasSize(1);
        new Actions(driver).release().perform();
        assertThat(received(1).move()).isEqualTo(PtzCmd.Move.STOP);

        WebElement zoomIn = driver.findElement(By.cssSelector(PAD + "button[data-move='zoom-in']"));
        new Actions(driver).clickAndHold(zoomIn).perform();
        PtzCmd.Decoded zooming = received(2);
        assertThat(zooming.move()).isEqualTo(PtzCmd.Move.ZOOM_IN);
        assertThat(zooming.zoomSpeed()).isEqualTo(128 >> 4);   // zoom speed has four bits
        // released away from the button (the operator's pointer slid off): still stops
        new Actions(driver).moveToElement(driver.findElement(By.id("ent-title"))).release().perform();
        assertThat(received(3).move()).isEqualTo(PtzCmd.Move.STOP);

        // by keyboard: Space held on a focused button moves, its release stops
        WebElement down = driver.findElement(By.cssSelector(PAD + "button[data-move='down']"));
        driver.executeScript("arguments[0].focus()", down);
        new Actions(driver).keyDown(org.openqa.selenium.Keys.SPACE).perform();
        assertThat(received(4).move()).isEqualTo(PtzCmd.Move.DOWN);
        new Actions(driver).keyUp(org.openqa.selenium.Keys.SPACE).perform();
        assertThat(received(5).move()).isEqualTo(PtzCmd.Move.STOP);
        Thread.sleep(500);
        assertThat(nvr.ptzCommands()).as("one move and one stop per press").hasSize(6);
        chromium.shot("gb-01-ptz-pad");

        // the relay INVITEs the channel, gets 200 and no RTP: the row names the step and the port
        assertThat(step("收流")).matches("收流超时：端口 \\d+ 未收到 RTP");
        chromium.shot("gb-02-step-zh");
        driver.findElement(By.id("lang")).click();
        assertThat(step("no picture")).matches("no picture: no RTP on port \\d+");
        assertThat(driver.findElement(By.cssSelector(PAD + "button[data-move='left']")).getAttribute("title")).isEqualTo("left");
        chromium.shot("gb-03-step-en");

        // the NVR unregisters: the pad greys out and says why, in the reader's language
        int sent = nvr.ptzCommands().size();
        assertThat(nvr.register(Duration.ZERO)).isEqualTo(200);
        wait.until(ExpectedConditions.textToBe(By.cssSelector(PAD + ".ptz-why"), "device offline: PTZ not available"));
        assertThat(driver.findElements(By.cssSelector(PAD + "button"))).allMatch(b -> !b.isEnabled());
        new Actions(driver).clickAndHold(driver.findElement(By.cssSelector(PAD + "button[data-move='up']"))).release().perform();
        chromium.shot("gb-04-ptz-offline");
        assertThat(nvr.ptzCommands()).hasSize(sent);
    }

    @Test
    void aUserWhoseScopeDoesNotCoverTheCameraHasNoPadAndCannotMoveIt() throws Exception {
        // an operator of a neighbouring mine in the same township
        login("zhang-hui", "Demo-Mine-2026");
        driver.findElement(By.cssSelector("#tabs button[data-tab='enterprise']")).click();
        Select ent = new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("enterprise-select"))));
        assertThat(ent.getOptions()).noneMatch(o -> SITE.equals(o.getAttribute("value")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live-views img.live")));
        assertThat(driver.findElements(By.cssSelector(".ptz"))).isEmpty();
        // a request forged from this user's own session is refused, and the device receives nothing
        Object status = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/api/gb28181/channels/" + CHANNEL + "/ptz', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                + " body: JSON.stringify({move: 'left', speed: 128})}).then(r => done(r.status));");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        Thread.sleep(500);
        assertThat(nvr.ptzCommands()).isEmpty();
    }
}
