package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Wiring;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, findings 2 and 5: a correctly signed delivery whose pair the API would refuse (an SQL
 * fragment as symbol, timeframe {@code 17y}, a NUL in the symbol) is answered 400 and changes
 * nothing in B; the relay marks such a delivery refused instead of sending it forever.
 */
@ExtendWith(VertxExtension.class)
class WebhookValidationTest {
  private static final String SECRET = "validation-test-secret-validation-0001";

  private TestDatabases.Pair dbs;

  @BeforeEach
  void databases() {
    dbs = TestDatabases.migrated();
  }

  private Wiring node(Vertx vertx, String roles) throws Exception {
    return TestNode.start(vertx, dbs.config(Map.of("ROLES", roles, "WEBHOOK_SECRET", SECRET, "SYNC_POLL", "200ms", "SYNC_BACKOFF_MAX", "1s")), dbs.chat(), dbs.trading()).wiring();
  }

  private static String insert(UUID user, String symbol, String timeframe) {
    JsonObject record = new JsonObject().put("id", 7).put("user_id", user.toString()).put("symbol", symbol).put("timeframe", timeframe);
    return new JsonObject().put("event_id", UUID.randomUUID().toString()).put("type", "INSERT").put("table", "user_symbols").put("schema", "public")
        .put("record", record).putNull("old_record").encode();
  }

  private static HttpResponse<Buffer> signed(Vertx vertx, int port, String body) throws Exception {
    String ts = Long.toString(Instant.now().getEpochSecond());
    String signature = new WebhookSignature(SECRET, Duration.ofMinutes(5)).sign(ts, body.getBytes(StandardCharsets.UTF_8));
    return WebClient.create(vertx).post(port, "127.0.0.1", WatchersUpsertHook.PATH).putHeader("content-type", "application/json")
        .putHeader(WebhookSignature.TIMESTAMP_HEADER, ts).putHeader(WebhookSignature.SIGNATURE_HEADER, signature)
        .sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
  }

  private long written() {
    return Sql.count(dbs.trading(), "select (select count(*) from watchers) + (select count(*) from sync_deliveries) + (select count(*) from pgmq.q_ingest_indicators)");
  }

  @Test
  void signedDeliveriesOfPairsTheApiWouldRefuseAre400AndWriteNothing(Vertx vertx) throws Exception {
    int port = node(vertx, "api").httpPort().orElseThrow();
    UUID user = UUID.randomUUID();
    Map<String, String[]> cases = Map.of(
        "SQL in the symbol", new String[] {"'; drop table watchers; --", "1h", "symbol"},
        "timeframe 17y", new String[] {"BTC/USDT", "17y", "timeframe"},
        "NUL in the symbol", new String[] {"BTC\u0000/USDT", "1h", "symbol"});
    for (var c : cases.entrySet()) {
      HttpResponse<Buffer> r = signed(vertx, port, insert(user, c.getValue()[0], c.getValue()[1]));
      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
      JsonObject body = r.bodyAsJsonObject();
      assertThat(body.getString("error")).as(c.getKey()).isEqualTo("bad_request");
      assertThat(body.getString("message")).as(c.getKey()).startsWith("record: ").contains(c.getValue()[2]).doesNotContain("\u0000");
    }
    assertThat(written()).as("no watcher, receipt or job").isZero();
    assertThat(Sql.count(dbs.trading(), "select count(*) from pg_tables where tablename = 'watchers'")).isEqualTo(1);

    // The same delivery with a pair the API accepts is applied.
    assertThat(signed(vertx, port, insert(user, "BTC/USDT", "1h")).statusCode()).isEqualTo(200);
    assertThat(Sql.column(dbs.trading(), "select symbol || ' ' || timeframe from watchers where active")).containsExactly("BTC/USDT 1h");
  }

  @Test
  void theRelayMarksARefusedDeliveryAndGoesOnWithTheRowsLaterChanges(Vertx vertx) throws Exception {
    UUID user = UUID.randomUUID();
    Sql.exec(dbs.chat(), "insert into auth.users (id) values ('" + user + "')");
    Sql.exec(dbs.chat(), "insert into profiles (id) values ('" + user + "')");
    // a change A's own constraints would not let through, written into the outbox by hand
    JsonObject bad = new JsonObject(insert(user, "BTC/USDT", "17y"));
    Sql.exec(dbs.chat(), "insert into sync_outbox (event_id, payload) values ('" + bad.getString("event_id") + "', '" + bad.encode() + "'::jsonb)");
    JsonObject good = new JsonObject(insert(user, "ETH/USDT", "1h"));
    Sql.exec(dbs.chat(), "insert into sync_outbox (event_id, payload) values ('" + good.getString("event_id") + "', '" + good.encode() + "'::jsonb)");

    node(vertx, "api,ops");

    Eventually.await(Duration.ofSeconds(20), "the bad row refused and the later one delivered",
        () -> Sql.count(dbs.chat(), "select count(*) from sync_outbox where refused_at is not null") == 1
            && Sql.count(dbs.chat(), "select count(*) from sync_outbox where delivered_at is not null") == 1);
    String refused = "select attempts || ' ' || (last_error like 'HTTP 400:%timeframe%') from sync_outbox where refused_at is not null";
    assertThat(Sql.one(dbs.chat(), refused)).isEqualTo("1 true");
    // Not sent again: made due at once, it would be claimed with the next row; that row is
    // delivered and the refused one keeps its single attempt.
    Sql.exec(dbs.chat(), "update sync_outbox set next_attempt_at = now() - interval '1 hour' where refused_at is not null");
    JsonObject later = new JsonObject(insert(user, "SOL/USDT", "1h"));
    Sql.exec(dbs.chat(), "insert into sync_outbox (event_id, payload) values ('" + later.getString("event_id") + "', '" + later.encode() + "'::jsonb)");
    Eventually.await(Duration.ofSeconds(20), "the next row delivered", () -> Sql.count(dbs.chat(), "select count(*) from sync_outbox where delivered_at is not null") == 2);
    assertThat(Sql.one(dbs.chat(), refused)).isEqualTo("1 true");
    assertThat(Sql.column(dbs.trading(), "select symbol || ' ' || timeframe from watchers order by 1")).containsExactly("ETH/USDT 1h", "SOL/USDT 1h");
  }
}
