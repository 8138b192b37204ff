package ai.zmarty.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.demo.DemoSeed;
import ai.zmarty.testing.Browser;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.FakeElevenLabs;
import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat app at {@code /} in a real headless Chromium against a real node (the {@link Browser}
 * fixture): signing in from the demo's {@code #token=} link, an answer streaming token by token
 * with the estimate before and the charge and balance after, sessions resumed, the voice toggle,
 * symbols with signals, win rates and charts, the server's message for a bad symbol, the compare
 * view, credits, no horizontal scroll at 375 px; a 402 with its shortfall (a user without
 * credits, signed in by pasting a token after a Supabase magic link was asked for), a 429
 * counting down from {@code Retry-After}, a 503 whose Retry is answered, and the offline state. Screenshots of each state: {@code target/chat-*.png}.
 */
@ExtendWith(VertxExtension.class)
class ChatAppBrowserTest {
  private static final Pattern RECEIPT = Pattern.compile("Charged (\\d+) credits (?:· voice \\d+ credits )?· balance ([\\d,]+)");
  private static final Pattern ESTIMATE = Pattern.compile("Up to (\\d+) credits \\(offline, answer ≤ [\\d,]+ tokens\\)");
  private Browser open;
  private WebDriver browser;
  private WebDriverWait wait;

  private WebDriver browser(int width, int height) throws Exception {
    open = Browser.open(width, height);
    browser = open.driver();
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    return browser;
  }

