package io.safegrid.node;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the node's browser tests, on a profile directory of its own that closing
 * deletes. Needs Debian's {@code chromium chromium-driver}: {@link #assumeInstalled()} skips the test
 * where they are absent. Screenshots go to {@code node/target/screenshots/}.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target/screenshots");

    public final ChromeDriver driver;
    private final Path profile;

    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian packages chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)");
    }

    /**
     * @param windowSize  as Chromium's {@code --window-size} takes it, {@code "1440,900"}
     * @param environment for the driver and the browser it starts ({@code TZ}, say)
     */
    public HeadlessChromium(String windowSize, Map<String, String> environment) throws IOException {
        profile = Files.createTempDirectory("safegrid-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=" + windowSize, "--lang=zh-CN");
        try {
            driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .withEnvironment(environment).usingAnyFreePort().build(), options);
        } catch (RuntimeException e) {
            deleteProfile();
            throw e;
        }
        Files.createDirectories(SHOTS);
    }

    /** Saves what the browser shows now as {@code target/screenshots/<name>.png}. */
    public void shot(String name) throws IOException {
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        deleteProfile();
    }

    private void deleteProfile() throws IOException {
        try (var walk = Files.walk(profile)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
