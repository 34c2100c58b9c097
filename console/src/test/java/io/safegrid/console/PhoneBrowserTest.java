package io.safegrid.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.link.AlarmLinks;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.grid.GridPath;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The duty officer's phone page at 390x844 in headless Chromium: a county operator who has no console
 * password (a roster contact) opens the link of her SMS, sees the alarm and acknowledges, comments and
 * hands it over with one tap each; the same link forwarded and opened in another browser cannot act;
 * an altered or expired link opens nothing.
 */
class PhoneBrowserTest {
    static final GridPath MINE = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");

    ConsoleFixture f;
    ChromeDriver phone;
    ChromeDriver other;
    Path profile1;
    Path profile2;

    @BeforeEach
    void start() throws Exception {
        BrowserFixture.assumeChromium();
        f = new ConsoleFixture();
        profile1 = Files.createTempDirectory("safegrid-phone");
        profile2 = Files.createTempDirectory("safegrid-phone");
        phone = phone(profile1);
        Files.createDirectories(BrowserFixture.SHOTS);
    }

    @AfterEach
    void stop() throws Exception {
        for (ChromeDriver d : new ChromeDriver[] {phone, other}) {
            if (d != null) {
                d.quit();
            }
        }
        if (f != null) {
            f.close();
        }
        BrowserFixture.deleteTree(profile1);
        BrowserFixture.deleteTree(profile2);
    }

    static ChromeDriver phone(Path profile) {
        ChromeOptions options = new ChromeOptions().setBinary(BrowserFixture.CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=390,844", "--lang=zh-CN");
        ChromeDriver d = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(BrowserFixture.CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
        // headless Chromium keeps windows at least 500 px wide: the viewport is set as a phone's
        d.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        return d;
    }

    @Test
    void theNotifiedOfficerActsFromHerPhoneAndAForwardedLinkCannot() throws Exception {
        f.desk.raise("a-sms", "kc-ch4-t1", MINE, Level.RED, ConsoleFixture.START);
        AlarmLinks links = AlarmLinks.forDataDir(f.config.current().node().dataDir());
        String link = links.path("a-sms", "li-yan", ConsoleFixture.START.plus(AlarmLinks.VALID_FOR));

        WebDriverWait wait = new WebDriverWait(phone, Duration.ofSeconds(30));
        phone.get(f.uri(link).toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("p-alarm")));
        assertThat(phone.findElement(By.id("p-what")).getText()).contains("一级·红", "甲烷", "超限");
        assertThat(phone.findElement(By.id("p-place")).getText()).isEqualTo("克城镇 / 东峪村 / 山西蒲县克城煤业有限公司");
        assertThat(phone.findElement(By.id("p-value")).getText()).contains("1.2%", "阈值 1%");
        assertThat(phone.findElement(By.id("p-who")).getText()).isEqualTo("李艳");
        assertThat(((Number) phone.executeScript("return window.innerWidth;")).intValue()).isEqualTo(390);
        Number width = (Number) phone.executeScript("return document.documentElement.scrollWidth;");
        assertThat(width.intValue()).as("no sideways scrolling at 390 px").isLessThanOrEqualTo(390);
        Number buttonHeight = (Number) phone.executeScript("return document.getElementById('p-ack').getBoundingClientRect().height;");
        assertThat(buttonHeight.intValue()).as("a thumb-sized button").isGreaterThanOrEqualTo(44);
        shot(phone, "phone-01-opened");

        phone.findElement(By.id("p-ack")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("p-timeline"), "确认"));
        assertThat(f.desk.get("a-sms").orElseThrow().acknowledged()).isTrue();
        assertThat(f.desk.timeline("a-sms")).anyMatch(e -> e.type() == AlarmEvent.Type.ACKNOWLEDGED && e.actor().equals("li-yan"));
        phone.findElement(By.id("p-text")).sendKeys("已到现场，通风恢复中");
        phone.findElement(By.id("p-comment")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("p-timeline"), "已到现场"));
        new Select(phone.findElement(By.id("p-to"))).selectByValue("zheng-ming");
        phone.findElement(By.id("p-handover")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("p-assignee"), "zheng-ming"));
        assertThat(f.desk.get("a-sms").orElseThrow().assignee()).isEqualTo("zheng-ming");
        shot(phone, "phone-02-handled");
        assertThat(phone.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList()).isEmpty();

        // the SMS forwarded: another phone opens the same link and can neither see nor act
        other = phone(profile2);
        other.get(f.uri(link).toString());
        new WebDriverWait(other, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(By.id("p-error")));
        assertThat(other.findElement(By.id("p-error")).getText()).contains("另一台设备");
        assertThat(other.findElement(By.id("p-alarm")).isDisplayed()).isFalse();
        assertThat(other.findElement(By.id("p-login")).isDisplayed()).isTrue();
        Object status = other.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{"text":"forwarded"}'})
                  .then(r => done(r.status));""", "/api/v1/link/a-sms/comment" + link.substring(link.indexOf('?')));
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(f.desk.timeline("a-sms")).noneMatch(e -> "forwarded".equals(e.note()));
        shot(other, "phone-03-forwarded");

        // an altered or an expired link opens nothing, without a session
        String token = link.substring(link.indexOf("?t=") + 3);
        String[] p = token.split("\\.");
        String longer = p[0] + "." + (Long.parseLong(p[1]) + 3600) + "." + p[2];
        HttpResponse<String> altered = f.get(null, "/api/v1/link/a-sms?t=" + longer);
        assertThat(altered.statusCode()).isEqualTo(401);
        String expired = links.token("a-sms", "li-yan", ConsoleFixture.START.minusSeconds(1));
        assertThat(f.get(null, "/api/v1/link/a-sms?t=" + expired).statusCode()).isEqualTo(401);
        String otherAlarm = links.token("a-other", "li-yan", ConsoleFixture.START.plus(AlarmLinks.VALID_FOR));
        assertThat(f.get(null, "/api/v1/link/a-sms?t=" + otherAlarm).statusCode()).isEqualTo(401);
        // someone whose scope does not hold the alarm gets nothing from a link signed for them
        f.desk.raise("a-pc", "kc-ch4-t1", GridPath.parse("puxian/pucheng"), Level.RED, ConsoleFixture.START);
        String outside = links.token("a-sms", "zhou-jie", ConsoleFixture.START.plus(AlarmLinks.VALID_FOR));
        assertThat(f.get(null, "/api/v1/link/a-sms?t=" + outside).statusCode()).isEqualTo(404);
        assertThat(List.of(f.registry.find("safegrid.console.phone.links").tag("outcome", "refused-claimed").counter().count()))
                .containsExactly(2.0);
    }

    static void shot(ChromeDriver d, String name) throws Exception {
        Files.copy(d.getScreenshotAs(OutputType.FILE).toPath(), BrowserFixture.SHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
