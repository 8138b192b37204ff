package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.ConfigException;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the chat app needs from an API node, over real HTTP: the runtime {@code /config.js} (public
 * values only, whatever else is configured), the page with its Content-Security-Policy, {@code GET
 * /candles} from B's indicator bars and {@code GET /chat/sessions} under A's RLS.
 */
@ExtendWith(VertxExtension.class)
class ChatAppRoutesTest {
  private static final String ANON = TestJwt.hs256("supabase-project-secret-0123456789abcdef", new JsonObject().put("iss", "supabase").put("ref", "abcd").put("role", "anon"));
  private static final String SERVICE_ROLE = TestJwt.hs256("supabase-project-secret-0123456789abcdef", new JsonObject().put("iss", "supabase").put("ref", "abcd").put("role", "service_role"));
  private static TestDatabases.Pair dbs;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  private static HttpResponse<Buffer> get(TestNode node, String path, String token) throws Exception {
    var request = node.client().get(node.port(), "127.0.0.1", path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request.send().await(20, TimeUnit.SECONDS);
  }

  private static ZmartyConfig load(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("JWT_SECRET", TestJwt.SECRET);
    return ZmartyConfig.from(RawConfig.load(all));
  }

  @Test
  void configJsHoldsExactlyTheThreePublicValuesNullWhenNotConfigured(Vertx vertx) throws Exception {
    TestNode node = TestNode.api(vertx, dbs, Map.of());
    HttpResponse<Buffer> js = get(node, "/config.js", null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.getHeader("content-type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(js.bodyAsString()).isEqualTo("window.ZMARTY_CONFIG = {\"apiBase\": \"\", \"supabaseUrl\": null, \"supabaseAnonKey\": null};");

    HttpResponse<Buffer> page = get(node, "/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    assertThat(page.getHeader("content-security-policy")).contains("script-src 'self';", "connect-src 'self';", "media-src 'self';", "frame-ancestors 'none'");
    assertThat(page.bodyAsString()).contains("<script src=\"/config.js\"></script>", "<script src=\"/app/app.js\"></script>");
    for (String asset : new String[] {"/app/app.js", "/app/api.js", "/app/ui.js", "/app/auth.js", "/app/chat.js", "/app/markets.js", "/app/app.css", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"}) {
      assertThat(get(node, asset, null).statusCode()).as(asset).isEqualTo(200);
    }
  }

  @Test
  void configJsCarriesTheConfiguredPublicValuesAndNoSecretEvenWhenSecretsAreConfigured(Vertx vertx) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PUBLIC_API_BASE", "https://api.zmarty.example/");
    env.put("SUPABASE_URL", "https://abcd.supabase.co");
    env.put("SUPABASE_ANON_KEY", ANON);
    // secrets a deployment holds: none may reach the browser
    env.put("SUPABASE_SERVICE_ROLE_KEY", SERVICE_ROLE);
    env.put("XAI_API_KEY", "xai-secret-key-0001");
    env.put("ELEVENLABS_API_KEY", "eleven-secret-key-0002");
    env.put("WEBHOOK_SECRET", "webhook-secret-webhook-secret-webhook-0003");
    TestNode node = TestNode.api(vertx, dbs, env);

    String body = get(node, "/config.js", null).bodyAsString();
    assertThat(body).isEqualTo("window.ZMARTY_CONFIG = {\"apiBase\": \"https://api.zmarty.example\", \"supabaseUrl\": \"https://abcd.supabase.co\", \"supabaseAnonKey\": \"" + ANON + "\"};");
    for (String secret : List.of(SERVICE_ROLE, SERVICE_ROLE.split("\\.")[2], "xai-secret-key-0001", "eleven-secret-key-0002", "webhook-secret-webhook-secret-webhook-0003", TestJwt.SECRET, "service_role")) {
      assertThat(body).as("config.js holds a secret").doesNotContain(secret);
    }
    String csp = get(node, "/", null).getHeader("content-security-policy");
    assertThat(csp).contains("connect-src 'self' https://api.zmarty.example https://abcd.supabase.co;", "media-src 'self' https://api.zmarty.example;");
  }

  @Test
  void aSecretKeyGivenAsTheAnonKeyOrHalfASupabaseSettingStopsTheStart() {
    assertThatThrownBy(() -> load(Map.of("SUPABASE_URL", "https://abcd.supabase.co", "SUPABASE_ANON_KEY", SERVICE_ROLE)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("SUPABASE_ANON_KEY: ").hasMessageContaining("service_role key");
    assertThatThrownBy(() -> load(Map.of("SUPABASE_URL", "https://abcd.supabase.co", "SUPABASE_ANON_KEY", "sb_secret_AbCdEf0123456789")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("SUPABASE_ANON_KEY: ").hasMessageContaining("secret key");
    assertThatThrownBy(() -> load(Map.of("SUPABASE_URL", "https://abcd.supabase.co")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("SUPABASE_ANON_KEY: ").hasMessageContaining("together");
    assertThatThrownBy(() -> load(Map.of("SUPABASE_ANON_KEY", ANON))).isInstanceOf(ConfigException.class).hasMessageStartingWith("SUPABASE_URL: ");
    assertThatThrownBy(() -> load(Map.of("PUBLIC_API_BASE", "api.zmarty.example"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("PUBLIC_API_BASE: ");
    assertThatThrownBy(() -> load(Map.of("PUBLIC_API_BASE", "https://api.zmarty.example/?x=1"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("PUBLIC_API_BASE: ");
    assertThat(load(Map.of("SUPABASE_URL", "https://abcd.supabase.co", "SUPABASE_ANON_KEY", "sb_publishable_AbCdEf0123456789")).webApp().supabaseAnonKey()).hasValue("sb_publishable_AbCdEf0123456789");
  }

  @Test
  void candlesAreThePairsNewestClosesOldestFirstAndBadParametersAre400(Vertx vertx) throws Exception {
    TestNode node = TestNode.api(vertx, dbs, Map.of());
    String token = TestJwt.valid(UUID.randomUUID());
    Sql.exec(dbs.trading(), "delete from indicators where symbol = 'DOGE/USDT'");
    Sql.exec(dbs.trading(), "insert into indicators (symbol, timeframe, bar_time, close, values) select 'DOGE/USDT', '4h', timestamptz '2026-01-01T00:00:00Z' + i * interval '4 hours', 0.1 + i / 100.0, '{}' from generate_series(0, 4) i");
    Sql.exec(dbs.trading(), "insert into indicators (symbol, timeframe, bar_time, close, values) values ('DOGE/USDT', '1h', '2026-01-01T00:00:00Z', 9, '{}')");

    JsonObject three = get(node, "/candles?symbol=DOGEUSDT&timeframe=4h&limit=3", token).bodyAsJsonObject();
    assertThat(three.getString("symbol")).isEqualTo("DOGE/USDT");
    assertThat(three.getString("timeframe")).isEqualTo("4h");
    JsonArray bars = three.getJsonArray("bars");
    assertThat(bars.stream().map(o -> ((JsonObject) o).getString("bar_time"))).containsExactly("2026-01-01T08:00Z", "2026-01-01T12:00Z", "2026-01-01T16:00Z");
    assertThat(bars.stream().map(o -> ((JsonObject) o).getDouble("close"))).containsExactly(0.12, 0.13, 0.14);
    assertThat(get(node, "/candles?symbol=DOGE/USDT&timeframe=4h", token).bodyAsJsonObject().getJsonArray("bars")).hasSize(5);
    assertThat(get(node, "/candles?symbol=PEPE/USDT&timeframe=4h", token).bodyAsJsonObject().getJsonArray("bars")).isEmpty();

    assertThat(get(node, "/candles?symbol=DOGE/USDT&timeframe=4h", null).statusCode()).isEqualTo(401);
    Map<String, String> refused = Map.of(
        "/candles?timeframe=4h", "symbol is missing",
        "/candles?symbol=DOGE/USDT", "timeframe is missing",
        "/candles?symbol=DOGE/USDT&timeframe=2h", "timeframe must be one of 1m, 5m, 15m, 30m, 1h, 4h, 1d, got \"2h\"",
        "/candles?symbol=DOGE/USDT&timeframe=4h&limit=0", "limit must be a whole number from 1 to 1000",
        "/candles?symbol=DOGE/USDT&timeframe=4h&limit=1001", "limit must be a whole number from 1 to 1000",
        "/candles?symbol=DOGE/USDT&timeframe=4h&since=1", "unknown parameter 'since'",
        "/candles?symbol=DOGE/USDT&timeframe=4h&timeframe=1h", "timeframe is given more than once",
        "/candles?symbol=A/B/C&timeframe=4h", "symbol");
    for (var e : refused.entrySet()) {
      HttpResponse<Buffer> r = get(node, e.getKey(), token);
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
      assertThat(r.bodyAsJsonObject().getString("message")).as(e.getKey()).contains(e.getValue());
    }
  }

  @Test
  void sessionsAreListedNewestFirstWithTheirFirstQuestionAndOnlyTheCallersOwn(Vertx vertx) throws Exception {
    TestNode node = TestNode.api(vertx, dbs, Map.of("OFFLINE_PACE", "1ms"));
    UUID alice = Users.create(dbs.chat(), "pro", 1000);
    UUID bob = Users.create(dbs.chat(), "pro", 1000);
    assertThat(get(node, "/chat/sessions", TestJwt.valid(alice)).bodyAsJsonObject().getJsonArray("sessions")).isEmpty();
    String first = chat(node, alice, "What's the signal for BTC?", null);
    chat(node, alice, "And the stop?", first);
    String second = chat(node, alice, "How is ETH doing?", null);
    String bobs = chat(node, bob, "Anything on SOL?", null);

    JsonArray listed = get(node, "/chat/sessions", TestJwt.valid(alice)).bodyAsJsonObject().getJsonArray("sessions");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("session_id"))).containsExactly(second, first);
    JsonObject older = listed.getJsonObject(1);
    assertThat(older.getString("title")).isEqualTo("What's the signal for BTC?");
    assertThat(older.getInteger("turns")).isEqualTo(2);
    assertThat(older.getInteger("max_turns")).isEqualTo(10);
    assertThat(older.getString("last_at")).isNotNull();
    assertThat(get(node, "/chat/sessions?limit=1", TestJwt.valid(alice)).bodyAsJsonObject().getJsonArray("sessions")).hasSize(1);
    assertThat(get(node, "/chat/sessions", TestJwt.valid(bob)).bodyAsJsonObject().getJsonArray("sessions").stream().map(o -> ((JsonObject) o).getString("session_id"))).containsExactly(bobs);
    HttpResponse<Buffer> bad = get(node, "/chat/sessions?limit=0", TestJwt.valid(alice));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("message")).isEqualTo("limit must be a whole number from 1 to 100");
    assertThat(get(node, "/chat/sessions", null).statusCode()).isEqualTo(401);
  }

  private static String chat(TestNode node, UUID user, String message, String session) throws Exception {
    JsonObject body = new JsonObject().put("message", message);
    if (session != null) {
      body.put("session_id", session);
    }
    HttpResponse<Buffer> r = node.client().post(node.port(), "127.0.0.1", "/chat").putHeader("Authorization", "Bearer " + TestJwt.valid(user)).sendJsonObject(body).await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getString("session_id");
  }
}
