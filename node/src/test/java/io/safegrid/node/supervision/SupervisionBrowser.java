package io.safegrid.node.supervision;

import io.safegrid.node.HeadlessChromium;
import io.safegrid.testing.ConsoleTabs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A supervision console and headless Chromium (zone UTC, so the test writes times plainly) for a browser test. */
abstract class SupervisionBrowser {
    @TempDir
    Path dir;
    SupervisionConsole c;
    HeadlessChromium chromium;
    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        HeadlessChromium.assumeInstalled();
        c = new SupervisionConsole(dir);
        chromium = new HeadlessChromium("1440,1100", Map.of("TZ", "UTC"));
        driver = chromium.driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (c != null) {
            c.close();
        }
    }

    /** Logs in afresh as {@code user} and opens {@code tab}. */
    void openAs(String user, String tab) {
        driver.manage().deleteAllCookies();
        driver.get(c.url("/"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(SupervisionConsole.PASSWORDS.get(user));
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tabs")));
        ConsoleTabs.open(driver, tab);
    }

    /** {@code text} without the names of grid nodes and the given texts people wrote, longest first. */
    String withoutNames(String text, java.util.List<String> written) {
        java.util.List<String> names = new java.util.ArrayList<>(written);
        c.config.current().grid().nodes().forEach(n -> names.add(n.name()));
        names.sort(java.util.Comparator.comparingInt(String::length).reversed());
        for (String name : names) {
            text = text.replace(name, "");
        }
        return text;
    }
}
