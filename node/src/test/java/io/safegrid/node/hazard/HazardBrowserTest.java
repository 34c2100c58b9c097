package io.safegrid.node.hazard;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.node.HeadlessChromium;
import io.safegrid.testing.ConsoleTabs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The hazard pages in headless Chromium, against the real console and register: an enterprise
 * reports a hazard with a photo, the township assigns a deadline, time passes and the overdue
 * notice climbs from the township to the county, the enterprise submits with an after photo, the
 * township accepts, and the audit trail shows every step.
 */
class HazardBrowserTest {
    private static final DateTimeFormatter LOCAL_INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;
    HazardConsole c;
    HeadlessChromium chromium;
    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        HeadlessChromium.assumeInstalled();
        c = new HazardConsole(dir, 2 << 20);
        // the page reads deadlines in the browser's zone: UTC here, so the test can write them plainly
        chromium = new HeadlessChromium("1440,1200", Map.of("TZ", "UTC"));
        driver = chromium.driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (c != null) {
            c.close();
        }
    }

    private void shot(String name) throws Exception {
        chromium.shot(name);
    }

    private void logIn(String user) {
        if (!driver.findElements(By.cssSelector("#logout:not([hidden])")).isEmpty()) {
            driver.findElement(By.id("logout")).click();
        }
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).clear();
        driver.findElement(By.id("login-user")).sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(HazardConsole.PASSWORDS.get(user));
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tabs")));
        ConsoleTabs.open(driver, "hazards");
    }

    private void openRow(String id) {
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#hz-list tr.hz-row[data-id='" + id + "']")).click();
            return true;
        });
        wait.until(ExpectedConditions.attributeToBe(By.id("hz-detail"), "data-id", id));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("hz-detail")));
    }

    private void setValue(String id, String value) {
        ((JavascriptExecutor) driver).executeScript("document.getElementById(arguments[0]).value = arguments[1]", id, value);
    }

    private static Path picture(Path dir, String name, Color colour) throws Exception {
        BufferedImage img = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 1600, 1200);
        g.setColor(Color.WHITE);
        g.fillRect(400, 300, 800, 600);
        g.dispose();
        Path p = dir.resolve(name);
        ImageIO.write(img, "jpg", p.toFile());
        return p;
    }

    @Test
    void aHazardGoesFromTheEnterpriseThroughTheGridAndBack() throws Exception {
        driver.get(c.uri("/").toString());
        // 1. the enterprise reports a hazard with a photo
        logIn("zhang-hui");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#hz-site option")));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("hz-grade"))).selectByValue("larger");
        driver.findElement(By.id("hz-category")).sendKeys("通风");
        driver.findElement(By.id("hz-place")).sendKeys("主斜井");
        driver.findElement(By.id("hz-description")).sendKeys("主斜井局部通风机无备用电源");
        driver.findElement(By.id("hz-photo")).sendKeys(picture(dir, "before.jpg", Color.DARK_GRAY).toString());
        shot("hazard-01-report");
        driver.findElement(By.id("hz-report-submit")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("hz-detail"), "data-state", "reported"));
        String id = driver.findElement(By.id("hz-detail")).getAttribute("data-id");
        assertThat(c.register.get(id).orElseThrow().photos()).singleElement()
                .satisfies(p -> assertThat(p.contentType()).isEqualTo("image/jpeg"));

        // 2. the township assigns the five measures with a deadline five days ahead
        logIn("zheng-ming");
        assertThat(driver.findElement(By.id("hz-detail")).isDisplayed()).as("the last user's hazard is not left on screen").isFalse();
        openRow(id);
        Instant deadline = HazardConsole.START.plus(Duration.ofDays(5));
        driver.findElement(By.id("hz-responsible")).sendKeys("zhang-hui");
        driver.findElement(By.id("hz-measures")).sendKeys("加装双电源自动切换");
        driver.findElement(By.id("hz-funds")).sendKeys("120000");
        setValue("hz-deadline", LOCAL_INPUT.format(deadline));
        driver.findElement(By.id("hz-plan")).sendKeys("通风机停风应急预案");
        driver.findElement(By.id("hz-btn-assign")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("hz-detail"), "data-state", "assigned"));
        assertThat(c.register.get(id).orElseThrow().five().deadline()).isEqualTo(deadline);
        shot("hazard-02-assigned");

        // 3. the enterprise starts; the deadline passes: the notice climbs township, then county
        logIn("zhang-hui");
        openRow(id);
        driver.findElement(By.id("hz-btn-rectify")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("hz-detail"), "data-state", "rectifying"));
        c.clock.now = deadline.minus(Duration.ofDays(1));
        assertThat(c.register.scanOnce()).isEqualTo(1);
        c.clock.now = deadline.plusSeconds(60);
        assertThat(c.register.scanOnce()).isEqualTo(1);
        c.clock.now = deadline.plus(Duration.ofDays(1)).plusSeconds(60);
        assertThat(c.register.scanOnce()).isEqualTo(1);
        assertThat(c.register.deliverOnce()).isEqualTo(3);
        assertThat(c.sms.accepted).hasSize(3);                               // by SMS, through the demo's channel
        assertThat(c.sms.to("13803571026")).singleElement().asString().contains("将到");   // the mine's duty officer, also the responsible person
        assertThat(c.sms.to("13803571022")).singleElement().asString().contains("已过");   // zheng-ming, the township
        assertThat(c.sms.to("13803571000")).singleElement().asString().contains("已过");   // wang-fang, the county
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tabs")));
        ConsoleTabs.open(driver, "hazards");
        openRow(id);
        assertThat(driver.findElement(By.id("hz-title")).getText()).contains("超期");

        // 4. the enterprise submits with an after photo, the township accepts
        driver.findElement(By.id("hz-note")).sendKeys("已加装双电源，试运行正常");
        driver.findElement(By.id("hz-after-photo")).sendKeys(picture(dir, "after.jpg", new Color(30, 120, 60)).toString());
        driver.findElement(By.id("hz-btn-submit")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("hz-detail"), "data-state", "submitted"));
        logIn("zheng-ming");
        openRow(id);
        driver.findElement(By.id("hz-note")).sendKeys("现场核查合格，同意销号");
        driver.findElement(By.id("hz-btn-accept")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("hz-detail"), "data-state", "accepted"));

        // 5. the audit trail shows every step, and both photos are shown
        wait.until(d -> d.findElements(By.cssSelector("#hz-timeline li")).size() >= 8);
        List<String> steps = driver.findElements(By.cssSelector("#hz-timeline li b")).stream().map(WebElement::getText).toList();
        assertThat(steps).containsExactly("上报", "下达整改", "开始整改", "通知", "通知", "通知", "提交验收", "验收销号");
        String trail = driver.findElement(By.id("hz-timeline")).getText();
        assertThat(trail).contains("zhang-hui", "zheng-ming", "克城镇", "蒲县", "已下达", "现场核查合格，同意销号", "已加装双电源，试运行正常");
        List<WebElement> photos = driver.findElements(By.cssSelector("#hz-photos img.hz-photo"));
        assertThat(photos).extracting(p -> p.getAttribute("data-stage")).containsExactly("before", "after");
        wait.until(d -> photos.stream().allMatch(p -> ((Number) ((JavascriptExecutor) d)
                .executeScript("return arguments[0].naturalWidth", p)).intValue() > 0));
        shot("hazard-03-accepted");

        // 中文 by default; English on the toggle
        driver.findElement(By.id("lang")).click();
        // the tab sits in a closed header menu: its words, not its shown text
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#tabs button[data-tab='hazards']"), "textContent", "Hazards"));
        openRow(id);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("hz-timeline"), "accepted"));
        shot("hazard-04-english");
    }

    @Test
    void aTownshipKeepsAnEnterprisesDossierAndSeesWhatExpiresSoon() throws Exception {
        driver.get(c.uri("/").toString());
        logIn("zheng-ming");
        ConsoleTabs.open(driver, "dossier");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#ds-site option")));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("ds-site"))).selectByValue("puxian/kecheng/dongyu/kecheng-coal");
        wait.until(ExpectedConditions.textToBe(By.id("ds-title"), "山西蒲县克城煤业有限公司"));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("ds-kind"))).selectByValue("certificate");
        driver.findElement(By.id("ds-name")).sendKeys("特种作业操作证（电工）");
        driver.findElement(By.id("ds-holder")).sendKeys("李师傅");
        String soon = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(10).toString();
        setValue("ds-expires", soon);
        driver.findElement(By.id("ds-add")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ds-items"), "特种作业操作证（电工）"));
        assertThat(driver.findElement(By.id("ds-items")).getText()).contains("人员证书", "李师傅", soon, "即将到期");
        // the expiring list comes from a second request, after the entries are drawn
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ds-expiring"), "特种作业操作证（电工）"));
        assertThat(driver.findElement(By.id("ds-expiring")).getText()).contains("山西蒲县克城煤业有限公司", "特种作业操作证（电工）");
        assertThat(driver.findElement(By.id("ds-profile")).getText()).contains("县应急管理局");
        shot("hazard-05-dossier");
    }
}