  @AfterEach
  void quit() throws Exception {
    if (open != null) {
      open.close();
    }
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private WebElement shown(By by) {
    return wait.until(b -> b.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  private void tab(String name) {
    browser.findElement(By.id("tab-" + name)).click();
    wait.until(b -> name.equals(b.findElement(By.tagName("body")).getAttribute("data-view")));
  }

  /** Types the message, waits for its estimate and returns the credits it names. */
  private long typeAndEstimate(String message) {
    WebElement box = browser.findElement(By.id("message"));
    box.clear();
    box.sendKeys(message);
    String estimate = wait.until(b -> {
      String t = b.findElement(By.id("estimate")).getText();
      return ESTIMATE.matcher(t).find() ? t : null;
    });
    Matcher m = ESTIMATE.matcher(estimate);
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** Records the growing length of the newest answer's text from inside the page, as it changes. */
  private void recordAnswerGrowth() {
    js("window.__lengths = []; new MutationObserver(function () { var t = document.querySelector('#messages .msg.assistant:last-child .text');"
        + " if (t) { window.__lengths.push(t.textContent.length); } }).observe(document.getElementById('messages'), {subtree: true, childList: true, characterData: true});");
  }

  private HttpResponse<Buffer> call(TestNode node, String method, String path, String token, JsonObject body) throws Exception {
    var request = node.client().request(io.vertx.core.http.HttpMethod.valueOf(method), node.port(), "127.0.0.1", path).putHeader("Authorization", "Bearer " + token);
    return (body == null ? request.send() : request.sendJsonObject(body)).await(20, TimeUnit.SECONDS);
  }

  private void noHorizontalScroll(String view) {
    tab(view);
    Object widths = js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth];");
    @SuppressWarnings("unchecked")
    List<Long> w = (List<Long>) widths;
    assertThat(w.get(2)).as("viewport width").isLessThanOrEqualTo(375L);
    assertThat(w.get(0)).as("%s: page width %s against the viewport's %s", view, w.get(0), w.get(1)).isLessThanOrEqualTo(w.get(1));
  }

  @Test
  void streamsAnAnswerShowsTheCostResumesSessionsAndShowsSymbolsCompareAndCredits(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    FakeElevenLabs eleven = FakeElevenLabs.start(vertx).then(FakeElevenLabs.audio(FakeElevenLabs.MP3, 120));
    TestNode node = TestNode.all(vertx, dbs, Map.of("OFFLINE_PACE", "25ms", "QUEUE_IDLE_POLL", "100ms", "SYNC_POLL", "200ms",
        "ELEVENLABS_API_KEY", "test-eleven-key", "ELEVENLABS_BASE_URL", eleven.baseUrl()));
    assertThat(DemoSeed.ensure(node.wiring().chatPool()).await(10, TimeUnit.SECONDS)).isTrue();
    String token = TestJwt.valid(DemoSeed.DEMO_USER);
    String page = "http://127.0.0.1:" + node.port() + "/";
    browser(1280, 1000);

    // the demo's link: the fragment is read once, kept in sessionStorage and cleared from the address
    browser.get(page + "#token=" + token);
    shown(By.id("message"));
    assertThat(browser.getCurrentUrl()).isEqualTo(page);
    assertThat(js("return sessionStorage.getItem('zmarty.token');")).isEqualTo(token);
    wait.until(b -> b.findElement(By.id("balance-pill")).getText().equals("1,000 credits"));
    wait.until(b -> b.findElement(By.id("sessions")).getText().equals("No sessions yet."));
    assertThat((List<?>) js("return Array.from(document.querySelectorAll('input, select, textarea')).filter(function (e) { return !e.labels || !e.labels.length; }).map(function (e) { return e.id; });"))
        .as("controls without a label").isEmpty();

    // the estimate before, the answer growing token by token, the charge and balance after
    long estimate = typeAndEstimate("What's the signal for BTC?");
    open.screenshot("chat-estimate.png");
    recordAnswerGrowth();
    browser.findElement(By.id("send")).click();
    String receipt = wait.until(b -> {
      String t = b.findElement(By.id("receipt")).getText();
      return RECEIPT.matcher(t).find() ? t : null;
    });
    @SuppressWarnings("unchecked")
    List<Long> lengths = (List<Long>) js("return window.__lengths;");
    String answer = browser.findElement(By.cssSelector("#messages .msg.assistant:last-child .text")).getText();
    System.out.println("chat app: estimate " + estimate + " credits; the answer was seen at " + lengths.stream().distinct().count() + " lengths while streaming; " + receipt);
    assertThat(lengths.stream().distinct().count()).as("distinct lengths of the answer while it streamed: %s", lengths).isGreaterThanOrEqualTo(5);
    assertThat(lengths).as("the answer only grows").isSorted();
    assertThat(Sql.one(dbs.chat(), "select content from chat_messages where user_id = '" + DemoSeed.DEMO_USER + "' and role = 'assistant'").strip()).isEqualTo(answer.strip());
    Matcher m = RECEIPT.matcher(receipt);
    assertThat(m.find()).isTrue();
    long charged = Long.parseLong(m.group(1));
    long balance = Long.parseLong(m.group(2).replace(",", ""));
    assertThat(charged).isPositive().isLessThanOrEqualTo(estimate);
    assertThat(balance).isEqualTo(Users.balance(dbs.chat(), DemoSeed.DEMO_USER)).isEqualTo(1000 - charged);
    assertThat(Sql.count(dbs.chat(), "select -delta from credits_ledger where user_id = '" + DemoSeed.DEMO_USER + "' and reason = 'chat'")).isEqualTo(charged);
    wait.until(b -> b.findElement(By.id("balance-pill")).getText().equals(balance + " credits"));
    open.screenshot("chat-answered.png");

    // sessions: listed, a new chat empties the page, the session comes back and continues, spoken
    WebElement listed = shown(By.cssSelector("#sessions button.session"));
    assertThat(listed.getText()).contains("What's the signal for BTC?", "1/10 turns");
    browser.findElement(By.id("new-chat")).click();
    assertThat(browser.findElements(By.cssSelector("#messages .msg"))).isEmpty();
    browser.findElement(By.cssSelector("#sessions button.session")).click();
    wait.until(b -> b.findElements(By.cssSelector("#messages .msg")).size() == 2);
    assertThat(browser.findElement(By.cssSelector("#messages .msg.assistant .text")).getText().strip()).isEqualTo(answer.strip());
    browser.findElement(By.id("voice")).click();
    typeAndEstimate("And ETH?");
    browser.findElement(By.id("send")).click();
    wait.until(b -> b.findElements(By.cssSelector("#messages .msg")).size() == 4 && RECEIPT.matcher(b.findElement(By.id("receipt")).getText()).find());
    assertThat(Sql.column(dbs.chat(), "select turns::text from chat_sessions where user_id = '" + DemoSeed.DEMO_USER + "'")).containsExactly("2");
    String audio = wait.until(b -> (String) js("var p = document.getElementById('player'); return p.hidden ? null : p.getAttribute('src');"));
    assertThat(audio).matches("/audio/[0-9a-f]{64}\\.mp3");
    Matcher spoken = RECEIPT.matcher(text("receipt"));
    assertThat(spoken.find()).isTrue();
    assertThat(text("receipt")).contains("· voice ");
    assertThat(Long.parseLong(spoken.group(2).replace(",", ""))).as("the balance after the answer and its voice").isEqualTo(Users.balance(dbs.chat(), DemoSeed.DEMO_USER));
    assertThat(eleven.requests).hasSize(1);
    open.screenshot("chat-session-voice.png");

    // symbols: the pipeline's signals and win rates for the demo pairs, each with its chart
    Eventually.await(Duration.ofSeconds(90), "signals and win rates of both demo pairs", () -> {
      try {
        JsonArray s = call(node, "GET", "/signals", token, null).bodyAsJsonObject().getJsonArray("signals");
        JsonArray w = call(node, "GET", "/win-rates", token, null).bodyAsJsonObject().getJsonArray("win_rates");
        return s.size() == 2 && w.stream().map(o -> (JsonObject) o).filter(r -> r.getInteger("sample_size") > 0).map(r -> r.getString("symbol")).distinct().count() == 2;
      } catch (Exception e) {
        return false;
      }
    });
    tab("symbols");
    for (String pair : new String[] {"BTC/USDT 1h", "ETH/USDT 1h"}) {
      shown(By.cssSelector(".pair[data-pair='" + pair + "'] .chart .uplot"));
      JsonObject all = call(node, "GET", "/win-rates", token, null).bodyAsJsonObject().getJsonArray("win_rates").stream().map(o -> (JsonObject) o)
          .filter(r -> (r.getString("symbol") + " " + r.getString("timeframe")).equals(pair) && r.getString("window").equals("all")).findFirst().orElseThrow();
      String card = browser.findElement(By.cssSelector(".pair[data-pair='" + pair + "']")).getText();
      assertThat(card).containsPattern("(?i)(LONG|SHORT|FLAT) score").contains("Entry", "Stop", "Targets", "Reasons", "of " + all.getInteger("sample_size") + " (95 %");
    }
    // a bad pair: the server's own message, and the field keeps focus for a fix
    String serverSays = call(node, "POST", "/symbols", token, new JsonObject().put("symbol", "BTCUSDT").put("timeframe", "1h")).bodyAsJsonObject().getString("message");
    browser.findElement(By.id("symbol")).sendKeys("BTCUSDT");
    browser.findElement(By.id("add-symbol")).click();
    assertThat(shown(By.cssSelector("#symbols-problem[data-status='400']")).getText()).contains(serverSays);
    assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("symbol");
    open.screenshot("chat-symbols-bad.png");
    // a good one is added, then removed
    browser.findElement(By.id("symbol")).clear();
    browser.findElement(By.id("symbol")).sendKeys("SOL/USDT", Keys.ENTER);
    shown(By.cssSelector(".pair[data-pair='SOL/USDT 1h']"));
    assertThat(browser.findElement(By.id("symbols-problem")).isDisplayed()).isFalse();
    browser.findElement(By.cssSelector(".pair[data-pair='SOL/USDT 1h'] button.remove")).click();
    wait.until(b -> b.findElements(By.cssSelector(".pair[data-pair='SOL/USDT 1h']")).isEmpty() && b.findElements(By.cssSelector(".pair")).size() == 2);
    shown(By.cssSelector(".pair[data-pair='ETH/USDT 1h'] .chart .uplot"));
    open.screenshot("chat-symbols.png");

    // compare: both pairs side by side; keyboard: the arrow keys move between the tabs
    browser.findElement(By.id("tab-symbols")).sendKeys(Keys.ARROW_RIGHT);
    wait.until(b -> "compare".equals(b.findElement(By.tagName("body")).getAttribute("data-view")));
    WebElement table = shown(By.cssSelector("#compare table.compare"));
    assertThat(table.findElements(By.cssSelector("thead th[data-pair]")).stream().map(WebElement::getText)).containsExactly("BTC/USDT 1h", "ETH/USDT 1h");
    assertThat(table.getText()).contains("Latest signal", "Win rate (all)", "Price return, last 200 bars", "Strategy: summed returns");
    open.screenshot("chat-compare.png");

    // credits: balance, held, the ledger rows (the grant, two chats and the voice)
    tab("credits");
    shown(By.cssSelector("#credits table.ledger"));
    assertThat(text("credits-balance")).isEqualTo(String.format("%,d", Users.balance(dbs.chat(), DemoSeed.DEMO_USER)));
    assertThat(browser.findElements(By.cssSelector("#credits table.ledger tbody tr"))).hasSize((int) Sql.count(dbs.chat(), "select count(*) from credits_ledger where user_id = '" + DemoSeed.DEMO_USER + "'"));
    open.screenshot("chat-credits.png");

    // 375 px wide: no view scrolls sideways
    browser.manage().window().setSize(new Dimension(375, 812));
    wait.until(b -> ((Number) js("return window.innerWidth;")).longValue() <= 375);
    noHorizontalScroll("credits");
    noHorizontalScroll("compare");
    noHorizontalScroll("symbols");
    shown(By.cssSelector(".pair[data-pair='BTC/USDT 1h'] .chart .uplot"));
    open.screenshot("chat-narrow-symbols.png");
    noHorizontalScroll("chat");
    open.screenshot("chat-narrow.png");
  }

  @Test
  void aUserWithoutCreditsSeesTheShortfallAfterAMagicLinkSessionAndAPastedToken(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    FakeSupabaseAuth supabase = FakeSupabaseAuth.start(vertx);
    String anon = TestJwt.hs256("supabase-project-secret-0123456789abcdef", new JsonObject().put("iss", "supabase").put("role", "anon"));
    TestNode node = TestNode.api(vertx, dbs, Map.of("SUPABASE_URL", supabase.baseUrl(), "SUPABASE_ANON_KEY", anon));
    UUID broke = Users.create(dbs.chat(), "free", 0);
    String page = "http://127.0.0.1:" + node.port() + "/";
    browser(1280, 900);

    // Supabase Auth: the magic link is asked for with the anon key, back to this page
    browser.get(page);
    browser.findElement(By.id("email")).sendKeys("trader@example.com");
    browser.findElement(By.id("magic")).click();
    wait.until(b -> b.findElement(By.id("signin-note")).getText().startsWith("Check your inbox"));
    JsonObject asked = supabase.requests.get(0);
    assertThat(asked.getString("path")).isEqualTo("/auth/v1/otp");
    assertThat(asked.getString("redirect_to")).isEqualTo(page);
    assertThat(asked.getString("apikey")).isEqualTo(anon);
    assertThat(asked.getJsonObject("body").getString("email")).isEqualTo("trader@example.com");
    open.screenshot("chat-signin.png");

    // the link in the email comes back with a short-lived session: renewed with its refresh token a minute before it ends
    long now = java.time.Instant.now().getEpochSecond();
    String shortLived = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(broke).put("exp", now + 63));
    String renewed = TestJwt.hs256(TestJwt.SECRET, TestJwt.claims(broke).put("exp", now + 3600));
    supabase.refreshWith(renewed);
    browser.get(page + "#access_token=" + shortLived + "&expires_in=63&refresh_token=first-refresh&token_type=bearer&type=magiclink");
    wait.until(b -> b.findElement(By.id("balance-pill")).getText().equals("0 credits"));
    assertThat(browser.getCurrentUrl()).isEqualTo(page);
    wait.until(b -> renewed.equals(js("return sessionStorage.getItem('zmarty.token');")));
    JsonObject refresh = supabase.requests.get(supabase.requests.size() - 1);
    assertThat(refresh.getString("path")).isEqualTo("/auth/v1/token");
    assertThat(refresh.getString("grant_type")).isEqualTo("refresh_token");
    assertThat(refresh.getString("apikey")).isEqualTo(anon);
    assertThat(refresh.getJsonObject("body").getString("refresh_token")).isEqualTo("first-refresh");
    browser.findElement(By.id("tab-credits")).click();
    shown(By.cssSelector("#credits .state.empty"));
    browser.findElement(By.id("sign-out")).click();
    assertThat(js("return sessionStorage.getItem('zmarty.token');")).isNull();

    // a pasted token; the message would cost more than the balance: the estimate says so, the 402 shows the shortfall
    browser.findElement(By.id("token")).sendKeys(TestJwt.valid(broke));
    browser.findElement(By.id("sign-in")).click();
    wait.until(b -> b.findElement(By.id("balance-pill")).getText().equals("0 credits"));
    long estimate = typeAndEstimate("Should I buy BTC now?");
    assertThat(text("estimate")).endsWith("· you have 0 available");
    browser.findElement(By.id("send")).click();
    WebElement problem = shown(By.cssSelector("#chat-problem[data-status='402']"));
    assertThat(problem.getText()).contains("Not enough credits.", "this request may cost up to " + estimate + " credits and 0 are available",
        "You are short by " + estimate + " credits for this message.").doesNotContain("null");
    assertThat(browser.findElements(By.cssSelector("#messages .msg"))).isEmpty();
    assertThat(browser.findElement(By.id("message")).getAttribute("value")).isEqualTo("Should I buy BTC now?");
    assertThat(Users.ledgerSum(dbs.chat(), broke)).isZero();
    assertThat(Sql.count(dbs.chat(), "select count(*) from chat_messages where user_id = '" + broke + "'")).isZero();
    open.screenshot("chat-402.png");
  }

  @Test
  void aRateLimitedChatCountsDownFromRetryAfter(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.api(vertx, dbs, Map.of("RATE_LIMIT_PER_MINUTE", "1"));
    UUID user = Users.create(dbs.chat(), "pro", 500);
    browser(1280, 900);
    browser.get("http://127.0.0.1:" + node.port() + "/#token=" + TestJwt.valid(user));
    shown(By.id("message"));

    // the estimate takes the minute's one request; sending is refused with 429 and a countdown
    typeAndEstimate("What's the signal for ETH?");
    browser.findElement(By.id("send")).click();
    WebElement problem = shown(By.cssSelector("#chat-problem[data-status='429']"));
    assertThat(problem.getText()).contains("Too many requests.", "Try again in").doesNotContain("null");
    WebElement retry = problem.findElement(By.cssSelector("button.retry"));
    assertThat(retry.isEnabled()).isFalse();
    int first = Integer.parseInt(problem.findElement(By.className("countdown")).getText());
    assertThat(first).isBetween(1, 60);
    open.screenshot("chat-429.png");
    wait.until(b -> Integer.parseInt(b.findElement(By.cssSelector("#chat-problem .countdown")).getText()) < first);
    assertThat(browser.findElements(By.cssSelector("#messages .msg"))).isEmpty();
    assertThat(Users.ledgerSum(dbs.chat(), user)).isEqualTo(500);
  }

  @Test
  void whenNoProviderCanAnswerTheChatOffersRetryAndTheRetryIsAnswered(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    FakeProvider grok = FakeProvider.start(vertx).always(FakeProvider.error(503, "xai/server_error.json", Map.of()));
    TestNode node = TestNode.api(vertx, dbs, Map.of("MODEL_PROVIDER", "auto", "XAI_API_KEY", "xai-test-key", "XAI_BASE_URL", grok.baseUrl("/v1")));
    UUID user = Users.create(dbs.chat(), "pro", 500);
    browser(1280, 900);
    browser.get("http://127.0.0.1:" + node.port() + "/#token=" + TestJwt.valid(user));
    shown(By.id("message")).sendKeys("What's the signal for BTC?");
    browser.findElement(By.id("send")).click();

    WebElement problem = shown(By.cssSelector("#chat-problem[data-status='503']"));
    assertThat(problem.getText()).contains("Unavailable for now.").doesNotContain("null");
    assertThat(Users.ledgerSum(dbs.chat(), user)).isEqualTo(500);
    open.screenshot("chat-503.png");

    // the provider is back: Retry sends the same message again and it is answered and charged
    grok.always(FakeProvider.sse("xai/stream.sse"));
    problem.findElement(By.cssSelector("button.retry")).click();
    wait.until(b -> RECEIPT.matcher(b.findElement(By.id("receipt")).getText()).find());
    assertThat(browser.findElement(By.id("chat-problem")).isDisplayed()).isFalse();
    assertThat(browser.findElements(By.cssSelector("#messages .msg"))).hasSize(2);
    assertThat(browser.findElement(By.cssSelector("#messages .msg.assistant .text")).getText()).isNotBlank();
    assertThat(Users.ledgerSum(dbs.chat(), user)).isLessThan(500);

    // offline: the badge says so and a view that cannot load offers Retry, which works once back
    var chrome = (org.openqa.selenium.chromium.ChromiumDriver) browser;
    var offline = new org.openqa.selenium.chromium.ChromiumNetworkConditions();
    offline.setOffline(true);
    chrome.setNetworkConditions(offline);
    wait.until(b -> b.findElement(By.id("net")).getText().equals("offline"));
    tab("credits");
    WebElement cut = shown(By.cssSelector("#credits-problem[data-status='0']"));
    assertThat(cut.getText()).contains("Offline.", "cannot be reached").doesNotContain("null");
    open.screenshot("chat-offline.png");
    chrome.deleteNetworkConditions();
    wait.until(b -> b.findElement(By.id("net")).getText().equals("online"));
    cut.findElement(By.cssSelector("button.retry")).click();
    shown(By.cssSelector("#credits table.ledger"));
    assertThat(text("credits-balance")).isEqualTo(String.valueOf(Users.balance(dbs.chat(), user)));
  }
}
