package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The signed A→B sync end to end: rows written in A's user_symbols (by the service and by a user
 * under RLS) reach B's watchers through the outbox, the relay, real HTTP and the hook.
 */
@ExtendWith(VertxExtension.class)
class WatchersSyncTest {
  private static final String SECRET = "sync-test-secret-sync-test-secret-0001";

  private TestDatabases.Pair dbs;
  private PgUrl a;
  private PgUrl b;
  private Pool relayPool;

  @BeforeEach
  void databases() {
    dbs = TestDatabases.migrated();
    a = dbs.chat();
    b = dbs.trading();
  }

  @AfterEach
  void closePool() throws Exception {
    if (relayPool != null) {
      relayPool.close().await(5, TimeUnit.SECONDS);
    }
  }

  private ZmartyConfig config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of("WEBHOOK_SECRET", SECRET, "SYNC_BACKOFF_MAX", "1s", "SYNC_POLL", "200ms"));
    env.putAll(overrides);
    return dbs.config(env);
  }

  // --- A: users and their symbols ------------------------------------------------------------

  private UUID user() {
    UUID id = UUID.randomUUID();
    Sql.exec(a, "insert into auth.users (id) values ('" + id + "')");
    Sql.exec(a, "insert into profiles (id) values ('" + id + "')");
    return id;
  }

  private long watch(UUID user, String symbol, String timeframe) {
    return Long.parseLong(Sql.one(a, "insert into user_symbols (user_id, symbol, timeframe) values ('" + user + "', '" + symbol + "', '" + timeframe + "') returning id"));
  }

  /** The insert a signed-in user makes through PostgREST: role authenticated, their claims, RLS on. */
  private void watchAsUser(UUID user, String symbol, String timeframe) throws SQLException {
    try (Connection c = Sql.connect(a)) {
      c.setAutoCommit(false);
      try (PreparedStatement claims = c.prepareStatement("select set_config('request.jwt.claims', ?, true)")) {
        claims.setString(1, "{\"sub\":\"" + user + "\",\"role\":\"authenticated\"}");
        claims.execute();
      }
      try (Statement s = c.createStatement()) {
        s.execute("set local role authenticated");
        s.executeUpdate("insert into user_symbols (user_id, symbol, timeframe) values ('" + user + "', '" + symbol + "', '" + timeframe + "')");
      }
      c.commit();
    }
  }

  // --- B: what the sync produced --------------------------------------------------------------

  private List<String> watchers() {
    return Sql.column(b, "select user_id || ' ' || symbol || ' ' || timeframe || ' ' || active from watchers order by 1");
  }

  private List<String> ingestMessages() {
    return Sql.column(b, "select (message->>'symbol') || ' ' || (message->>'timeframe') from pgmq.q_ingest_indicators order by 1");
  }

  private long outboxRows() {
    return Sql.count(a, "select count(*) from sync_outbox");
  }

  private long undelivered() {
    return Sql.count(a, "select count(*) from sync_outbox where delivered_at is null");
  }

  private long deliveries() {
    return Sql.count(b, "select count(*) from sync_deliveries");
  }

  private static String w(UUID user, String symbol, String timeframe, boolean active) {
    return user + " " + symbol + " " + timeframe + " " + active;
  }

  // --- the parts under test ---------------------------------------------------------------------

  private OutboxRelayVerticle deployRelay(Vertx vertx, ZmartyConfig config, String url) throws Exception {
    relayPool = Pools.create(vertx, a, 4, "test-relay");
    OutboxRelayVerticle relay = new OutboxRelayVerticle(relayPool, Pools.connectOptions(a, "test-listen"), config.sync(), () -> SECRET, () -> url);
    vertx.deployVerticle(relay).await(10, TimeUnit.SECONDS);
    return relay;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String hookUrl(int port) {
    return "http://127.0.0.1:" + port + WatchersUpsertHook.PATH;
  }

  private static HttpResponse<Buffer> post(Vertx vertx, int port, String body, String timestamp, String signature) throws Exception {
    var request = WebClient.create(vertx).post(port, "127.0.0.1", WatchersUpsertHook.PATH).putHeader("content-type", "application/json");
    if (timestamp != null) {
      request.putHeader(WebhookSignature.TIMESTAMP_HEADER, timestamp);
    }
    if (signature != null) {
      request.putHeader(WebhookSignature.SIGNATURE_HEADER, signature);
    }
    return request.sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> postSigned(Vertx vertx, int port, String body) throws Exception {
    String ts = Long.toString(Instant.now().getEpochSecond());
    return post(vertx, port, body, ts, new WebhookSignature(SECRET, Duration.ofMinutes(5)).sign(ts, body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String insertPayload(UUID event, UUID user, String symbol, String timeframe) {
    JsonObject record = new JsonObject().put("id", 999).put("user_id", user.toString()).put("symbol", symbol).put("timeframe", timeframe);
    return new JsonObject().put("event_id", event.toString()).put("type", "INSERT").put("table", "user_symbols").put("schema", "public").put("record", record).putNull("old_record").encode();
  }

  // --- the stories --------------------------------------------------------------------------------

  @Test
  void theOutboxTriggerWritesAWebhookShapedPayloadAndHidesTheOutboxFromUsers() throws Exception {
    UUID x = user();
    long id = watch(x, "BTC/USDT", "1h");
    Sql.exec(a, "update user_symbols set timeframe = '4h' where id = " + id);
    Sql.exec(a, "delete from user_symbols where id = " + id);

    List<String> payloads = Sql.column(a, "select payload::text from sync_outbox order by id");
    assertThat(payloads).hasSize(3);
    JsonObject insert = new JsonObject(payloads.get(0));
    JsonObject update = new JsonObject(payloads.get(1));
    JsonObject delete = new JsonObject(payloads.get(2));
    assertThat(insert.getString("type")).isEqualTo("INSERT");
    assertThat(insert.getString("table")).isEqualTo("user_symbols");
    assertThat(insert.getString("schema")).isEqualTo("public");
    assertThat(insert.getJsonObject("record").getString("symbol")).isEqualTo("BTC/USDT");
    assertThat(insert.containsKey("old_record")).isTrue();
    assertThat(insert.getValue("old_record")).isNull();
    assertThat(update.getJsonObject("old_record").getString("timeframe")).isEqualTo("1h");
    assertThat(update.getJsonObject("record").getString("timeframe")).isEqualTo("4h");
    assertThat(delete.getValue("record")).isNull();
    assertThat(delete.getJsonObject("old_record").getLong("id")).isEqualTo(id);
    assertThat(Sql.column(a, "select (payload->>'event_id') = event_id::text from sync_outbox")).containsOnly("t");

    // A signed-in user's own insert is captured too, yet the outbox stays invisible to them.
    watchAsUser(x, "ETH/USDT", "1h");
    assertThat(outboxRows()).isEqualTo(4);
    for (String role : List.of("authenticated", "anon")) {
      try (Connection c = Sql.connect(a)) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("set local role " + role);
          s.executeQuery("select count(*) from sync_outbox");
          throw new AssertionError(role + " could read sync_outbox");
        } catch (SQLException e) {
          assertThat(e.getMessage()).contains("permission denied");
        }
        c.rollback();
      }
    }
  }

  @Test
  void symbolChangesInAReachBsWatchersWithOneIngestPerNewPair(Vertx vertx) throws Exception {
    // The whole wiring of one node (api + ops), posting to its own hook on the port it bound.
    // A long poll: only NOTIFY can make a change arrive quickly.
    ZmartyConfig config = config(Map.of("ROLES", "api,ops", "WEBHOOK_URL", "", "SYNC_POLL", "30s", "SCHEDULER_INGEST_CRON", "0 0 * * *", "SCHEDULER_CATCH_UP", "1d", "SCHEDULER_WINRATE_CRON", "0 0 1 1 *", "NIGHTLY_CRON", "0 3 1 1 *"));
    TestNode.start(vertx, config, a, b);
    // The scheduler's first run (nothing watched yet) must not be counted below.
    Eventually.await(Duration.ofSeconds(10), "scheduler's first ingest run", () -> Sql.count(b, "select count(*) from scheduler_runs where job = 'ingest_indicators'") == 1);

    UUID x = user();
    UUID y = user();
    long started = System.nanoTime();
    watch(x, "BTC/USDT", "1h");
    Eventually.await(Duration.ofSeconds(5), "first watcher", () -> watchers().contains(w(x, "BTC/USDT", "1h", true)));
    long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(latencyMs).as("NOTIFY wakes the relay long before its 30 s poll").isLessThan(1000);

    watchAsUser(y, "BTC/USDT", "1h"); // same pair: no second ingest
    long eth = watch(x, "ETH/USDT", "4h");
    Sql.exec(a, "delete from user_symbols where id = " + eth);
    long sol = watch(y, "SOL/USDT", "1d");
    Sql.exec(a, "update user_symbols set timeframe = '4h' where id = " + sol);

    Eventually.await(Duration.ofSeconds(10), "every change delivered", () -> undelivered() == 0 && outboxRows() == 6);
    assertThat(deliveries()).isEqualTo(6);
    assertThat(watchers())
        .containsExactlyInAnyOrder(
            w(x, "BTC/USDT", "1h", true), w(y, "BTC/USDT", "1h", true), w(x, "ETH/USDT", "4h", false), w(y, "SOL/USDT", "1d", false), w(y, "SOL/USDT", "4h", true));
    assertThat(ingestMessages()).containsExactly("BTC/USDT 1h", "ETH/USDT 4h", "SOL/USDT 1d", "SOL/USDT 4h");
    assertThat(Sql.count(a, "select count(*) from sync_outbox where attempts <> 1 or last_error is not null")).isZero();
  }

  @Test
  void changesMadeWhileTheReceiverIsDownAllArriveOnceItIsUp(Vertx vertx) throws Exception {
    int port = freePort();
    ZmartyConfig config = config(Map.of("HTTP_PORT", Integer.toString(port), "ROLES", "api"));
    OutboxRelayVerticle relay = deployRelay(vertx, config, hookUrl(port));

    UUID x = user();
    UUID y = user();
    watch(x, "BTC/USDT", "1h");
    long eth = watch(x, "ETH/USDT", "1h");
    watch(y, "BTC/USDT", "1h");
    watch(y, "SOL/USDT", "1d");
    Sql.exec(a, "delete from user_symbols where id = " + eth); // a second change to one row

    // Four rows are tried and fail; the delete waits behind its row's undelivered insert.
    Eventually.await(Duration.ofSeconds(10), "failed attempts", () -> Sql.count(a, "select count(*) from sync_outbox where attempts > 0") == 4 && relay.failures() >= 6);
    assertThat(undelivered()).isEqualTo(5);
    assertThat(Sql.column(a, "select attempts > 0 from sync_outbox order by id")).containsExactly("t", "t", "t", "t", "f");
    assertThat(Sql.column(a, "select last_error from sync_outbox where attempts > 0")).allSatisfy(e -> assertThat(e).isNotBlank());
    assertThat(Sql.count(a, "select count(*) from sync_outbox where attempts > 0 and next_attempt_at <= created_at")).as("retries pushed into the future").isZero();
    assertThat(watchers()).isEmpty();
    assertThat(deliveries()).isZero();

    // The receiver comes up on that port: everything arrives, in order, once.
    TestNode.start(vertx, config, a, b);
    Eventually.await(Duration.ofSeconds(15), "all delivered", () -> undelivered() == 0);
    assertThat(deliveries()).isEqualTo(outboxRows()).isEqualTo(5);
    assertThat(watchers())
        .containsExactlyInAnyOrder(w(x, "BTC/USDT", "1h", true), w(x, "ETH/USDT", "1h", false), w(y, "BTC/USDT", "1h", true), w(y, "SOL/USDT", "1d", true));
    assertThat(ingestMessages()).containsExactly("BTC/USDT 1h", "ETH/USDT 1h", "SOL/USDT 1d");

    // A delivery posted twice by hand is applied once.
    String body = insertPayload(UUID.randomUUID(), x, "XRP/USDT", "15m");
    HttpResponse<Buffer> first = postSigned(vertx, port, body);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsJsonObject().getString("status")).isEqualTo("applied");
    List<String> watchersAfterFirst = watchers();
    List<String> ingestAfterFirst = ingestMessages();
    assertThat(watchersAfterFirst).contains(w(x, "XRP/USDT", "15m", true));
    assertThat(ingestAfterFirst).contains("XRP/USDT 15m");

    HttpResponse<Buffer> second = postSigned(vertx, port, body);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getString("status")).isEqualTo("duplicate");
    assertThat(watchers()).isEqualTo(watchersAfterFirst);
    assertThat(ingestMessages()).isEqualTo(ingestAfterFirst);
    assertThat(deliveries()).isEqualTo(6);

    // So is a replay of a delivery the relay already made.
    String relayed = Sql.one(a, "select payload::text from sync_outbox order by id limit 1");
    assertThat(postSigned(vertx, port, relayed).bodyAsJsonObject().getString("status")).isEqualTo("duplicate");
    assertThat(watchers()).isEqualTo(watchersAfterFirst);
  }

  @Test
  void eachAppliedDeliveryAnnouncesTheUserWhosePairsChangedAndARepeatDoesNot(Vertx vertx) throws Exception {
    int port = TestNode.start(vertx, config(Map.of("ROLES", "api")), a, b).port();
    List<String> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(ai.zmarty.bus.Addresses.EVENTS_WATCHLIST_CHANGED, m -> announced.add(m.body().getString("user_id"))).completion().await(5, TimeUnit.SECONDS);
    UUID x = user();
    UUID y = user();
    String first = insertPayload(UUID.randomUUID(), x, "BTC/USDT", "1h");

    assertThat(postSigned(vertx, port, first).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> repeat = postSigned(vertx, port, first);
    assertThat(repeat.bodyAsJsonObject().getString("status")).isEqualTo("duplicate");
    assertThat(post(vertx, port, insertPayload(UUID.randomUUID(), y, "ETH/USDT", "1h"), null, null).statusCode()).isEqualTo(401);
    assertThat(postSigned(vertx, port, insertPayload(UUID.randomUUID(), y, "SOL/USDT", "4h")).statusCode()).isEqualTo(200);

    Eventually.await(Duration.ofSeconds(5), "the second applied delivery's event", () -> announced.contains(y.toString()));
    assertThat(announced).containsExactly(x.toString(), y.toString());
  }

  @Test
  void forgedStaleOrMalformedDeliveriesChangeNothing(Vertx vertx) throws Exception {
    int port = TestNode.start(vertx, config(Map.of("ROLES", "api")), a, b).port();
    UUID x = user();
    String body = insertPayload(UUID.randomUUID(), x, "BTC/USDT", "1h");
    WebhookSignature signer = new WebhookSignature(SECRET, Duration.ofMinutes(5));
    String now = Long.toString(Instant.now().getEpochSecond());
    String sig = signer.sign(now, body.getBytes(StandardCharsets.UTF_8));

    String tampered = body.replace("BTC/USDT", "ETH/USDT");
    String stale = Long.toString(Instant.now().getEpochSecond() - 330); // outside the 300 s tolerance with room for a slow machine
    String future = Long.toString(Instant.now().getEpochSecond() + 330);
    WebhookSignature stranger = new WebhookSignature("someone-elses-secret-someone-elses-00", Duration.ofMinutes(5));
    List<HttpResponse<Buffer>> refused =
        List.of(
            post(vertx, port, tampered, now, sig),
            post(vertx, port, body, stale, signer.sign(stale, body.getBytes(StandardCharsets.UTF_8))),
            post(vertx, port, body, future, signer.sign(future, body.getBytes(StandardCharsets.UTF_8))),
            post(vertx, port, body, now, stranger.sign(now, body.getBytes(StandardCharsets.UTF_8))),
            post(vertx, port, body, null, null));
    for (HttpResponse<Buffer> r : refused) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.getHeader("content-type")).isEqualTo("application/json");
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
      assertThat(r.bodyAsJsonObject().getString("message")).isNotBlank();
    }

    HttpResponse<Buffer> notJson = postSigned(vertx, port, "{not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    HttpResponse<Buffer> wrongShape = postSigned(vertx, port, "{\"event_id\":\"" + UUID.randomUUID() + "\",\"type\":\"INSERT\",\"table\":\"user_symbols\",\"schema\":\"public\"}");
    assertThat(wrongShape.statusCode()).isEqualTo(400);
    assertThat(wrongShape.bodyAsJsonObject().getString("message")).contains("record");

    assertThat(watchers()).isEmpty();
    assertThat(deliveries()).isZero();
    assertThat(ingestMessages()).isEmpty();

    // The genuine article, for contrast.
    assertThat(post(vertx, port, body, now, sig).statusCode()).isEqualTo(200);
    assertThat(watchers()).containsExactly(w(x, "BTC/USDT", "1h", true));
  }
}
