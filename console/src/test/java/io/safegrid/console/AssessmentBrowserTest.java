package io.safegrid.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.assessment.accident.AccidentBook;
import io.safegrid.assessment.indicator.Sources;
import io.safegrid.assessment.report.ReportService;
import io.safegrid.assessment.score.AssessmentService;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmFacts;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.HazardFacts;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.testing.ConsoleTabs;
import io.safegrid.testing.FactLists;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The assessment and report pages in headless Chromium on the real assessment and report services:
 * the county's scorecard shows the API's scores and draws them, a unit's indicators link to the
 * records behind them, an accident recorded on the page vetoes the township, a monthly report is
 * made with a progress bar and downloads as a PDF, and a township officer sees only their subtree.
 */
class AssessmentBrowserTest extends BrowserFixture {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final GridPath COAL = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    static final GridPath BRICK = GridPath.parse("puxian/kecheng/dongyu/dongyu-brick");
    static final GridPath CHEM = GridPath.parse("puxian/pucheng/xiangyang/hongda-chem");
    static final Instant NOV = Instant.parse("2026-11-01T02:00:00Z");
    final ObjectMapper json = new ObjectMapper();
    Path books;
    ReportService reports;

    private void plugIn() throws Exception {
        books = Files.createTempDirectory("safegrid-accidents");
        List<AlarmFacts.Fact> alarms = List.of(
                new AlarmFacts.Fact("a-coal", COAL, "kc-ch4-t1", "THRESHOLD", Level.RED, NOV, NOV.plusSeconds(180), false),
                new AlarmFacts.Fact("a-hongda", CHEM, "hd-1", "THRESHOLD", Level.YELLOW, NOV.plus(Duration.ofDays(1)), null, true));
        List<HazardFacts.Fact> hazards = List.of(new HazardFacts.Fact("h-brick", BRICK, List.of(), HazardGrade.GENERAL,
                NOV, null, NOV.plus(Duration.ofDays(5)), null));
        AccidentBook book = AccidentBook.open(AccidentBook.embeddedUrl(books), null, null, f.clock);
        Sources s = new Sources(FactLists.alarms(alarms), FactLists.hazards(hazards), null, null, book);
        reports = new ReportService(f.config, () -> s, ZONE, f.clock, new SimpleMeterRegistry());
        f.console.assessments(new AssessmentService(f.config, () -> s, ZONE, new SimpleMeterRegistry())).reports(reports);
    }

    @AfterEach
    void closeServices() throws Exception {
        if (reports != null) {
            reports.close();
        }
        deleteTree(books);
    }

