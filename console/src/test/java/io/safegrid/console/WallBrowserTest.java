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
 * tile count are kept, and leaving the page closes every stream; nine cameras play at once over the
 * wall's one connection.
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
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "wang-fang");
        driver.findElement(By.cssSelector("#tabs button[data-tab='wall']")).click();
        wait.until(d -> tiles().size() == 4);
        assertThat(tiles()).containsExactlyInAnyOrder("cam-kc-pithead", "cam-hd-tankfarm", "cam-pg-crane", "cam-by-store1");
        // one connection carries the four cameras
        wait.until(d -> f.registry.find("safegrid.console.video.streams").gauge().value() == 4);
        assertThat(f.registry.find("safegrid.console.video.viewers").gauge().value()).isEqualTo(1.0);

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
        wait.until(d -> f.registry.find("safegrid.console.video.streams").gauge().value() == 1);
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

    /** The demo's four cameras and five more at its enterprises: nine cameras for a 9-tile wall. */
    List<Camera> nineCameras() {
        List<Camera> demo = f.config.current().cameras();
        List<Camera> all = new java.util.ArrayList<>(demo);
        for (int i = 0; all.size() < 9; i++) {
            Camera c = demo.get(i % demo.size());
            all.add(new Camera(c.id() + "-" + (i + 2), c.name() + (i + 2), c.site(), c.source(), c.analysis(), c.zones()));
        }
        return all;
    }

    @Test
    void nineLiveCamerasPlayOverOneConnectionAndAFindingsTileTurnsRed() throws Exception {
        List<Camera> nine = nineCameras();
        f.config.reload(io.safegrid.testing.Deployments.from(f.config.current()).cameras(nine).build());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "wang-fang");
        driver.findElement(By.cssSelector("#tabs button[data-tab='wall']")).click();
        driver.findElement(By.cssSelector(".wall-size[data-size='9']")).click();
        wait.until(d -> tiles().size() == 9);
        wait.until(d -> f.registry.find("safegrid.console.video.streams").gauge().value() == 9);
        assertThat(f.registry.find("safegrid.console.video.viewers").gauge().value()).isEqualTo(1.0);

        // live demo cameras: every camera sends a new picture 4 times a second, dark and bright in turn
        java.util.concurrent.ScheduledExecutorService cameras = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        long[] seq = {0};
        cameras.scheduleAtFixedRate(() -> {
            seq[0]++;
            for (int i = 0; i < nine.size(); i++) {
                try {
                    frame(nine.get(i), seq[0], (seq[0] + i) % 2 == 0 ? 30 : 220);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, 0, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            // every tile's picture changes: its brightness sampled in the page swings between dark and bright
            driver.executeScript("""
                    window.swing = {};
                    window.sampler = setInterval(() => document.querySelectorAll('#wall img').forEach(i => {
                      if (!i.naturalWidth) return;
                      const c = document.createElement('canvas'); c.width = 32; c.height = 18;
                      const g = c.getContext('2d'); g.drawImage(i, 0, 0, 32, 18);
                      const d = g.getImageData(8, 5, 16, 8).data; let s = 0;
                      for (let k = 0; k < d.length; k += 4) s += (d[k] + d[k + 1] + d[k + 2]) / 3;
                      const v = s / (d.length / 4), w = window.swing[i.dataset.cam] || [255, 0];
                      window.swing[i.dataset.cam] = [Math.min(w[0], v), Math.max(w[1], v)];
                    }), 60);""");
            wait.until(d -> {
                @SuppressWarnings("unchecked")
                Map<String, List<Number>> swing = (Map<String, List<Number>>) driver.executeScript("return window.swing;");
                return swing.size() == 9 && swing.values().stream()
                        .allMatch(s -> s.get(1).doubleValue() - s.get(0).doubleValue() > 100);
            });
            driver.executeScript("clearInterval(window.sampler);");
            shot("wall-9-live");

            Camera last = f.config.current().camera(tiles().get(8)).orElseThrow();
            Map<String, String> args = Map.of("camera", last.name(), "what", "@video.tamper.covered", "mean", "8", "contrast", "0.4");
            f.bus.publish(Topic.FINDINGS, last.id(), new Finding("f-wall-9", FindingKind.TAMPER_COVERED, Level.YELLOW,
                    Condition.ACTIVE, last.id(), last.site(), "video-tamper-covered", null, 8, 20, f.clock.instant(),
                    Texts.bilingual("video.finding", args), null, Map.of(), "video.finding", args));
            wait.until(d -> tiles().get(0).equals(last.id() + " red"));
            shot("wall-9-red-first");
        } finally {
            cameras.shutdownNow();
        }
        assertThat(f.registry.find("safegrid.console.video.viewers").gauge().value()).isEqualTo(1.0);
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList()).isEmpty();
    }

}
