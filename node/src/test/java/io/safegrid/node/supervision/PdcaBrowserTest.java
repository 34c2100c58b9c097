package io.safegrid.node.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.assessment.IndicatorScore;
import io.safegrid.model.assessment.UnitScore;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.FiveMeasures;
import io.safegrid.model.hazard.HazardState;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.supervision.Task;
import io.safegrid.testing.ConsoleTabs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * One PDCA loop in headless Chromium against the real console, hazard register and supervision
 * stage, with a clock the test moves: the township plans the quarter's inspection of its larger- and
 * major-risk enterprises (Plan); the inspector does one task on a phone-sized window with two failed
 * items and raises both as hazards (Do); the enterprise rectifies one, the inspector re-inspects and
 * accepts it, and the plan's completion per township shows it (Check); the township's quarter score
 * on the assessment page counts the task done and one of the two hazards closed (Act).
 */
class PdcaBrowserTest extends SupervisionBrowser {
    static final GridPath COAL = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    static final Actor TOWN = new Actor("zheng-ming", GridPath.parse("puxian/kecheng"), true);
    static final Actor MINE = new Actor("zhang-hui", COAL, false);

    private static Path picture(Path dir) throws Exception {
        BufferedImage img = new BufferedImage(1200, 900, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, 1200, 900);
        g.setColor(Color.ORANGE);
        g.fillRect(300, 200, 600, 500);
        g.dispose();
        Path p = dir.resolve("sensor.jpg");
        ImageIO.write(img, "jpg", p.toFile());
        return p;
    }

    private WebElement item(int no) {
        return driver.findElement(By.cssSelector("#in-items li.in-item[data-no='" + no + "']"));
    }

