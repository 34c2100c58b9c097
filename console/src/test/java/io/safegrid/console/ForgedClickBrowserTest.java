package io.safegrid.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.grid.GridPath;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A forged click in headless Chromium: the township officer is logged in to the console, then opens
 * a page served from another port of the same host. {@code SameSite=Strict} treats that page as the
 * same site, so the browser sends her session cookie with whatever the page posts; the page tries a
 * text/plain {@code fetch}, an empty-bodied ack, a JSON post (needs a CORS preflight) and a hidden
 * form. None of them changes the alarm; back in the console, her own comment and ack work.
 */
class ForgedClickBrowserTest {
    static final String ALARM = "a-forged";

    ConsoleFixture f;
    ChromeDriver driver;
    Path profile;
    HttpServer evil;

    @BeforeEach
    void start() throws Exception {
        BrowserFixture.assumeChromium();
        f = new ConsoleFixture();
        f.desk.raise(ALARM, "kc-ch4-t1", GridPath.parse("puxian/kecheng/dongyu/kecheng-coal"), Level.RED, ConsoleFixture.START);
        evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        evil.createContext("/", x -> {
            byte[] page = attackPage("http://127.0.0.1:" + f.console.port()).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            x.sendResponseHeaders(200, page.length);
            x.getResponseBody().write(page);
            x.close();
        });
        evil.start();
        profile = Files.createTempDirectory("safegrid-chromium");
        driver = BrowserFixture.chrome(profile);
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (evil != null) {
            evil.stop(0);
        }
        if (f != null) {
            f.close();
        }
        BrowserFixture.deleteTree(profile);
    }

    static String attackPage(String console) {
        String alarm = console + "/api/v1/alarms/" + ALARM;
        return """
                <!doctype html><html><body><h1>年终奖名单</h1>
                <iframe name="sink"></iframe>
                <form id="f" method="POST" action="%2$s/comment" enctype="text/plain" target="sink">
                  <input name='{"text":"forged by form","x":"' value='"}'></form>
                <script>
                const tries = [
                  fetch('%2$s/comment', {method: 'POST', mode: 'no-cors', credentials: 'include',
                    headers: {'Content-Type': 'text/plain'}, body: '{"text":"forged by fetch"}'}),
                  fetch('%2$s/ack', {method: 'POST', mode: 'no-cors', credentials: 'include'}),
                  fetch('%2$s/comment', {method: 'POST', credentials: 'include',
                    headers: {'Content-Type': 'application/json'}, body: '{"text":"forged by json"}'}),
                  new Promise(done => { document.querySelector('iframe').onload = done; document.getElementById('f').submit(); })
                ].map(p => p.then(() => 'sent', e => 'blocked: ' + e));
                Promise.all(tries).then(r => { document.title = 'done'; document.body.dataset.results = r.join('|'); });
                </script></body></html>
                """.formatted(console, alarm);
    }

    @Test
    void aPageOnAnotherPortCannotCommentOrAcknowledgeAsTheOfficerWhileTheConsoleStillWorks() throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        BrowserFixture.logIn(driver, wait, f, "zheng-ming");

        driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
        wait.until(ExpectedConditions.titleIs("done"));
        double refused = f.registry.find("safegrid.console.refused").tag("reason", "cross-origin").counter().count();
        assertThat(refused).as("the forged posts reached the console and were refused").isGreaterThanOrEqualTo(3);
        assertThat(f.desk.changes).as("nothing reached the desk").isEmpty();
        assertThat(f.desk.get(ALARM).orElseThrow().acknowledged()).isFalse();
        assertThat(f.desk.timeline(ALARM)).extracting(AlarmEvent::note).noneMatch(n -> n != null && n.contains("forged"));

        driver.get(f.uri("/").toString());
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "up"));
        driver.findElement(By.cssSelector("#tabs button[data-tab='alarms']")).click();
        // the list re-renders as alarm events arrive: a row found a moment ago may be replaced before the click
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("tr.alarm-row[data-id='" + ALARM + "']")).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "发生"));
        driver.findElement(By.id("action-text")).sendKeys("已通知矿调度");
        driver.findElement(By.id("btn-comment")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), "已通知矿调度"));
        driver.findElement(By.id("btn-ack")).click();
        wait.until(d -> f.desk.get(ALARM).orElseThrow().acknowledged());
        assertThat(f.desk.changes).containsExactly("comment", "acknowledge");
    }
}
