package io.safegrid.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.Level;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.text.Texts;
import io.safegrid.model.video.VideoFrame;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The video wall in headless Chromium: the county operator's four cameras play in four tiles, a new
 * frame changes the picture, a finding turns its camera's tile red and moves it first, a pin and the
 * tile count are kept, and leaving the page closes every stream.
 */
class WallBrowserTest extends BrowserFixture {
    @SuppressWarnings("unchecked")
    List<String> tiles() {
        return (List<String>) driver.executeScript("return [...document.querySelectorAll('#wall figure')].map(t => t.dataset.cam + (t.classList.contains('alarm') ? ' red' : ''));");
    }

    /** The mean grey level of the middle of the tile's picture now (-1 before its first picture). */
    double brightness(String cam) {
        return ((Number) driver.executeScript("""
                const i = document.querySelector("#wall img[data-cam='" + arguments[0] + "']");
                if (!i || !i.naturalWidth) return -1;
                const c = document.createElement('canvas'); c.width = 64; c.height = 36;
                const g = c.getContext('2d'); g.drawImage(i, 0, 0, 64, 36);
                const d = g.getImageData(16, 10, 32, 16).data; let s = 0;
                for (let k = 0; k < d.length; k += 4) s += (d[k] + d[k + 1] + d[k + 2]) / 3;
                return s / (d.length / 4);""", cam)).doubleValue();
    }

    void frame(Camera c, long seq, int grey) throws Exception {
        byte[] px = new byte[640 * 360 * 3];
        Arrays.fill(px, (byte) grey);
        f.bus.publish(Topic.FRAMES, c.id(), new VideoFrame(c.id(), c.site(), f.clock.instant(), seq, seq / 5.0, 640, 360, px));
    }

    @Test
    void fourCamerasPlayAndAFindingTurnsItsTileRedAndFirst() throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        logIn(driver, wait, f, "wang-fang");
        driver.findElement(By.cssSelector("#tabs button[data-tab='wall']")).click();
        wait.until(d -> tiles().size() == 4);
        assertThat(tiles()).containsExactlyInAnyOrder("cam-kc-pithead", "cam-hd-tankfarm", "cam-pg-crane", "cam-by-store1");
        wait.until(d -> f.registry.find("safegrid.console.video.viewers").gauge().value() == 4);

        Camera mine = f.config.current().camera("cam-kc-pithead").orElseThrow();
        // moving pictures: a dark frame, then a bright one; the tile's pixels follow
        // (Chromium shows a multipart part once the next one begins, so each picture is followed by another,
        // as a camera's stream at 4 fps always is)
        frame(mine, 1, 30);
        frame(mine, 2, 30);
        wait.until(d -> brightness("cam-kc-pithead") < 70);
        frame(mine, 3, 230);
        wait.until(d -> f.registry.find("safegrid.console.video.render").timer().count() > 0);
        Thread.sleep(400);
        frame(mine, 4, 230);
        wait.until(d -> brightness("cam-kc-pithead") > 150);

        String last = tiles().get(3);
        Camera cam = f.config.current().camera(last).orElseThrow();
        Map<String, String> args = Map.of("camera", cam.name(), "what", "@video.tamper.covered", "mean", "8", "contrast", "0.4");
        f.bus.publish(Topic.FINDINGS, cam.id(), new Finding("f-wall", FindingKind.TAMPER_COVERED, Level.YELLOW, Condition.ACTIVE,
                cam.id(), cam.site(), "video-tamper-covered", null, 8, 20, f.clock.instant(), Texts.bilingual("video.finding", args),
                null, Map.of(), "video.finding", args));
        wait.until(d -> tiles().get(0).equals(last + " red"));
        assertThat(driver.findElement(By.cssSelector("#wall figure.alarm .state")).getText()).contains("画面过暗或无纹理");
        Thread.sleep(300);
        shot("wall-4-red-first");

        // pin the mine's camera, then one tile: the red one stays first; the choice survives a reload
        WebElement pin = driver.findElement(By.cssSelector("#wall figure[data-cam='cam-kc-pithead'] .pin"));
        pin.click();
        driver.findElement(By.cssSelector(".wall-size[data-size='1']")).click();
        wait.until(d -> tiles().size() == 1);
        assertThat(tiles()).containsExactly(last + " red");
        wait.until(d -> f.registry.find("safegrid.console.video.viewers").gauge().value() == 1);
        driver.findElement(By.id("wall-name")).sendKeys("夜班");
        driver.findElement(By.id("wall-save")).click();
        @SuppressWarnings("unchecked")
        Map<String, Object> saved = (Map<String, Object>) driver.executeScript("return JSON.parse(localStorage.getItem('safegrid.wall'));");
        assertThat(saved.get("pinned")).isEqualTo(List.of("cam-kc-pithead"));
        assertThat(((Map<?, ?>) saved.get("layouts")).keySet().stream().map(Object::toString).toList()).containsExactly("夜班");

        // leaving the page closes the streams
        driver.findElement(By.cssSelector("#tabs button[data-tab='alarms']")).click();
        wait.until(d -> f.registry.find("safegrid.console.video.viewers").gauge().value() == 0);
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList()).isEmpty();
    }

}
