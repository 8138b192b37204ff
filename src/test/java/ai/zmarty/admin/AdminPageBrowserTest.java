package ai.zmarty.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.testing.Browser;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}) against a real node: it shows each queue and follows an SQL enqueue within
 * 2 s, a dead-letter group retried from the page is back in its queue, the {@code #token=}
 * fragment signs in, and a normal user's token is refused and clears what the page showed. Skipped when Chromium is missing, unless {@code ZMARTY_REQUIRE_BROWSER=1} (CI; see {@link Browser}).
 * Screenshots: {@code target/admin-dashboard.png}, {@code target/admin-refused.png}.
 */
@ExtendWith(VertxExtension.class)
class AdminPageBrowserTest {
  private Browser open;

  private WebDriver browser() throws Exception {
    open = Browser.open(1400, 1800);
    return open.driver();
  }

  @AfterEach
  void quit() throws Exception {
    if (open != null) {
      open.close();
    }
  }

  private void screenshot(WebDriver browser, String name) throws Exception {
    open.screenshot(name);
  }

  private static void connect(WebDriver browser, String token) {
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("connect")).click();
  }

  private static String depthCell(WebDriver browser, String queue) {
    return browser.findElement(By.cssSelector("tr[data-queue='" + queue + "'] td:nth-child(2)")).getText();
  }

  @Test
  void showsEachQueueLiveRetriesADeadLetterGroupAndRefusesAUserToken(Vertx vertx) throws Exception {
    WebDriver browser = browser();
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.all(vertx, dbs, AdminBridgeTest.QUIET);
    AdminActionsTest.deadLetter(dbs, "compute_signals", "handler failed (500): boom", "{\"symbol\":\"BTC/USDT\",\"timeframe\":\"1h\"}");
    AdminActionsTest.deadLetter(dbs, "compute_signals", "handler failed (500): boom", "{\"symbol\":\"ETH/USDT\",\"timeframe\":\"1h\"}");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);

    // signed in by the fragment, as the demo prints it: read once, then gone from the address bar
    browser.get("http://127.0.0.1:" + node.port() + "/admin/#token=" + AdminBridgeTest.SERVICE);
    wait.until(b -> "open".equals(b.findElement(By.tagName("body")).getAttribute("data-conn")));
    assertThat(browser.getCurrentUrl()).isEqualTo("http://127.0.0.1:" + node.port() + "/admin/");
    for (String queue : new String[] {"ingest_indicators", "compute_signals", "compute_winrate", "dead_letter", "lens_enrich", "lens_evaluate"}) {
      wait.until(b -> !b.findElements(By.cssSelector("tr[data-queue='" + queue + "']")).isEmpty());
    }
    String initialDepth = wait.until(b -> depthCell(b, "compute_winrate"));
    assertThat(initialDepth).isEqualTo("0");
    assertThat(browser.findElement(By.id("conn")).getText()).isEqualTo("live");

    // an SQL enqueue shows within 2 s
    Sql.exec(dbs.trading(), "select pgmq.send('compute_winrate', '{}'::jsonb)");
    long enqueued = System.nanoTime();
    // the table is redrawn every second: a cell found just before a redraw is stale, so look again
    new WebDriverWait(browser, Duration.ofSeconds(2), Duration.ofMillis(50)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(b -> "1".equals(depthCell(b, "compute_winrate")));
    long shownMs = (System.nanoTime() - enqueued) / 1_000_000;
    System.out.println("admin page showed the enqueued job after " + shownMs + " ms");

    // the dead-letter group, retried from the page behind its confirmation
    WebElement group = wait.until(b -> b.findElements(By.cssSelector(".group[data-group='compute_signals']")).stream().findFirst().orElse(null));
    assertThat(group.getText()).contains("2 × compute_signals", "handler failed (500): boom");
    wait.until(b -> b.findElements(By.cssSelector("#queue-chart .uplot")).size() == 1);
    screenshot(browser, "admin-dashboard.png");
    wait.until(b -> {
      try {
        b.findElement(By.cssSelector(".group[data-group='compute_signals']")).findElement(By.xpath(".//button[text()='Retry group']")).click();
        return true;
      } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
        return false;
      }
    });
    wait.until(b -> b.findElement(By.id("confirm")).isDisplayed());
    assertThat(browser.findElement(By.id("confirm-text")).getText()).isEqualTo("Move 2 from compute_signals back into compute_signals?");
    browser.findElement(By.id("confirm-yes")).click();
    wait.until(b -> b.findElement(By.id("notice")).getText().startsWith("done:"));
    assertThat(Sql.column(dbs.trading(), "select message->>'symbol' from pgmq.q_compute_signals order by 1")).containsExactly("BTC/USDT", "ETH/USDT");
    assertThat(Sql.count(dbs.trading(), "select count(*) from pgmq.q_dead_letter")).isZero();
    wait.until(b -> b.findElement(By.id("dlq")).getText().contains("No dead letters"));

    // a normal user's token pasted over the live page: refused, said so, no reconnecting, and
    // nothing the operator's token showed is left under the banner
    assertThat(browser.findElements(By.cssSelector("tr[data-queue]"))).isNotEmpty();
    connect(browser, TestJwt.valid(UUID.randomUUID()));
    wait.until(b -> "refused".equals(b.findElement(By.tagName("body")).getAttribute("data-conn")));
    assertThat(browser.findElement(By.id("notice")).getText()).contains("refused", "not an operator");
    for (String section : new String[] {"health", "cluster", "queues", "dlq", "cron", "credits", "providers", "lens", "errors"}) {
      assertThat(browser.findElement(By.id(section)).getText()).as(section).isEqualTo("no data: the token was refused");
    }
    assertThat(browser.findElements(By.cssSelector("tr[data-queue], #queue-chart .uplot, .group"))).isEmpty();
    assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("compute_winrate", "live");
    // the refused token is not kept: a reload does not try it again
    browser.navigate().refresh();
    wait.until(b -> b.findElement(By.id("notice")).getText().startsWith("Paste an operator token"));
    assertThat(browser.findElement(By.tagName("body")).getAttribute("data-conn")).isNull();
    connect(browser, TestJwt.valid(UUID.randomUUID()));
    wait.until(b -> "refused".equals(b.findElement(By.tagName("body")).getAttribute("data-conn")));
    screenshot(browser, "admin-refused.png");
    assertThat(shownMs).as("ms from the SQL enqueue to the page").isLessThan(2000);
  }
}
