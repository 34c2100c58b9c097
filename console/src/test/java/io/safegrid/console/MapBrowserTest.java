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
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "wang-fang");   // the county operator sees the whole county
        wait.until(d -> map() != null && !((List<?>) map().get("calm")).isEmpty());
        Map<String, Object> m = map();
        assertThat(m.get("regions")).isEqualTo(List.of("puxian/heilongguan", "puxian/kecheng", "puxian/pucheng"));
        assertThat(((Number) m.get("outline")).intValue()).isEqualTo(1);
        assertThat((List<Object>) m.get("calm")).hasSize(10).contains("puxian/kecheng/dongyu/kecheng-coal");
        assertThat((List<?>) m.get("alarming")).isEmpty();
        assertThat((List<Object>) m.get("cameras")).contains("cam-kc-pithead");
        assertThat(driver.findElements(By.cssSelector("#map canvas"))).isNotEmpty();
        assertThat(driver.findElements(By.cssSelector(".map-tiles img"))).isEmpty();   // offline: no tile server named

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
        // the page is shown at once, its title written when the enterprise's devices have been fetched
        wait.until(d -> !d.findElement(By.id("ent-title")).getText().isBlank());
        assertThat(driver.findElement(By.id("ent-title")).getText()).isEqualTo("山西蒲县克城煤业有限公司");
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList()).isEmpty();
    }

    /** A tile server of our own: every tile a 256x256 PNG; counts what it was asked. */
    static com.sun.net.httpserver.HttpServer tileServer(java.util.concurrent.atomic.AtomicInteger asked) throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(256, 256, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new java.awt.Color(40, 90, 60));
        g.fillRect(0, 0, 256, 256);
        g.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            asked.incrementAndGet();
            ex.getResponseHeaders().set("Content-Type", "image/png");
            ex.sendResponseHeaders(200, png.size());
            ex.getResponseBody().write(png.toByteArray());
            ex.close();
        });
        server.start();
        return server;
    }

    @Test
    void aConfiguredTileServerIsDrawnUnderTheOutlineThroughTheNode() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer tiles = tileServer(asked);
        try {
            String url = "http://127.0.0.1:" + tiles.getAddress().getPort() + "/{z}/{x}/{y}.png";
            f.config.reload(io.safegrid.testing.Deployments.from(f.config.current())
                    .console(new io.safegrid.config.ConsoleConfig(null, url, 16)).build());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            logIn(driver, wait, f, "wang-fang");
            wait.until(d -> map() != null && !((List<?>) map().get("calm")).isEmpty());
            // the tiles the view needs, every one loaded through the node's own address
            wait.until(d -> (Boolean) driver.executeScript("""
                    const t = [...document.querySelectorAll('.map-tiles img')];
                    return t.length > 0 && t.every(i => i.complete && i.naturalWidth === 256);"""));
            @SuppressWarnings("unchecked")
            List<String> srcs = (List<String>) driver.executeScript(
                    "return [...document.querySelectorAll('.map-tiles img')].map(i => i.getAttribute('src'));");
            assertThat(srcs).allMatch(src -> src.matches("/api/v1/map/tiles/\\d+/\\d+/\\d+"));
            assertThat(asked.get()).isGreaterThanOrEqualTo(srcs.size());
            // the county's outline lies over the tiles: the tile layer is under the chart
            assertThat((Boolean) driver.executeScript("""
                    const m = document.getElementById('map'), l = document.querySelector('.map-tiles');
                    return l.compareDocumentPosition(m) === Node.DOCUMENT_POSITION_FOLLOWING
                        && +getComputedStyle(l).zIndex < +getComputedStyle(m).zIndex;""")).isTrue();
            Thread.sleep(300);
            shot("map-tiles");
            assertThat(driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList()).isEmpty();
            // a tile outside the world is 404 and the node does not ask the server for it
            int before = asked.get();
            assertThat(f.get("wang-fang", "/api/v1/map/tiles/3/8/1").statusCode()).isEqualTo(404);
            assertThat(f.get(null, "/api/v1/map/tiles/3/1/1").statusCode()).isEqualTo(401);
            assertThat(asked.get()).isEqualTo(before);
        } finally {
            tiles.stop(0);
        }
    }
}
