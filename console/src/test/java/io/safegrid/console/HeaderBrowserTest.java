package io.safegrid.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's header at 1440 px: one line in both languages, with the county operator's whole set of
 * pages; and every page can be opened from the keyboard alone (Tab to the tab or to the menu holding
 * it, arrows within the menu, Enter), the pages read from the page itself so that a new tab is covered.
 */
class HeaderBrowserTest extends BrowserFixture {
    /** One line of tabs and buttons; two lines measure about 100 px. */
    private static final int ONE_LINE = 64;

    @Test
    void theHeaderIsOneLineAt1440PxInBothLanguages() throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "wang-fang");
        assertThat(((Number) driver.executeScript("return document.documentElement.clientWidth")).intValue()).isBetween(1400, 1440);
        oneLine("zh");
        driver.findElement(By.id("lang")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#tabs button[data-tab='overview']"), "Overview"));
        oneLine("en");
        shot("header-1440-en");
    }

    private void oneLine(String lang) {
        WebElement header = driver.findElement(By.tagName("header"));
        org.slf4j.LoggerFactory.getLogger(HeaderBrowserTest.class).info("header at 1440 px in {}: {} px high", lang, header.getSize().getHeight());
        assertThat(header.getSize().getHeight()).as("header height in %s", lang).isLessThanOrEqualTo(ONE_LINE);
        // and nothing in it is pushed past the window's right edge instead of wrapping
        int right = driver.findElement(By.id("logout")).getRect().getX() + driver.findElement(By.id("logout")).getRect().getWidth();
        assertThat(right).as("log-out button's right edge in %s", lang).isLessThanOrEqualTo(1440);
        List<Integer> tops = driver.findElements(By.cssSelector("#tabs > button, #tabs .menu-btn")).stream()
                .map(b -> b.getRect().getY()).distinct().toList();
        assertThat(tops).as("tab rows in %s", lang).hasSize(1);
    }

    @Test
    void everyPageOpensFromTheKeyboard() throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        logIn(driver, wait, f, "wang-fang");
        List<String> tabs = driver.findElements(By.cssSelector("#tabs button[data-tab]")).stream()
                .map(b -> b.getAttribute("data-tab")).toList();
        assertThat(tabs).contains("overview", "alarms", "hazards", "reports").hasSizeGreaterThanOrEqualTo(12);
        for (String tab : tabs) {
            open(tab);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-" + tab)));
            assertThat(driver.findElements(By.cssSelector("main .view")).stream().filter(WebElement::isDisplayed)
                    .map(v -> v.getAttribute("id")).toList()).as("pages shown after choosing %s", tab).containsExactly("view-" + tab);
            assertThat(driver.findElement(By.cssSelector("#tabs button[data-tab='" + tab + "']")).getAttribute("class")).contains("on");
            // a chosen page's menu closes and marks itself as holding the page shown
            assertThat(driver.findElements(By.cssSelector("#tabs .menu")).stream().noneMatch(WebElement::isDisplayed)).isTrue();
        }
        // Escape closes an open menu and gives the focus back to its button
        WebElement menu = driver.findElement(By.cssSelector("#tabs .menu-btn"));
        menu.sendKeys(Keys.ARROW_DOWN);
        assertThat(driver.findElement(By.cssSelector("#tabs .menu")).isDisplayed()).isTrue();
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        assertThat(driver.findElement(By.cssSelector("#tabs .menu")).isDisplayed()).isFalse();
        assertThat(driver.switchTo().activeElement()).isEqualTo(menu);
    }

    /** From the top of the page, Tab until the tab or its menu has the focus; in a menu, ↓ to the tab; Enter. */
    private void open(String tab) {
        // the start: the title, made focusable by the test only, so that the next Tab is the first in the header
        driver.executeScript("const h = document.querySelector('header h1'); h.tabIndex = -1; h.focus(); window.scrollTo(0, 0)");
        WebElement target = driver.findElement(By.cssSelector("#tabs button[data-tab='" + tab + "']"));
        List<WebElement> menuButton = target.findElements(By.xpath("ancestor::div[contains(@class,'tab-menu')]/button"));
        WebElement stop = menuButton.isEmpty() ? target : menuButton.get(0);
        Actions keys = new Actions(driver);
        for (int i = 0; i < 40 && !driver.switchTo().activeElement().equals(stop); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertThat(driver.switchTo().activeElement()).as("Tab reaches %s", tab).isEqualTo(stop);
        if (stop != target) {
            keys.sendKeys(Keys.ARROW_DOWN).perform();
            for (int i = 0; i < 10 && !driver.switchTo().activeElement().equals(target); i++) {
                keys.sendKeys(Keys.ARROW_DOWN).perform();
            }
            assertThat(driver.switchTo().activeElement()).as("↓ reaches %s in its menu", tab).isEqualTo(target);
        }
        keys.sendKeys(Keys.ENTER).perform();
    }
}
