package io.safegrid.node.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.redline.EntryState;
import io.safegrid.model.redline.NewViolation;
import io.safegrid.model.redline.Severity;
import io.safegrid.model.redline.ViolationSource;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The red-line page in headless Chromium: a township records a third serious violation, lists the
 * enterprise the rule names, the enterprise sees only its own record and appeals, the township rejects
 * the appeal, the county hands the case over for 除名; then the page in English has no Chinese but names.
 */
class RedLineBrowserTest extends SupervisionBrowser {
    static final GridPath COAL = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    static final GridPath BRICK = GridPath.parse("puxian/kecheng/dongyu/dongyu-brick");
    static final Actor TOWN = new Actor("zheng-ming", GridPath.parse("puxian/kecheng"), true);

    private void openEntry(String state) {
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#rl-entries tr.rl-row[data-state='" + state + "']")).click();
            return true;
        });
        wait.until(ExpectedConditions.attributeToBe(By.id("rl-entry"), "data-state", state));
    }

    @Test
    void aThirdSeriousViolationPutsAnEnterpriseOnTheRedLineUntilTheCountyHandsItOver() throws Exception {
        for (int i = 1; i <= 2; i++) {
            c.supervision.redLines().record(TOWN, new NewViolation(COAL, null, ViolationSource.INSPECTION, "task-x#" + i,
                    Severity.SERIOUS, "瓦斯超限作业 " + i, c.clock.instant().minus(Duration.ofDays(40L * i))));
        }
        c.supervision.redLines().record(TOWN, new NewViolation(BRICK, null, ViolationSource.MANUAL, null, Severity.GENERAL,
                "未按规定佩戴防护用品", null));

        // the township records the third serious violation: the rule makes the mine a candidate
        openAs("zheng-ming", "redline");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rl-site option")));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("rl-site"))).selectByValue(COAL.toString());
        driver.findElement(By.id("rl-worker")).sendKeys("李四");
        driver.findElement(By.id("rl-description")).sendKeys("人为解除甲烷断电闭锁");
        driver.findElement(By.id("rl-record")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rl-violations tr.rl-vio"), 4));
        WebElement cand = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#rl-candidates tr.rl-cand[data-site='" + COAL + "']")));
        assertThat(cand.getText()).contains("一年内三次严重违法违规");
        assertThat(driver.findElements(By.cssSelector("#rl-chart canvas"))).isNotEmpty();
        cand.findElement(By.cssSelector(".rl-reason")).sendKeys("一年内三次严重违法违规，列入红线管理");
        cand.findElement(By.cssSelector(".rl-list")).click();
        openEntry("listed");
        assertThat(driver.findElement(By.id("rl-history")).getText()).contains("列入", "zheng-ming");
        assertThat(driver.findElement(By.id("rl-handoff")).isDisplayed()).isFalse();
        chromium.shot("redline-01-listed");

        // the enterprise sees its own record only, and appeals
        openAs("zhang-hui", "redline");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rl-violations tr.rl-vio"), 3));
        assertThat(driver.findElement(By.id("rl-violations")).getText()).doesNotContain("未按规定佩戴防护用品");
        assertThat(driver.findElement(By.id("rl-form")).isDisplayed()).isFalse();
        openEntry("listed");
        driver.findElement(By.id("rl-note")).sendKeys("第三次认定有误，申请复核");
        driver.findElement(By.id("rl-btn-appeal")).click();
        openEntry("appealed");

        // the township rejects the appeal; the county hands the case over for 除名
        openAs("zheng-ming", "redline");
        openEntry("appealed");
        driver.findElement(By.id("rl-note")).sendKeys("经复核认定无误");
        driver.findElement(By.id("rl-btn-reject")).click();
        openEntry("listed");
        openAs("wang-fang", "redline");
        openEntry("listed");
        driver.findElement(By.id("rl-authority")).sendKeys("蒲县市场监督管理局");
        driver.findElement(By.id("rl-reference")).sendKeys("蒲应急函〔2026〕12号");
        driver.findElement(By.id("rl-btn-handoff")).click();
        wait.until(d -> d.findElements(By.cssSelector("#rl-entries tr.rl-row")).isEmpty());
        assertThat(c.supervision.redLines().entries(COAL, true)).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(EntryState.HANDED_OFF);
            assertThat(e.handOffTo()).isEqualTo("蒲县市场监督管理局");
        });
        driver.findElement(By.id("rl-all")).click();
        openEntry("handed-off");
        assertThat(driver.findElements(By.cssSelector("#rl-history li"))).hasSize(4);
        chromium.shot("redline-02-handed-off");

        // in English, nothing Chinese but names and what people wrote
        driver.findElement(By.id("lang")).click();
        // the tab sits in a closed header menu: its words, not its shown text
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#tabs button[data-tab='redline']"), "textContent", "Red line"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rl-history"), "handed over"));
        String page = driver.findElement(By.id("view-redline")).getText();
        page = withoutNames(page, List.of("李四", "人为解除甲烷断电闭锁", "瓦斯超限作业 1", "瓦斯超限作业 2",
                "未按规定佩戴防护用品", "一年内三次严重违法违规，列入红线管理", "第三次认定有误，申请复核", "经复核认定无误",
                "蒲县市场监督管理局", "蒲应急函〔2026〕12号"));
        assertThat(Pattern.compile("\\p{IsHan}").matcher(page).find()).as("Chinese left on the English page: %s", page).isFalse();
        chromium.shot("redline-03-english");
    }
}
