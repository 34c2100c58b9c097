package io.safegrid.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The overview's county map in headless Chromium, offline: township regions from the demo's GeoJSON,
 * the county outline, enterprises and cameras placed by their coordinates, and an enterprise turning
 * red (with a ripple) when an alarm is pushed; a click opens the enterprise.
 */
class MapBrowserTest extends BrowserFixture {
    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
        return (Map<String, Object>) driver.executeScript("""
                const c = echarts.getInstanceByDom(document.getElementById('map'));
                if (!c) return null;
                const o = c.getOption(), s = id => o.series.find(x => x.id === id);
                return { regions: echarts.getMap('safegrid-county').geoJSON.features.map(f => f.properties.name).sort(),
                         outline: s('county').data.length,
                         calm: s('enterprises').data.map(d => d.path), alarming: s('alarming').data.map(d => d.path + ' ' + d.level),
                         cameras: s('cameras').data.map(d => d.id) };""");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCountyIsDrawnFromItsGeoJsonAndAnAlarmTurnsItsEnterpriseRed() throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        logIn(driver, wait, f, "wang-fang");   // the county operator sees the whole county
        wait.until(d -> map() != null && !((List<?>) map().get("calm")).isEmpty());
        Map<String, Object> m = map();
        assertThat(m.get("regions")).isEqualTo(List.of("puxian/heilongguan", "puxian/kecheng", "puxian/pucheng"));
        assertThat(((Number) m.get("outline")).intValue()).isEqualTo(1);
        assertThat((List<Object>) m.get("calm")).hasSize(10).contains("puxian/kecheng/dongyu/kecheng-coal");
        assertThat((List<?>) m.get("alarming")).isEmpty();
        assertThat((List<Object>) m.get("cameras")).contains("cam-kc-pithead");
        assertThat(driver.findElements(By.cssSelector("#map canvas"))).isNotEmpty();

        f.desk.raise("a-map", "kc-ch4-t1", GridPath.parse("puxian/kecheng/dongyu/kecheng-coal"), Level.RED,
                ConsoleFixture.START);
        wait.until(d -> ((List<?>) map().get("alarming")).contains("puxian/kecheng/dongyu/kecheng-coal RED"));
        Thread.sleep(400);
        shot("map-overview");
        // a click on the red enterprise opens its page (the handler the map registered)
        driver.executeScript("""
                const c = echarts.getInstanceByDom(document.getElementById('map'));
                const s = c.getOption().series.find(x => x.id === 'alarming');
                c._$handlers.click.forEach(h => h.h.call(c, { data: s.data[0] }));""");
        wait.until(d -> d.findElement(By.id("view-enterprise")).isDisplayed());
        assertThat(driver.findElement(By.id("ent-title")).getText()).isEqualTo("山西蒲县克城煤业有限公司");
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList()).isEmpty();
    }

}
