package io.safegrid.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.Deployment;
import io.safegrid.config.MetricDef;
import io.safegrid.config.UserDef;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.Zone;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.text.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole console once in Chinese and once in English, with an alarm, its timeline, a sensor finding
 * and a video finding on screen: no text node may be in the other language. Names of places, people,
 * devices and zones (and units, and the product's name) are what they are and are taken out first.
 */
class LanguageBrowserTest extends BrowserFixture {
    static final Pattern LATIN_WORD = Pattern.compile("[A-Za-z]{2,}");
    static final Pattern HAN = Pattern.compile("\\p{IsHan}");
    static final GridPath MINE = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");

    @Test
    void theChineseConsoleHasNoEnglishAndTheEnglishOneNoChinese() throws Exception {
        Instant now = f.clock.instant();
        f.desk.raise("a-lang", "kc-ch4-t1", MINE, Level.ORANGE, ConsoleFixture.START);
        Camera cam = f.config.current().camera("cam-kc-pithead").orElseThrow();
        Map<String, String> tamper = Map.of("camera", cam.name(), "what", "@video.tamper.covered", "mean", "13", "contrast", "0.1");
        f.bus.publish(Topic.FINDINGS, cam.id(), new Finding("f-video", FindingKind.TAMPER_COVERED, Level.YELLOW, Condition.ACTIVE,
                cam.id(), cam.site(), "video-tamper-covered", null, 13, 20, now, Texts.bilingual("video.finding", tamper), null,
                Map.of(), "video.finding", tamper));
        Map<String, String> ended = Map.of("camera", cam.name(), "what", "@video.ended", "kind", "@kind.TAMPER_COVERED");
        f.bus.publish(Topic.FINDINGS, cam.id(), new Finding("f-video-end", FindingKind.TAMPER_COVERED, Level.YELLOW,
                Condition.CLEARED, cam.id(), cam.site(), "video-tamper-covered", null, 90, 20, now.plusSeconds(5),
                "camera covered ended", null, Map.of(), "video.finding", ended));
        Map<String, String> sensor = Map.of("metric_zh", "甲烷", "metric_en", "Methane", "value", "1.2", "unit", "%",
                "what_zh", "超限 >1", "what_en", "over limit >1", "state", "@level.ORANGE");
        f.bus.publish(Topic.FINDINGS, "kc-ch4-t1", new Finding("f-ch4", FindingKind.THRESHOLD, Level.ORANGE, Condition.ACTIVE,
                "kc-ch4-t1", MINE, "methane-limit", null, 1.2, 1, now, Texts.bilingual("sensor.finding", sensor), null,
                Map.of(), "sensor.finding", sensor));
        f.bus.publish(Topic.READINGS, "kc-ch4-t1", new Reading("kc-ch4-t1", MINE, "methane", 0.42, now, null, null, null, now));

        List<String> zh = tour("zh", "已通知矿调度撤人");
        List<String> en = tour("en", "dispatcher told to evacuate");

        // what people wrote stays as written: the Chinese note is on the timeline the English reader sees
        List<String> names = new ArrayList<>(List.of("已通知矿调度撤人", "dispatcher told to evacuate"));
        names.addAll(names(f.config.current()));
        names.sort(Comparator.comparingInt(String::length).reversed());
        assertThat(offending(zh, names, LATIN_WORD)).as("English on the Chinese console").isEmpty();
        assertThat(offending(en, names, HAN)).as("Chinese on the English console").isEmpty();
        // and the findings did say something, in the page's language
        assertThat(String.join("\n", zh)).contains("画面过暗或无纹理（亮度 13，对比度 0.1）", "遮挡/黑屏已解除", "二级·橙");
        assertThat(String.join("\n", en)).contains("picture dark or flat (mean 13, contrast 0.1)", "camera covered ended",
                "L2 orange");
    }

    /** Logs in with {@code lang} chosen, visits every page and returns every visible text. */
    List<String> tour(String lang, String note) throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        driver.manage().deleteAllCookies();
        driver.get(f.uri("/").toString());
        driver.executeScript("localStorage.setItem('safegrid.lang', arguments[0])", lang);
        driver.navigate().refresh();
        List<String> texts = new ArrayList<>();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user")));
        texts.addAll(visibleTexts());
        logIn(driver, wait, f, "zheng-ming");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#findings tbody tr")));
        wait.until(d -> d.findElements(By.cssSelector("#findings tbody tr")).size() >= 3);
        texts.addAll(visibleTexts());
        shot(lang + "-overview");

        driver.findElement(By.cssSelector("#tabs button[data-tab='alarms']")).click();
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("tr.alarm-row[data-id='a-lang']")).click();
            return true;
        });
        wait.until(d -> !d.findElements(By.cssSelector("#timeline li")).isEmpty());
        driver.findElement(By.id("action-text")).sendKeys(note);
        driver.findElement(By.id("btn-comment")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"), note));
        texts.addAll(visibleTexts());
        shot(lang + "-alarms");

        driver.findElement(By.cssSelector("#tabs button[data-tab='enterprise']")).click();
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("enterprise-select")))).selectByValue(MINE.toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#sensors tr[data-id='kc-ch4-t1']"), "0.42"));
        wait.until(d -> !d.findElement(By.id("hist-note")).getText().isBlank());
        wait.until(d -> !d.findElements(By.cssSelector("#ent-findings figure")).isEmpty());
        texts.addAll(visibleTexts());
        shot(lang + "-enterprise");

        driver.findElement(By.cssSelector("#tabs button[data-tab='stats']")).click();
        wait.until(d -> !d.findElement(By.id("ack-kpi")).getText().isBlank());
        texts.addAll(visibleTexts());
        shot(lang + "-statistics");

        driver.findElement(By.cssSelector("#tabs button[data-tab='wall']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#wall figure")).isEmpty());
        texts.addAll(visibleTexts());
        driver.findElement(By.cssSelector("#tabs button[data-tab='overview']")).click();
        driver.findElement(By.id("logout")).click();
        return texts;
    }

    @SuppressWarnings("unchecked")
    List<String> visibleTexts() {
        return (List<String>) driver.executeScript("""
                const out = [];
                const shown = el => el && !el.closest('[hidden]') && el.getClientRects().length > 0;
                const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                let n;
                while ((n = w.nextNode())) {
                  const el = n.parentElement, t = n.textContent.trim();
                  if (t && shown(el) && !el.closest('script,style')) out.push(t);
                }
                document.querySelectorAll('select').forEach(s => { if (shown(s)) s.querySelectorAll('option').forEach(o => out.push(o.textContent.trim())); });
                document.querySelectorAll('input[placeholder]').forEach(i => { if (shown(i)) out.push(i.placeholder); });
                document.querySelectorAll('img[alt]').forEach(i => { if (shown(i) && i.alt) out.push(i.alt); });
                out.push(document.title);
                return out;""");
    }

    /** Names of places, people, devices and zones, units and the product's name: in either language as they are. */
    static List<String> names(Deployment d) {
        List<String> n = new ArrayList<>(List.of("SafeGrid", "EN", "中文"));
        d.grid().nodes().stream().map(GridNode::name).forEach(n::add);
        d.sensors().stream().map(Sensor::name).forEach(n::add);
        d.sensors().stream().map(Sensor::unit).forEach(n::add);
        d.metrics().values().stream().map(MetricDef::unit).forEach(n::add);
        d.cameras().stream().map(Camera::name).forEach(n::add);
        d.cameras().stream().flatMap(c -> c.zones().stream()).map(Zone::name).forEach(n::add);
        d.users().stream().map(UserDef::displayName).forEach(n::add);
        d.users().stream().map(UserDef::name).forEach(n::add);
        n.add("a-lang");
        return n.stream().filter(s -> s != null && !s.isBlank()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    static List<String> offending(List<String> texts, List<String> names, Pattern foreign) {
        return texts.stream().filter(t -> {
            String rest = t;
            for (String name : names) {
                rest = rest.replace(name, " ");
            }
            return foreign.matcher(rest).find();
        }).distinct().toList();
    }

    @Override
    void shot(String name) throws Exception {
        super.shot("lang-" + name);
    }

}