    private JsonNode apiCard(String user) throws Exception {
        HttpResponse<String> r = f.get(user, "/api/v1/assessment?quarter=2026-Q4");
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static JsonNode unit(JsonNode card, String path) {
        for (JsonNode u : card.get("units")) {
            if (u.get("unit").asText().equals(path)) {
                return u;
            }
        }
        throw new AssertionError("no unit " + path);
    }

    private void assess(WebDriverWait wait) {
        ConsoleTabs.open(driver, "assessment");
        WebElement q = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("as-quarter")));
        q.clear();
        q.sendKeys("2026-Q4");
        driver.findElement(By.id("as-run")).click();
    }

    /** Read in one script: the table is drawn anew by each assessment, so held elements go stale. */
    private String rowScore(String unit) {
        return String.valueOf(driver.executeScript("const c = document.querySelector(`#as-units tr[data-unit='${arguments[0]}'] .as-score`);"
                + " return c ? c.textContent : null;", unit));
    }

    private String totalScore() {
        return shown("#as-total-score");
    }

    /** The text of what the selector finds now, or null, read in one script. */
    private String shown(String selector) {
        return (String) driver.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                selector);
    }

    /** A score as drawn, or NaN while there is none. */
    private static double number(String shown) {
        try {
            return shown == null ? Double.NaN : Double.parseDouble(shown);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> rows() {
        return (List<Object>) driver.executeScript(
                "return [...document.querySelectorAll('#as-units tr.as-row')].map(r => r.dataset.unit);");
    }

    @Test
    void theCountyAssessesRecordsAnAccidentAndMakesAMonthlyReport() throws Exception {
        plugIn();
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "wang-fang");
        assess(wait);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#as-units tr[data-unit='puxian/kecheng']")));
        JsonNode card = apiCard("wang-fang");
        // opening the page assesses the quarter so far and the button the whole quarter: the table may be drawn
        // twice, so wait for the quarter's figures and read the page in scripts, which never hold a replaced element
        wait.until(d -> number(rowScore("puxian/kecheng")) == unit(card, "puxian/kecheng").get("score").asDouble()
                && number(totalScore()) == card.get("total").get("score").asDouble());
        for (String t : List.of("puxian/kecheng", "puxian/pucheng", "puxian/heilongguan")) {
            assertThat(Double.parseDouble(rowScore(t))).isEqualTo(unit(card, t).get("score").asDouble());
        }
        assertThat(Double.parseDouble(totalScore())).isEqualTo(card.get("total").get("score").asDouble());
        @SuppressWarnings("unchecked")
        Map<String, Object> chart = (Map<String, Object>) driver.executeScript("""
                const o = echarts.getInstanceByDom(document.getElementById('as-chart')).getOption();
                return { bars: o.series[0].data.length, names: o.xAxis[0].data };""");
        long notVillages = 0;
        for (JsonNode u : card.get("units")) {
            notVillages += u.get("kind").asText().equals("VILLAGE") ? 0 : 1;
        }
        assertThat(((Number) chart.get("bars")).longValue()).isEqualTo(notVillages).isEqualTo(6);
        assertThat(chart.get("names").toString()).contains("克城镇", "蒲城镇");

        // the township with the unacknowledged alarm: its indicators link to that alarm
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#as-units tr[data-unit='puxian/pucheng']")).click();
            return true;
        });
        wait.until(d -> String.valueOf(shown("#as-unit-name")).startsWith("蒲城镇"));
        assertThat(driver.executeScript("return document.querySelector(\"#as-indicators tr[data-id='ack-within-timeout'] a.as-ev\").href;"))
                .asString().endsWith("/api/v1/alarms/a-hongda");
        assertThat(shown("#as-indicators tr[data-id='inspection-completion'] .as-value")).isEqualTo("未计量");
        shot("assessment-county");

        // a fatal accident at the coal mine, recorded on the page, vetoes 克城镇 to the configured score (0)
        new Select(driver.findElement(By.id("ac-site"))).selectByValue(COAL.toString());
        new Select(driver.findElement(By.id("ac-severity"))).selectByValue("fatal");
        WebElement deaths = driver.findElement(By.id("ac-deaths"));
        deaths.clear();
        deaths.sendKeys("1");
        driver.executeScript("document.getElementById('ac-at').value = '2026-11-20T10:00'");
        driver.findElement(By.id("ac-description")).sendKeys("井下冒顶，一人死亡");
        driver.findElement(By.id("ac-submit")).click();
        wait.until(d -> "0".equals(rowScore("puxian/kecheng")));
        assertThat(unit(apiCard("wang-fang"), "puxian/kecheng").get("vetoedBy")).hasSize(1);
        // the accident list is fetched after the assessment is drawn
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#ac-list tbody"), "井下冒顶"));
        assertThat(driver.findElement(By.cssSelector("#ac-list tbody")).getText()).contains("死亡事故", "井下冒顶");

        // the monthly report of the county, with its progress, figures, chart and PDF
        ConsoleTabs.open(driver, "reports");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rp-make")));
        new Select(driver.findElement(By.id("rp-node"))).selectByValue("puxian");
        new Select(driver.findElement(By.id("rp-span"))).selectByValue("monthly");
        driver.executeScript("document.getElementById('rp-day').value = '2026-11-15'");
        driver.findElement(By.id("rp-make")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rp-result")));
        assertThat(driver.findElement(By.id("rp-phase")).getText()).startsWith("100%");
        assertThat(driver.findElement(By.id("rp-rpAlarms")).getText()).isEqualTo("2");
        assertThat(driver.findElement(By.id("rp-rpOverdue")).getText()).isEqualTo("1");
        assertThat(driver.findElement(By.cssSelector("#rp-rollup tr[data-node='puxian/kecheng']")).getText()).startsWith("克城镇 1");
        String pdf = driver.findElement(By.id("rp-pdf")).getAttribute("href");
        HttpResponse<byte[]> got = f.getBytes("wang-fang", pdf.substring(pdf.indexOf("/api/")));
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("content-type")).hasValue("application/pdf");
        assertThat(new String(got.body(), 0, 5)).isEqualTo("%PDF-");
        assertThat(f.getBytes("zheng-ming", pdf.substring(pdf.indexOf("/api/"))).statusCode())
                .as("the county's report is not the township's").isEqualTo(404);
        shot("report-county");

        driver.findElement(By.id("lang")).click();
        wait.until(d -> d.findElement(By.cssSelector("#tabs button[data-tab='reports']")).getAttribute("textContent").equals("Reports"));
    }

    @Test
    void aTownshipOfficerAssessesOnlyTheirOwnSubtree() throws Exception {
        plugIn();
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "zheng-ming");
        assess(wait);
        wait.until(d -> rows().size() == 2);
        assertThat(rows()).containsExactlyInAnyOrder("puxian/kecheng/dongyu", "puxian/kecheng/wangjiazhuang");
        assertThat(driver.findElement(By.id("ac-form")).isDisplayed()).as("only the county records accidents").isFalse();
        JsonNode card = apiCard("zheng-ming");
        assertThat(card.get("total").get("unit").asText()).isEqualTo("puxian/kecheng");
        assertThat(f.get("zheng-ming", "/api/v1/assessment?node=puxian/pucheng&quarter=2026-Q4").statusCode()).isEqualTo(404);
        assertThat(f.post("zheng-ming", "/api/v1/accidents", """
                {"site":"puxian/kecheng/dongyu/kecheng-coal","severity":"fatal","deaths":1,
                 "occurredAt":"2026-11-20T02:00:00Z","description":"x"}""").statusCode()).isEqualTo(403);
        shot("assessment-township");
    }
}
