package ai.zmarty.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The feed's snapshots from a real node (errors from the log, lens, credits, schedules, health) and the page's routes. */
@ExtendWith(VertxExtension.class)
class AdminFeedTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void theSnapshotsCarryWarningsLensCountsCreditsSchedulesAndHealth(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    TestNode node = TestNode.all(vertx, dbs, AdminBridgeTest.QUIET);
    UUID user = ai.zmarty.testing.Users.create(dbs.chat(), "pro", 1000);
    java.time.Instant charged = java.time.Instant.now();
    Sql.exec(dbs.chat(), "insert into public.credits_ledger (user_id, delta, provider, units, reason, request_id) values ('" + user
        + "', -7, 'offline', '{\"input_tokens\": 120, \"output_tokens\": 300}', 'chat', 'feed-test-1')");
    Sql.exec(dbs.trading(), "insert into lens.sources (name, key_hash, key_prefix) values ('feed-test', '\\x01', 'zk_1')");
    String lensEvent = "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status)"
        + " values (gen_random_uuid(), 'feed-test', md5(random()::text), 'OPEN_SIGNAL', 'BTC/USDT', 'long', 100, now(), 'default', '{}', '%s') returning event_id";
    Sql.exec(dbs.trading(), String.format(lensEvent, "queued"));
    Sql.exec(dbs.trading(), String.format(lensEvent, "queued"));
    String failed = Sql.one(dbs.trading(), String.format(lensEvent, "failed"));
    Sql.exec(dbs.trading(), "insert into lens.dlq_entries (event_id, stage, error, payload) values ('" + failed + "', 'enrich', 'boom', '{}')");
    try (BridgeSocket s = BridgeSocket.open(vertx, node.port(), null)) {
      for (String a : new String[] {Addresses.ADMIN_ERRORS, Addresses.ADMIN_LENS, Addresses.ADMIN_CREDITS, Addresses.ADMIN_CRON, Addresses.ADMIN_HEALTH, Addresses.ADMIN_PROVIDERS}) {
        s.register(a, BridgeSocket.bearer(AdminBridgeTest.SERVICE));
      }
      String marker = "feed-test-warning-" + UUID.randomUUID();
      LoggerFactory.getLogger("ai.zmarty.test.FeedProbe").warn("something odd: {}", marker);
      JsonObject errors = s.awaitRec(WAIT, Addresses.ADMIN_ERRORS, b -> b.encode().contains(marker));
      JsonObject event = errors.getJsonArray("errors").stream().map(JsonObject.class::cast).filter(e -> e.getString("message").contains(marker)).findFirst().orElseThrow();
      assertThat(event.getString("level")).isEqualTo("WARN");
      assertThat(event.getString("logger")).isEqualTo("ai.zmarty.test.FeedProbe");
      assertThat(event.getString("node")).contains(":" + ProcessHandle.current().pid());

      JsonObject lens = s.awaitRec(WAIT, Addresses.ADMIN_LENS, b -> b.containsKey("events_by_status"));
      assertThat(lens.containsKey("error")).as(lens.encode()).isFalse();
      assertThat(lens.getJsonObject("events_by_status").getLong("queued")).isEqualTo(2);
      assertThat(lens.getJsonObject("events_by_status").getLong("failed")).isEqualTo(1);
      assertThat(lens.getJsonObject("open_dlq_by_stage").fieldNames()).containsExactly("enrich");
      assertThat(lens.getJsonObject("open_dlq_by_stage").getLong("enrich")).isEqualTo(1);

      JsonObject credits = s.awaitRec(WAIT, Addresses.ADMIN_CREDITS, b -> b.containsKey("top_users"));
      assertThat(credits.getJsonArray("top_users").getJsonObject(0).getString("user_id")).isEqualTo(user.toString());
      assertThat(credits.getJsonArray("top_users").getJsonObject(0).getLong("credits")).isEqualTo(7);
      JsonObject offline = credits.getJsonArray("providers").getJsonObject(0);
      assertThat(offline.getString("provider")).isEqualTo("offline");
      assertThat(offline.getLong("tokens_in")).isEqualTo(120);
      assertThat(offline.getLong("tokens_out")).isEqualTo(300);
      java.time.Instant received = java.time.Instant.now();
      assertThat(credits.getJsonArray("chats_per_minute").stream().mapToLong(m -> ((JsonObject) m).getLong("chats")).sum()).isEqualTo(1);
      // the chat counts in "this minute" while the minute it was charged in lasts: when the snapshot
      // was made (between the charge and its receipt) is only known to that bracket's minutes
      if (charged.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).equals(received.truncatedTo(java.time.temporal.ChronoUnit.MINUTES))) {
        assertThat(credits.getLong("chats_this_minute")).isEqualTo(1);
      } else {
        assertThat(credits.getLong("chats_this_minute")).isBetween(0L, 1L);
      }
      assertThat(credits.getJsonObject("outcomes_since_start").fieldNames()).contains("refused_402", "rate_limited");

      JsonObject cron = s.awaitRec(WAIT, Addresses.ADMIN_CRON, b -> b.containsKey("jobs"));
      assertThat(cron.getJsonArray("jobs").stream().map(j -> ((JsonObject) j).getString("job")).toList()).containsExactly("ingest_indicators", "compute_winrate", "nightly");
      assertThat(cron.getJsonArray("jobs").getJsonObject(0).containsKey("missed")).isTrue();

      JsonObject health = s.awaitRec(WAIT, Addresses.ADMIN_HEALTH, b -> b.containsKey("checks"));
      assertThat(health.getString("status")).isIn("healthy", "warning", "critical");
    }
  }

  @Test
  void thePageAndItsLibrariesAreServedAndTheAdminJsonRoutesKeepTheirGuard(Vertx vertx) throws Exception {
    TestNode node = TestNode.api(vertx, TestDatabases.migrated(), java.util.Map.of());
    HttpResponse<Buffer> page = get(node, "/admin/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    assertThat(page.getHeader("content-security-policy")).contains("default-src 'self'");
    assertThat(page.bodyAsString()).contains("Zmarty admin", "/admin-assets/admin.js", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
    HttpResponse<Buffer> bare = get(node, "/admin", null);
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.getHeader("location")).isEqualTo("/admin/");
    for (String asset : new String[] {"/admin-assets/admin.js", "/admin-assets/bridge.js", "/admin-assets/admin.css", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
        "/webjars/uplot/1.6.30/dist/uPlot.min.css", "/webjars/sockjs-client/1.6.1/dist/sockjs.min.js"}) {
      HttpResponse<Buffer> r = get(node, asset, null);
      assertThat(r.statusCode()).as(asset).isEqualTo(200);
      assertThat(r.body().length()).as(asset).isGreaterThan(500);
    }
    assertThat(get(node, "/admin-assets/../logback.xml", null).statusCode()).isEqualTo(404);
    assertThat(get(node, "/webjars/../logback.xml", null).statusCode()).isEqualTo(404);
    // the JSON routes under /admin/ still need a service-role token
    assertThat(get(node, "/admin/cron", null).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> user = get(node, "/admin/health", TestJwt.valid(UUID.randomUUID()));
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(user.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
  }

  private static HttpResponse<Buffer> get(TestNode node, String path, String token) throws Exception {
    var request = node.client().get(node.port(), "127.0.0.1", path).followRedirects(false);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request.send().await(10, TimeUnit.SECONDS);
  }
}
