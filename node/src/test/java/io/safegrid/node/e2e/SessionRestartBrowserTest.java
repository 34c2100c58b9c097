package io.safegrid.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.node.HeadlessChromium;
import io.safegrid.node.TestCounty;
import io.safegrid.testing.FreePorts;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator's open console across a node restart, in a real browser: the page reconnects by itself
 * and is still logged in; after logging out, the old cookie put back is refused by the restarted node;
 * a user removed from the config while the node was down is sent to the login form.
 */
class SessionRestartBrowserTest {
    @TempDir
    Path dir;

    private ConfigWatcher watcher;
    private Node node;
    private HeadlessChromium chromium;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeEach
    void browser() throws Exception {
        HeadlessChromium.assumeInstalled();
        chromium = new HeadlessChromium("1440,900", Map.of());
        driver = chromium.driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        stopNode();
        if (chromium != null) {
            chromium.close();
        }
    }

    private void startNode(String yaml) throws Exception {
        Path county = Files.writeString(dir.resolve("county.yaml"), yaml);
        var registry = Metrics.create();
        watcher = new ConfigWatcher(county, registry);
        node = new Node(watcher, null, registry).start();
    }

    private void stopNode() {
        if (node != null) {
            node.close();
            node = null;
        }
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    private String url() {
        return "http://127.0.0.1:" + node.httpPort() + "/";
    }

    private void login(String user, String password) {
        driver.get(url());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "up"));
    }

    private void loggedInAs(String displayName) {
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "up"));
        assertThat(driver.findElement(By.id("login-view")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("who")).getText()).startsWith(displayName);
    }

    @Test
    void anOperatorStaysLoggedInAcrossARestartUntilLogoutOrRemovalFromTheConfig() throws Exception {
        String yaml = TestCounty.yaml(dir.resolve("data"));
        // the restarted node on the same port, as a real one comes back (the page's address does not change); one
        // the kernel gives nobody else while the node is down
        String samePort = yaml.replaceFirst("(?m)^(  http-port:) 0$", "$1 " + FreePorts.outsideEphemeralRange());
        assertThat(samePort).isNotEqualTo(yaml);
        startNode(samePort);
        login("zheng-ming", "Demo-Town-2026");

        stopNode();
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "down"));
        startNode(samePort);
        loggedInAs("郑明");   // the open page, reconnected by itself
        chromium.shot("session-01-after-restart");
        driver.navigate().refresh();
        loggedInAs("郑明");   // and a page loaded afresh

        Cookie session = driver.manage().getCookieNamed("SAFEGRID_SESSION");
        assertThat(session).isNotNull();
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        stopNode();
        startNode(samePort);
        driver.manage().addCookie(session);   // as if the browser had kept it
        driver.get(url());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        assertThat(driver.findElement(By.id("app")).isDisplayed()).isFalse();

        login("admin", "Demo-Admin-2026");
        stopNode();
        String withoutAdmin = samePort.replaceFirst("(?m)^  - \\{name: admin,.*\n", "");
        assertThat(withoutAdmin).isNotEqualTo(samePort);
        startNode(withoutAdmin);
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        assertThat(driver.findElement(By.id("app")).isDisplayed()).isFalse();
        chromium.shot("session-02-removed-user");
    }
}