    /** Clicks inside item {@code no}, again if the page re-rendered it meanwhile. */
    private void clickInItem(int no, String css) {
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            item(no).findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    private String outcomeOf(int no) {
        return wait.ignoring(StaleElementReferenceException.class).until(d -> item(no).getAttribute("data-outcome"));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Kecheng's score over the fourth quarter (Beijing time), as the assessment API computes it. */
    private UnitScore kecheng() {
        return c.assessments.assess(TOWN.scope(), Instant.parse("2026-09-30T16:00:00Z"), Instant.parse("2026-12-31T16:00:00Z"))
                .total();
    }

    private static IndicatorScore indicator(UnitScore u, String id) {
        return u.indicators().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    /** A score as JavaScript prints the number. */
    private static String shown(double score) {
        return score == Math.rint(score) ? String.valueOf((long) score) : String.valueOf(score);
    }

    @Test
    void aQuarterlyPlanIsDoneOnAPhoneAndItsHazardsAreReinspected() throws Exception {
        // Plan: the township plans this quarter's unannounced inspection of its larger- and major-risk enterprises
        openAs("zheng-ming", "inspections");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sv-items li")));
        assertThat(driver.findElements(By.cssSelector("#sv-items li"))).hasSize(7);
        assertThat(driver.findElement(By.id("sv-items")).getText()).contains("瓦斯监测监控系统运行正常");
        driver.findElement(By.id("sv-title")).sendKeys("2026年四季度煤矿安全检查");
        new Select(driver.findElement(By.id("sv-quarter"))).selectByIndex(1);
        // the fourth quarter of 2026 in county time (the browser runs in UTC), whatever today's date is
        js("document.getElementById('sv-starts').value = '2026-09-30T16:00';"
                + " document.getElementById('sv-due').value = '2026-12-31T15:59';");
        new Select(driver.findElement(By.id("sv-rule-subtree"))).selectByValue("puxian/kecheng");
        new Select(driver.findElement(By.id("sv-min-risk"))).selectByValue("larger");
        driver.findElement(By.id("sv-unannounced")).click();
        chromium.shot("pdca-01-plan");
        driver.findElement(By.id("sv-create")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#sv-progress tr[data-township='puxian/kecheng']")));
        assertThat(driver.findElement(By.cssSelector("#sv-progress tr[data-township='puxian/kecheng'] .sv-due")).getText()).isEqualTo("2");
        assertThat(driver.findElements(By.cssSelector("#sv-tasks tbody tr"))).hasSize(2);
        String planId = driver.findElement(By.id("sv-plan-detail")).getAttribute("data-id");
        Task task = c.supervision.inspections().tasks(planId, null).stream().filter(t -> t.target().equals(COAL))
                .findFirst().orElseThrow();
        assertThat(task.unannounced()).isTrue();
        UnitScore planned = kecheng();
        assertThat(indicator(planned, "inspection-completion").denominator()).isEqualTo(2);
        assertThat(indicator(planned, "inspection-completion").numerator()).isZero();

        // Do: the inspector, on a phone, a week into the quarter
        c.clock.advance(Duration.ofDays(7));
        driver.manage().window().setSize(new Dimension(390, 844));
        driver.get(c.url("/ui/inspect.html"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#in-tasks a[data-id='" + task.id() + "']"))).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#in-items li.in-item"), 7));
        assertThat(((Number) js("return window.innerWidth")).intValue()).isLessThanOrEqualTo(390);
        item(1).findElement(By.cssSelector(".in-note")).sendKeys("3号甲烷传感器超期未校准");
        item(1).findElement(By.cssSelector(".in-photo")).sendKeys(picture(dir).toString());
        clickInItem(1, ".in-o[data-o='fail']");
        wait.until(d -> "fail".equals(outcomeOf(1)));
        item(2).findElement(By.cssSelector(".in-note")).sendKeys("断电闭锁装置被短接");
        clickInItem(2, ".in-o[data-o='fail']");
        wait.until(d -> "fail".equals(outcomeOf(2)));
        for (int i = 3; i <= 7; i++) {
            clickInItem(i, ".in-o[data-o='pass']");
            int no = i;
            wait.until(d -> "pass".equals(outcomeOf(no)));
        }
        wait.until(d -> !item(1).findElements(By.cssSelector(".in-photos img")).isEmpty());
        // two failed items, two hazards, each in one tap
        new Select(item(1).findElement(By.cssSelector(".in-grade"))).selectByValue("larger");
        clickInItem(1, ".in-hazard");
        wait.until(d -> !item(1).findElements(By.cssSelector(".in-hz")).isEmpty());
        clickInItem(2, ".in-hazard");
        wait.until(d -> !item(2).findElements(By.cssSelector(".in-hz")).isEmpty());
        driver.findElement(By.id("in-location")).sendKeys("36.3312,111.2087 ±15 m");
        chromium.shot("pdca-02-phone-task");
        assertThat(((Number) js("return document.documentElement.scrollWidth - window.innerWidth")).intValue())
                .as("no sideways scrolling on a phone; too wide: %s", js("return [...document.querySelectorAll('body *')]"
                        + ".filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className + '#' + e.id).join(' ')"))
                .isLessThanOrEqualTo(0);
        driver.findElement(By.id("in-complete")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("in-task"), "data-done", "true"));
        assertThat(driver.findElement(By.id("in-done")).getText()).contains("zheng-ming", "36.3312,111.2087");

        Task done = c.supervision.inspections().task(task.id()).orElseThrow();
        assertThat(done.doneAt()).isEqualTo(SupervisionConsole.START.plus(Duration.ofDays(7)));
        assertThat(done.location()).isEqualTo("36.3312,111.2087 ±15 m");
        String h1 = done.items().get(0).hazardId();
        String h2 = done.items().get(1).hazardId();
        assertThat(c.hazards.get(h1).orElseThrow().photos()).hasSize(1);
        assertThat(c.hazards.get(h1).orElseThrow().description()).contains("3号甲烷传感器超期未校准");
        assertThat(c.hazards.get(h2).orElseThrow().state()).isEqualTo(HazardState.REPORTED);

        // the enterprise rectifies the first hazard (its own pages are the hazard module's)
        c.hazards.assign(TOWN, h1, new FiveMeasures("zhang-hui", "校准全部甲烷传感器", 3000L,
                c.clock.instant().plus(Duration.ofDays(10)), null), null);
        c.hazards.startRectifying(MINE, h1, null);
        c.clock.advance(Duration.ofDays(5));
        c.hazards.submit(MINE, h1, "已送检校准，附检定证书", List.of());

        // Check: back on site, the inspector re-inspects and accepts it
        c.clock.advance(Duration.ofDays(2));
        driver.navigate().refresh();
        wait.until(d -> !item(1).findElements(By.cssSelector(".in-accept")).isEmpty());
        item(1).findElement(By.cssSelector(".in-re-note")).sendKeys("复查合格");
        clickInItem(1, ".in-accept");
        wait.until(d -> "accepted".equals(item(1).findElement(By.cssSelector(".in-hz")).getAttribute("data-state")));
        assertThat(c.hazards.get(h1).orElseThrow().state()).isEqualTo(HazardState.ACCEPTED);
        assertThat(item(2).findElements(By.cssSelector(".in-accept"))).isEmpty();
        chromium.shot("pdca-03-reinspected");

        // the plan's completion per township, on the console
        driver.manage().window().setSize(new Dimension(1440, 1100));
        driver.get(c.url("/"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tabs")));
        ConsoleTabs.open(driver, "inspections");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sv-plans tr.sv-plan-row"))).click();
        By row = By.cssSelector("#sv-progress tr[data-township='puxian/kecheng']");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#sv-progress tr[data-township='puxian/kecheng'] .sv-accepted"), "1"));
        WebElement progress = driver.findElement(row);
        assertThat(progress.findElement(By.cssSelector(".sv-due")).getText()).isEqualTo("2");
        assertThat(progress.findElement(By.cssSelector(".sv-done")).getText()).isEqualTo("1");
        assertThat(progress.findElement(By.cssSelector(".sv-raised")).getText()).isEqualTo("2");
        assertThat(driver.findElements(By.cssSelector("#sv-progress-chart canvas"))).isNotEmpty();
        assertThat(c.supervision.inspections().reinspections(task.id())).singleElement()
                .satisfies(r -> assertThat(r.accepted()).isTrue());
        chromium.shot("pdca-04-progress");

        // Act on it: the township's quarter score counts the task done and the hazard closed
        UnitScore scored = kecheng();
        IndicatorScore completion = indicator(scored, "inspection-completion");
        assertThat(completion.numerator()).isEqualTo(1);
        assertThat(completion.denominator()).isEqualTo(2);
        assertThat(completion.points()).isGreaterThan(indicator(planned, "inspection-completion").points());
        IndicatorScore closure = indicator(scored, "hazard-closure");
        assertThat(closure.measured()).isTrue();
        assertThat(closure.numerator()).isEqualTo(1);
        assertThat(closure.denominator()).isEqualTo(2);
        ConsoleTabs.open(driver, "assessment");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#as-node option[value='puxian/kecheng']")));
        new Select(driver.findElement(By.id("as-node"))).selectByValue("puxian/kecheng");
        driver.findElement(By.id("as-quarter")).sendKeys("2026-Q4");
        driver.findElement(By.id("as-run")).click();
        wait.until(ExpectedConditions.textToBe(By.id("as-unit-name"), scored.name() + " — " + shown(scored.score())));
        assertThat(Double.parseDouble(driver.findElement(By.id("as-total-score")).getText())).isEqualTo(scored.score());
        WebElement shownCompletion = driver.findElement(By.cssSelector("#as-indicators tr[data-id='inspection-completion']"));
        assertThat(shownCompletion.findElement(By.cssSelector(".as-value")).getText()).isEqualTo("50.0%");
        assertThat(shownCompletion.getText()).contains("1 / 2");
        assertThat(Double.parseDouble(shownCompletion.findElement(By.cssSelector(".as-points")).getText()))
                .isEqualTo(completion.points());
        chromium.shot("pdca-05-township-score");
        ConsoleTabs.open(driver, "inspections");

        // English on the toggle
        driver.findElement(By.id("lang")).click();
        // the tab sits in a closed header menu: its words, not its shown text
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#tabs button[data-tab='inspections']"), "textContent", "Inspections"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sv-items"), "methane monitoring"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sv-progress"), "township"));
        chromium.shot("pdca-06-english");
        // nothing Chinese left but names and what people wrote
        String page = driver.findElement(By.id("view-inspections")).getText();
        page = withoutNames(page, List.of("2026年四季度煤矿安全检查"));
        assertThat(java.util.regex.Pattern.compile("\\p{IsHan}").matcher(page).find())
                .as("Chinese left on the English page: %s", page).isFalse();
    }
}
