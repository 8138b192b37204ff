package ai.zmarty.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Wiring;
import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HealthzTest {

  private static HttpResponse<Buffer> get(Vertx vertx, int port, String path) throws Exception {
    return WebClient.create(vertx).get(port, "127.0.0.1", path).send().await(15, TimeUnit.SECONDS);
  }

  private static JsonObject check(JsonObject body, String name) {
    JsonArray checks = body.getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (name.equals(checks.getJsonObject(i).getString("name"))) {
        return checks.getJsonObject(i);
      }
    }
    throw new AssertionError("no check " + name + " in " + body.encode());
  }

  @Test
  void upWhenBothDatabasesAnswerAndQueuesAreShallow(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Wiring w = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api")), dbs.chat(), dbs.trading()).wiring();

    HttpResponse<Buffer> r = get(vertx, w.httpPort().orElseThrow(), "/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(check(body, "database_chat").getString("status")).isEqualTo("UP");
    assertThat(check(body, "database_trading").getString("status")).isEqualTo("UP");
    assertThat(check(body, "queue:ingest_indicators").getLong("depth")).isZero();
  }

  @Test
  void aThousandFreshMessagesAreHealthyAndTheirDepthIsReported(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Sql.exec(dbs.trading(), "select pgmq.send('ingest_indicators', jsonb_build_object('symbol', 'Z' || g || '/USDT', 'timeframe', '1h')) from generate_series(1, 1000) g");
    Wiring w = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api")), dbs.chat(), dbs.trading()).wiring();

    HttpResponse<Buffer> r = get(vertx, w.httpPort().orElseThrow(), "/healthz");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject queue = check(r.bodyAsJsonObject(), "queue:ingest_indicators");
    assertThat(queue.getString("status")).isEqualTo("UP");
    assertThat(queue.getLong("depth")).isEqualTo(1000);
    assertThat(queue.getLong("waiting")).isEqualTo(1000);
    assertThat(queue.getLong("max_age_s")).isEqualTo(120);
  }

  @Test
  void downWhenAQueuesOldestReadyMessageWaitedLongerThanTheMaxAge(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Sql.exec(dbs.trading(), "select pgmq.send('compute_signals', '{}'::jsonb)");
    Sql.exec(dbs.trading(), "select pgmq.send('compute_signals', '{}'::jsonb)");
    // one became ready 200 s ago and no worker took it; the other is fresh
    Sql.exec(dbs.trading(), "update pgmq.q_compute_signals set vt = now() - interval '200 seconds', enqueued_at = now() - interval '200 seconds' where msg_id = (select min(msg_id) from pgmq.q_compute_signals)");
    // dead letters wait for an operator, not a worker: never judged by age
    Sql.exec(dbs.trading(), "select pgmq.send('dead_letter', '{}'::jsonb)");
    Sql.exec(dbs.trading(), "update pgmq.q_dead_letter set vt = now() - interval '1 day'");
    Wiring w = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api")), dbs.chat(), dbs.trading()).wiring();

    HttpResponse<Buffer> r = get(vertx, w.httpPort().orElseThrow(), "/healthz");
    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = r.bodyAsJsonObject();
    JsonObject stale = check(body, "queue:compute_signals");
    assertThat(stale.getString("status")).isEqualTo("DOWN");
    assertThat(stale.getLong("depth")).isEqualTo(2);
    assertThat(stale.getLong("oldest_wait_s")).isBetween(200L, 260L);
    assertThat(stale.getString("error")).contains("waited");
    assertThat(check(body, "queue:dead_letter").getString("status")).isEqualTo("UP");
    assertThat(check(body, "queue:dead_letter").getLong("depth")).isEqualTo(1);
    assertThat(check(body, "queue:ingest_indicators").getString("status")).isEqualTo("UP");
  }

  @Test
  void concurrentCallsShareOneRoundAndARoundServesForOneSecond(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Wiring w = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api")), dbs.chat(), dbs.trading()).wiring();
    int port = w.httpPort().orElseThrow();
    WebClient client = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions(), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(50));
    java.util.List<io.vertx.core.Future<HttpResponse<Buffer>>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(client.get(port, "127.0.0.1", "/healthz").send());
    }
    io.vertx.core.Future.all(calls).await(30, TimeUnit.SECONDS);
    java.util.Set<String> rounds = new java.util.HashSet<>();
    calls.forEach(c -> rounds.add(c.result().bodyAsJsonObject().getString("checked_at")));
    assertThat(rounds).as("50 concurrent calls, one round of checks").hasSize(1);
    String first = rounds.iterator().next();
    ai.zmarty.testing.Eventually.await(java.time.Duration.ofSeconds(15), "a new round after a second", () -> {
      try {
        return !get(vertx, port, "/healthz").bodyAsJsonObject().getString("checked_at").equals(first);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void downWhenADatabaseDoesNotAnswer(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    PgUrl nowhere = new PgUrl("127.0.0.1", 1, "chat", "postgres", "", Map.of());
    ZmartyConfig config = dbs.config(Map.of("ROLES", "api", "HEALTH_CHECK_TIMEOUT", "2s"));
    Wiring w = TestNode.start(vertx, config, nowhere, dbs.trading()).wiring();

    HttpResponse<Buffer> r = get(vertx, w.httpPort().orElseThrow(), "/healthz");
    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(check(body, "database_chat").getString("status")).isEqualTo("DOWN");
    assertThat(check(body, "database_chat").getString("error")).isNotBlank();
    assertThat(check(body, "database_trading").getString("status")).isEqualTo("UP");
  }

  @Test
  void unknownRoutesAnswerJson404(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    Wiring w = TestNode.start(vertx, dbs.config(Map.of("ROLES", "api")), dbs.chat(), dbs.trading()).wiring();
    HttpResponse<Buffer> r = get(vertx, w.httpPort().orElseThrow(), "/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
  }
}
