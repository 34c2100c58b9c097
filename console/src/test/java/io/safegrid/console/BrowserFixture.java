package io.safegrid.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * For browser tests: a running {@link ConsoleFixture} and headless Chromium on a profile of its own,
 * started before each test and closed after it. Needs Debian's {@code chromium chromium-driver}; the
 * test is skipped where they are absent. Screenshots go to {@code console/target/screenshots/}.
 */
abstract class BrowserFixture {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target/screenshots");

    ConsoleFixture f;
    ChromeDriver driver;
    private Path profile;

    @BeforeEach
    void startConsoleAndBrowser() throws Exception {
        assumeChromium();
        f = new ConsoleFixture();
        profile = Files.createTempDirectory("safegrid-chromium");
        driver = chrome(profile);
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stopConsoleAndBrowser() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (f != null) {
            f.close();
        }
        deleteTree(profile);
    }

    static void assumeChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless browser test needs Debian packages chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)");
    }

    /** Headless Chromium with its own profile directory (callers check {@link #CHROMIUM} is there). */
    static ChromeDriver chrome(Path profile) {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1440,900", "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Logs in through the login form and waits for the live stream. */
    static void logIn(ChromeDriver driver, WebDriverWait wait, ConsoleFixture f, String user) {
        driver.get(f.uri("/").toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(ConsoleFixture.PASSWORDS.get(user));
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "up"));
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** Saves what the browser shows now as {@code target/screenshots/<name>.png}. */
    void shot(String name) throws Exception {
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
