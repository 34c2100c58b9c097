package io.safegrid.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.history.SeriesHistory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ECharts charts in headless Chromium: a methane sensor's history shows every point the API
 * answered on a time axis with zoom, its three threshold levels as coloured lines and its alarm
 * pinned; the statistics page draws alarms per township, level and kind, the acknowledgement
 * distribution and the overdue bars. The browser log must stay free of errors (the CSP included).
 */
class ChartsBrowserTest extends BrowserFixture {
    static final GridPath MINE = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");

    /** Two hours of minute buckets, rising through the 0.75 % and 1.0 % limits. */
    static SeriesHistory methane(Instant end) {
        return new SeriesHistory() {
            @Override
            public List<Point> raw(String deviceId, String metric, Instant from, Instant to, int limit) {
                return downsampled(deviceId, metric, from, to, Duration.ofMinutes(1));
            }

            @Override
            public List<Point> downsampled(String deviceId, String metric, Instant from, Instant to, Duration step) {
                List<Point> out = new ArrayList<>();
                for (Instant t = end.minus(Duration.ofHours(2)); t.isBefore(end); t = t.plus(step)) {
                    double v = 0.3 + 0.8 * Duration.between(end.minus(Duration.ofHours(2)), t).toMinutes() / 120.0;
                    out.add(new Point(t, v - 0.02, v, v + 0.03, 6));
                }
                return out;
            }

            @Override
            public Map<GridPath, Map<LocalDate, Long>> alarmCountsPerDay(GridPath subtree, LocalDate from, LocalDate to,
                                                                        ZoneId zone) {
                return Map.of();
            }
        };
    }

    @Test
    void historyAndStatisticsAreRealChartsWithTheApisData() throws Exception {
        Instant now = f.clock.instant();
        f.console.seriesHistory(methane(now));
        f.desk.raise("a-chart", "kc-ch4-t1", MINE, Level.ORANGE, now.minus(Duration.ofMinutes(20)));
        f.desk.raise("a-old", "kc-ch4-t2", MINE, Level.RED, now.minus(Duration.ofDays(2)));
        f.clock.advance(Duration.ofMinutes(10));
        f.desk.acknowledge("a-chart", "zheng-ming", null);

        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "zheng-ming");
        driver.findElement(By.cssSelector("#tabs button[data-tab='enterprise']")).click();
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("enterprise-select")))).selectByValue(MINE.toString());
        wait.until(d -> !d.findElement(By.id("hist-note")).getText().isBlank());
        assertThat(driver.findElements(By.cssSelector("#history canvas"))).isNotEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) driver.executeScript("""
                const o = echarts.getInstanceByDom(document.getElementById('history')).getOption();
                const s = o.series[0];
                return { points: s.data.length, first: s.data[0][1], lines: s.markLine.data.map(l => l.yAxis).sort(),
                         colours: s.markLine.data.map(l => l.lineStyle.color), pins: s.markPoint.data.length,
                         axis: o.xAxis[0].type, zoom: o.dataZoom.length, band: o.series.length };""");
        assertThat(((Number) h.get("points")).intValue()).isEqualTo(120);
        assertThat(((Number) h.get("first")).doubleValue()).isEqualTo(0.3);
        assertThat(((List<?>) h.get("lines")).stream().map(x -> ((Number) x).doubleValue()).toList()).isEqualTo(List.of(0.75, 1.0, 1.5));
        assertThat(((List<?>) h.get("colours")).stream().map(Object::toString).toList()).containsExactlyInAnyOrder("#facc15", "#f59e0b", "#e5484d");
        assertThat(((Number) h.get("pins")).intValue()).as("the sensor's alarm, not the other sensor's").isEqualTo(1);
        assertThat(h.get("axis")).isEqualTo("time");
        assertThat(((Number) h.get("zoom")).intValue()).isEqualTo(2);
        assertThat(((Number) h.get("band")).intValue()).as("min-max band of downsampled points").isEqualTo(3);
        // zooming in through the API the slider uses narrows the window
        driver.executeScript("echarts.getInstanceByDom(document.getElementById('history')).dispatchAction({type: 'dataZoom', start: 50, end: 100});");
        Number start = (Number) driver.executeScript(
                "return echarts.getInstanceByDom(document.getElementById('history')).getOption().dataZoom[0].start;");
        assertThat(start.intValue()).isEqualTo(50);
        shot("charts-history");

        driver.findElement(By.cssSelector("#tabs button[data-tab='stats']")).click();
        wait.until(d -> ((Number) driver.executeScript("""
                const c = echarts.getInstanceByDom(document.getElementById('per-level'));
                return c ? c.getOption().series.length : 0;""")).intValue() == 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) driver.executeScript("""
                const o = id => echarts.getInstanceByDom(document.getElementById(id)).getOption();
                const sum = opt => opt.series.flatMap(x => x.data).reduce((a, d) => a + (Array.isArray(d) ? d[1] : d), 0);
                return { town: sum(o('per-day')), level: o('per-level').series.map(x => x.itemStyle.color).sort(),
                         kind: o('per-kind').series.map(x => x.name), ack: o('ack-dist').series[0].data,
                         overdue: sum(o('overdue-chart')) };""");
        assertThat(((Number) s.get("town")).intValue()).isEqualTo(2);
        assertThat(s.get("level")).isEqualTo(List.of("#e5484d", "#f59e0b"));
        assertThat(s.get("kind")).isEqualTo(List.of("超限"));
        assertThat(((List<?>) s.get("ack")).stream().mapToLong(x -> ((Number) x).longValue()).sum()).isEqualTo(1);
        assertThat(((Number) s.get("overdue")).intValue()).as("the red alarm two days old, on each node up to the scope")
                .isGreaterThanOrEqualTo(1);
        shot("charts-statistics");

        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

}
