package io.safegrid.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.input.Input;
import org.openqa.selenium.devtools.v156.tracing.Tracing;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The screen's targets with 10,000 open alarms on loopback, in headless Chromium: first paint of the
 * overview (navigation start to the frame after the grid's first roll-up is drawn, the page's own
 * {@code safegrid-overview} mark, and Chromium's first contentful paint), five reloads; and the alarm
 * list scrolled by a real wheel gesture (CDP {@code Input.synthesizeScrollGesture}, 3 × 12,000 px at
 * 4,000 px/s) while Chromium's performance trace records frames (CDP {@code Tracing}, category
 * {@code disabled-by-default-devtools.timeline.frame}): frames presented per second and dropped frames
 * from its {@code PipelineReporter} events. Opt-in:
 * {@code flock /work/wt/bench.lock mvn -B -q -pl console -am test -Dtest=ScreenBench -Dsurefire.failIfNoSpecifiedTests=false -Dsafegrid.bench=true}
 */
class ScreenBench {
    static final GridPath MINE = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");

    @Test
    void firstPaintAndScrollWithTenThousandOpenAlarms() throws Exception {
        assumeTrue(Boolean.getBoolean("safegrid.bench"), "benchmark: run with -Dsafegrid.bench=true");
        BrowserFixture.assumeChromium();
        Path profile = Files.createTempDirectory("safegrid-screen-bench");
        try (ConsoleFixture f = new ConsoleFixture()) {
            GridPath[] sites = f.config.current().grid().nodes().stream().filter(n -> n.kind().name().equals("ENTERPRISE"))
                    .map(n -> n.path()).toArray(GridPath[]::new);
            for (int i = 0; i < 10_000; i++) {
                f.desk.raise(String.format("a-%05d", i), "kc-ch4-t1", sites[i % sites.length], Level.values()[i % 4],
                        ConsoleFixture.START.plusSeconds(i));
            }
            ChromeDriver driver = BrowserFixture.chrome(profile);
            try {
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
                BrowserFixture.logIn(driver, wait, f, "wang-fang");
                List<Double> overview = new ArrayList<>();
                List<Double> fcp = new ArrayList<>();
                for (int run = 0; run < 6; run++) {
                    driver.navigate().refresh();
                    wait.until(d -> (Boolean) driver.executeScript("return performance.getEntriesByName('safegrid-overview').length > 0;"));
                    if (run == 0) {
                        continue;   // the first reload warms the node's JIT and the browser's cache
                    }
                    overview.add(((Number) driver.executeScript("return performance.getEntriesByName('safegrid-overview')[0].startTime;")).doubleValue());
                    fcp.add(((Number) driver.executeScript(
                            "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : -1;")).doubleValue());
                }
                Collections.sort(overview);
                System.out.printf(Locale.ROOT, "SCREEN first paint of the overview, 10,000 open alarms, loopback: %s ms (median %.0f, worst %.0f; "
                                + "first contentful paint %s ms); target ≤ 1000 ms%n", overview.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList(),
                        overview.get(overview.size() / 2), overview.get(overview.size() - 1),
                        fcp.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());

                driver.findElement(By.cssSelector("#tabs button[data-tab='alarms']")).click();
                wait.until(d -> !d.findElements(By.cssSelector("#alarms tr[data-id='a-09999']")).isEmpty());
                @SuppressWarnings("unchecked")
                Map<String, Number> box = (Map<String, Number>) driver.executeScript(
                        "const r = document.getElementById('alarm-scroll').getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2};");
                DevTools dt = driver.getDevTools();
                dt.createSession();
                List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
                CountDownLatch done = new CountDownLatch(1);
                dt.addListener(Tracing.dataCollected(), (List<Map<String, Object>> batch) -> events.addAll(batch));
                dt.addListener(Tracing.tracingComplete(), c -> done.countDown());
                dt.send(Tracing.start(Optional.of("disabled-by-default-devtools.timeline.frame,devtools.timeline,toplevel"), Optional.empty(),
                        Optional.empty(), Optional.of(Tracing.StartTransferMode.REPORTEVENTS), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
                long t0 = System.nanoTime();
                for (int k = 0; k < 3; k++) {
                    dt.send(Input.synthesizeScrollGesture(box.get("x"), box.get("y"), Optional.of(0), Optional.of(k % 2 == 0 ? -12_000 : 12_000),
                            Optional.empty(), Optional.empty(), Optional.of(true), Optional.of(4000), Optional.empty(), Optional.empty(),
                            Optional.empty(), Optional.empty()));
                }
                double gestureSeconds = (System.nanoTime() - t0) / 1e9;
                dt.send(Tracing.end());
                done.await(60, TimeUnit.SECONDS);
                Thread.sleep(1000);   // the last batches are delivered on the listener's thread after the completion
                List<Map<String, Object>> trace;
                synchronized (events) {
                    trace = new ArrayList<>(events);
                }
                long presented = 0;
                long dropped = 0;
                long drawFrames = 0;
                List<Double> frameTimes = new ArrayList<>();
                List<Double> drawTimes = new ArrayList<>();
                double first = Double.MAX_VALUE;
                double last = 0;
                for (Map<String, Object> e : trace) {
                    String name = String.valueOf(e.get("name"));
                    if (name.equals("DrawFrame")) {
                        drawFrames++;
                        drawTimes.add(((Number) e.get("ts")).doubleValue() / 1000);
                    }
                    if (name.equals("PipelineReporter") && "b".equals(e.get("ph"))) {
                        Object args = e.get("args");
                        String state = String.valueOf(args instanceof Map<?, ?> a && a.get("chrome_frame_reporter") instanceof Map<?, ?> r
                                ? r.get("state") : "");
                        double ts = ((Number) e.get("ts")).doubleValue() / 1000;
                        if (state.contains("PRESENTED")) {
                            presented++;
                            frameTimes.add(ts);
                            first = Math.min(first, ts);
                            last = Math.max(last, ts);
                        } else if (state.contains("DROPPED")) {
                            dropped++;
                        }
                    }
                }
                Collections.sort(frameTimes);
                double worstGap = 0;
                for (int i = 1; i < frameTimes.size(); i++) {
                    worstGap = Math.max(worstGap, frameTimes.get(i) - frameTimes.get(i - 1));
                }
                double span = presented < 2 ? 0 : (last - first) / 1000;
                Collections.sort(drawTimes);
                double drawSpan = drawTimes.size() < 2 ? 0 : (drawTimes.get(drawTimes.size() - 1) - drawTimes.get(0)) / 1000;
                double drawGap = 0;
                int over20 = 0;
                for (int i = 1; i < drawTimes.size(); i++) {
                    double gap = drawTimes.get(i) - drawTimes.get(i - 1);
                    drawGap = Math.max(drawGap, gap);
                    over20 += gap > 20 ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "SCREEN DrawFrame (frames the compositor drew while scrolling): %d over %.2f s = %.1f fps; "
                        + "longest gap %.1f ms; gaps over 20 ms (a missed 60 Hz frame): %d%n", drawFrames, drawSpan,
                        drawSpan > 0 ? (drawFrames - 1) / drawSpan : 0, drawGap, over20);
                System.out.printf(Locale.ROOT, "SCREEN alarm list scroll, 10,000 open alarms, 3 wheel gestures of 12,000 px at 4,000 px/s "
                                + "(%.1f s): Chromium trace %d events; presented frames %d over %.2f s = %.1f fps, dropped %d, longest gap between "
                                + "presented frames %.1f ms, DrawFrame %d; rows in the page %s; target 60 fps%n",
                        gestureSeconds, trace.size(), presented, span, span > 0 ? presented / span : 0, dropped, worstGap, drawFrames,
                        driver.executeScript("return document.querySelectorAll('#alarms tr.alarm-row').length;"));
            } finally {
                driver.quit();
            }
        } finally {
            BrowserFixture.deleteTree(profile);
        }
    }
}
