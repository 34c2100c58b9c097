package io.safegrid.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The screen a centre runs all night, in headless Chromium: worked by keyboard alone, through a node
 * restart, and with 10,000 open alarms; and the browser's console log stays free of errors.
 */
class RobustBrowserTest extends BrowserFixture {
    static final GridPath MINE = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");

    /** What the page has focused now: its id, data-tab or data-id, and tag. */
    String focused() {
        return (String) driver.executeScript("""
                const e = document.activeElement;
                return e.tagName + ' ' + (e.id || e.dataset.tab || e.dataset.id || e.className);""");
    }

    /** Presses Tab until {@code wanted} has the focus (at most {@code max} presses); false if it never did. */
    boolean tabTo(String wanted, int max) {
        for (int i = 0; i < max; i++) {
            if (focused().contains(wanted)) {
                return true;
            }
            new Actions(driver).sendKeys(Keys.TAB).perform();
        }
        return focused().contains(wanted);
    }

    List<LogEntry> errors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).toList();
    }

    @Test
    void keyboardAloneLogsInOpensAnAlarmActsOnItAndEscapeClosesIt() throws Exception {
        for (int i = 1; i <= 3; i++) {
            f.desk.raise("a-key-" + i, "kc-ch4-t1", MINE, Level.ORANGE, ConsoleFixture.START.plusSeconds(i));
        }
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        driver.get(f.uri("/").toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).click();
        new Actions(driver).sendKeys("wang-fang").sendKeys(Keys.TAB).sendKeys(ConsoleFixture.PASSWORDS.get("wang-fang"))
                .sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "up"));
        // no element jumps the document's order
        assertThat((Long) driver.executeScript("return [...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex > 0).length;"))
                .isZero();

        driver.executeScript("document.activeElement.blur(); document.body.focus();");
        assertThat(tabTo("BUTTON alarms", 30)).as("the alarms tab is reached by Tab").isTrue();
        // the focus is visible: an outline of at least 2 px
        assertThat((String) driver.executeScript("return getComputedStyle(document.activeElement).outlineStyle;")).isNotEqualTo("none");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        wait.until(d -> d.findElement(By.id("view-alarms")).isDisplayed()
                && !d.findElements(By.cssSelector("#alarms tr.alarm-row[data-id]")).isEmpty());

        assertThat(tabTo("TR a-key-3", 30)).as("the alarm list is one tab stop, on its first row").isTrue();
        new Actions(driver).sendKeys(Keys.ARROW_DOWN).perform();
        wait.until(d -> focused().equals("TR a-key-2"));
        assertThat((String) driver.executeScript("return getComputedStyle(document.activeElement).outlineStyle;")).isNotEqualTo("none");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        wait.until(d -> d.findElement(By.id("alarm-detail")).isDisplayed());
        assertThat(driver.findElement(By.id("alarm-detail")).getAttribute("data-id")).isEqualTo("a-key-2");

        // on to the acknowledge button, and Space acknowledges
        assertThat(tabTo("BUTTON btn-ack", 10)).isTrue();
        new Actions(driver).sendKeys(Keys.SPACE).perform();
        wait.until(d -> f.desk.get("a-key-2").orElseThrow().acknowledged());
        shot("keyboard-detail");

        // Escape closes the detail and gives the focus back to the row
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        wait.until(d -> !d.findElement(By.id("alarm-detail")).isDisplayed());
        wait.until(d -> focused().equals("TR a-key-2"));

        // a grid node is worked by keyboard too: Enter on it opens its alarms or its enterprise
        driver.findElement(By.cssSelector("#tabs button[data-tab='overview']")).click();
        // the live push may redraw the tree between finding a node and typing on it, and the overview may
        // still be coming up: find it again then
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.ElementNotInteractableException.class).until(d -> {
            WebElement node = d.findElement(By.cssSelector("#grid li[data-path='" + MINE + "'] > .n"));
            assertThat(node.getAttribute("tabindex")).isEqualTo("0");
            node.sendKeys(Keys.ENTER);
            return true;
        });
        wait.until(d -> d.findElement(By.id("view-enterprise")).isDisplayed());
        assertThat(errors()).isEmpty();
    }

    @Test
    void theScreenSurvivesANodeRestartWithNothingStaleLeft() throws Exception {
        f.desk.raise("a-before", "kc-ch4-t1", MINE, Level.RED, ConsoleFixture.START);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "wang-fang");
        driver.findElement(By.cssSelector("#tabs button[data-tab='alarms']")).click();
        // the list is drawn again when the live socket's first refresh lands: a row found a moment ago may be replaced
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#alarms tr[data-id='a-before']")).click();
            return true;
        });
        wait.until(d -> d.findElement(By.id("alarm-detail")).isDisplayed());

        // the node goes down; while it is down the alarm is closed elsewhere and another is raised
        f.restart(() -> {
            f.desk.acknowledge("a-before", "zhang-hui", "handled on site");
            f.desk.close("a-before", "zhang-hui", "fan restored");
            f.desk.raise("a-during", "kc-co-1", MINE, Level.ORANGE, ConsoleFixture.START.plusSeconds(60));
        });
        // its sessions went with it: the page notices, says so, and shows nothing of before
        wait.until(d -> d.findElement(By.id("login-user")).isDisplayed());
        assertThat(driver.findElement(By.id("app")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("alarm-detail")).isDisplayed()).isFalse();

        logIn(driver, wait, f, "wang-fang");   // waits for the live push: reconnected
        driver.findElement(By.cssSelector("#tabs button[data-tab='alarms']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#alarms tr[data-id='a-during']")).isEmpty());
        assertThat(driver.findElements(By.cssSelector("#alarms tr[data-id='a-before']"))).as("closed while down").isEmpty();
        assertThat(driver.findElement(By.id("alarm-detail")).isDisplayed()).isFalse();

        // and the push works on the new node
        f.desk.raise("a-after", "kc-ch4-t1", MINE, Level.RED, ConsoleFixture.START.plusSeconds(120));
        wait.until(d -> !d.findElements(By.cssSelector("#alarms tr[data-id='a-after']")).isEmpty());
        shot("after-restart");
        // only the network's own complaints while the node was away: no script error, no refused request
        assertThat(errors()).allSatisfy(e -> assertThat(e.getMessage())
                .containsAnyOf("ERR_CONNECTION_REFUSED", "WebSocket connection to"));
    }

    @Test
    void tenThousandOpenAlarmsStayResponsiveWithOnlyTheRowsInViewInThePage() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            f.desk.raise(String.format("a-%05d", i), "kc-ch4-t1", MINE, Level.values()[i % 4], ConsoleFixture.START.plusSeconds(i));
        }
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "wang-fang");
        driver.executeScript("""
                window.longest = 0;
                new PerformanceObserver(l => l.getEntries().forEach(e => { window.longest = Math.max(window.longest, e.duration); }))
                  .observe({ type: 'longtask', buffered: false });""");
        driver.findElement(By.cssSelector("#tabs button[data-tab='alarms']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#alarms tr[data-id='a-09999']")).isEmpty());
        assertThat(driver.findElement(By.id("alarm-total")).getText()).contains("10000");
        assertThat(driver.findElements(By.cssSelector("#alarms tr.alarm-row"))).hasSizeLessThan(120);

        // through the whole list and back, a screen at a time, as a wheel would
        for (int step = 0; step < 40; step++) {
            driver.executeScript("const s = document.getElementById('alarm-scroll'); s.scrollTop += s.scrollHeight / 40;");
            Thread.sleep(30);
        }
        driver.executeScript("const s = document.getElementById('alarm-scroll'); s.scrollTop = s.scrollHeight;");
        wait.until(d -> !d.findElements(By.cssSelector("#alarms tr[data-id='a-00000']")).isEmpty());
        assertThat(driver.findElements(By.cssSelector("#alarms tr.alarm-row"))).hasSizeLessThan(120);
        shot("alarms-10000-bottom");
        // the End key from the first row goes to the last too
        driver.executeScript("document.getElementById('alarm-scroll').scrollTop = 0;");
        // pages asked for while scrolling may still come in and redraw the rows: find the row again if it was replaced
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#alarms tr[data-id='a-09999']")).sendKeys(Keys.END);
            return true;
        });
        wait.until(d -> focused().equals("TR a-00000"));
        double longest = ((Number) driver.executeScript("return window.longest;")).doubleValue();
        System.out.printf("10,000 alarms: longest main-thread task while opening and scrolling %.0f ms%n", longest);
        assertThat(longest).as("no task freezes the page for long").isLessThan(1000);
        assertThat(errors()).isEmpty();
    }
}
