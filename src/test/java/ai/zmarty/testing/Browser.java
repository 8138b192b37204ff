package ai.zmarty.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven through
 * Selenium, with a fresh profile directory removed on {@link #close}. Missing Chromium skips the
 * test, unless {@code ZMARTY_REQUIRE_BROWSER=1} (CI), where it fails. Screenshots go to {@code target/}.
 */
public final class Browser implements AutoCloseable {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";
  private final WebDriver driver;
  private final Path profile;

  private Browser(WebDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** A browser whose window is {@code width} × {@code height} CSS pixels. */
  public static Browser open(int width, int height) throws Exception {
    boolean present = new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute();
    if (!present && "1".equals(System.getenv("ZMARTY_REQUIRE_BROWSER"))) {
      throw new AssertionError("ZMARTY_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + DRIVER + " is missing (apt-get install chromium chromium-driver)");
    }
    Assumptions.assumeTrue(present, "no Chromium here (" + CHROMIUM + ", " + DRIVER + ")");
    Path profile = Files.createTempDirectory("zmarty-chromium-");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
    return new Browser(new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build(), options), profile);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Writes what the page shows now to {@code target/<name>}. */
  public void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.createDirectories(Path.of("target"));
    Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() throws Exception {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
