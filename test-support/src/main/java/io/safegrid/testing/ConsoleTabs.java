package io.safegrid.testing;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** For browser tests: opens a page of the console by its header, as a user would. */
public final class ConsoleTabs {
    private ConsoleTabs() {
    }

    /** Clicks the page's tab, first opening the header menu it sits in when it is in one. */
    public static void open(WebDriver driver, String tab) {
        WebElement b = driver.findElement(By.cssSelector("#tabs button[data-tab='" + tab + "']"));
        if (!b.isDisplayed()) {
            b.findElement(By.xpath("ancestor::div[contains(@class,'tab-menu')]/button[contains(@class,'menu-btn')]")).click();
            // a browser on a loaded CI machine may take seconds to draw the opened menu
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOf(b));
        }
        b.click();
    }
}
