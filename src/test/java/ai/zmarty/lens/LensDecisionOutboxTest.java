package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.credit.Pricing;
import ai.zmarty.db.Pools;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.outbox.EventPublisherVerticle;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.RawWebSocket;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, "lens decisions through the outbox": a decision's bus message is written with its row
 * and published after the commit, so a worker that dies in between loses nothing, and a socket
 * drops a repeat by {@code decision_id}. Real PostgreSQL, the real outbox publisher, a real API
 * node's {@code /ws/decisions}.
 */
class LensDecisionOutboxTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String KEY = "zks_outbox-test-key-0123456789abcdefghijklmnopq";
  private static final String PAYLOAD = "{\"ta\":{\"1h\":{\"ema_9\":102,\"ema_21\":100,\"ema_50\":98,\"rsi_14\":60,\"atr_14\":300}},\"quality\":{}}";
  private static Vertx vertx;
  private static TestDatabases.Pair dbs;
  private static TestNode api;
  private static Pool pool;
  private static ZmartyConfig config;

  @BeforeAll
  static void node() throws Exception {
    vertx = Vertx.vertx();
    dbs = TestDatabases.migrated();
    Decisions.source(dbs.trading(), "bot1", KEY, false);
    api = TestNode.api(vertx, dbs, Map.of());
    pool = Pools.create(vertx, dbs.trading(), 2, "outbox-lens-test");
    config = dbs.config(Map.of());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static UUID enrichedEvent() {
    UUID id = UUID.randomUUID();
    Sql.exec(dbs.trading(), "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status, enriched_at) "
        + "values ('" + id + "', 'bot1', 'h', 'OPEN_SIGNAL', 'BTC/USDT', 'long', 64000, now(), 'trend_follow_v1', '{}', 'enriched', now())");
    Sql.exec(dbs.trading(), "insert into lens.enriched_events (event_id, provider, provider_version, signal_age_seconds, model_payload, enrichment_duration_ms) "
        + "values ('" + id + "', 'simulated', 'test', 1.5, '" + PAYLOAD + "', 12)");
    return id;
  }

  private static EvaluationOutcome offline(UUID id) {
    JsonObject signal = new JsonObject().put("symbol", "BTC/USDT").put("event_type", "OPEN_SIGNAL").put("direction", "long").put("entry_price", 64000.0);
    ModelDecision d = new OfflineEvaluator().evaluate(signal, new JsonObject(PAYLOAD));
    return new EvaluationOutcome(OfflineEvaluator.NAME, EvaluationOutcome.OK, d, null, null, null, OfflineEvaluator.VERSION, OfflineEvaluator.HASH, 1, 0, 0, 0, Instant.now());
  }

  private static RawWebSocket subscribed() throws Exception {
    RawWebSocket ws = RawWebSocket.connect(api.port(), "/ws/decisions", Map.of("X-API-Key", KEY));
    assertThat(ws.upgraded()).as(ws.status()).isTrue();
    assertThat(ws.nextJson(WAIT).getString("type")).isEqualTo("ready");
    ws.sendText("{\"op\":\"subscribe\"}");
    assertThat(ws.nextJson(WAIT).getString("type")).isEqualTo("subscribed");
    return ws;
  }

  /** A decision of another event published after whatever came before: the next frame proves nothing else was sent first. */
  private static void assertNextIsTheMarker(RawWebSocket ws) throws Exception {
    JsonObject marker = Decisions.decision("gpt", "ETH/USDT", "OPEN_SIGNAL");
    vertx.eventBus().publish(Addresses.EVENTS_LENS_DECISION, marker);
    assertThat(ws.nextJson(WAIT).getJsonObject("data")).isEqualTo(marker);
  }

  private static String outbox(String column, String decisionId) {
    return Sql.one(dbs.trading(), "select " + column + " from event_outbox where event_id = '" + decisionId + "'");
  }

  @Test
  void aDecisionWhosePublishStepWasLostReachesTheSocketOnceAndItsRepeatIsDropped() throws Exception {
    UUID id = enrichedEvent();
    try (RawWebSocket ws = subscribed()) {
      // the worker commits its decision (row, status evaluated, outbox row held 2 s for it) and dies before publishing
      EvaluateStore store = new EvaluateStore(pool, "dead-worker", Duration.ofSeconds(2));
      long committed = System.nanoTime();
      List<JsonObject> written = store.commit(id, Instant.now(), List.of(offline(id))).await(10, TimeUnit.SECONDS);
      assertThat(written).hasSize(1);
      String decisionId = written.get(0).getString("decision_id");
      assertThat(decisionId).isEqualTo(Sql.one(dbs.trading(), "select decision_id from lens.model_decisions where event_id = '" + id + "'"));
      assertThat(outbox("address", decisionId)).isEqualTo(Addresses.EVENTS_LENS_DECISION);
      assertThat(outbox("published_at is null", decisionId)).isEqualTo("t");

      // another worker's outbox publisher: it leaves the row alone while the hold lasts, then publishes it
      vertx.deployVerticle(new EventPublisherVerticle(pool, Pools.connectOptions(dbs.trading(), "outbox-lens-listen"), Duration.ofMillis(100))).await(10, TimeUnit.SECONDS);
      JsonObject frame = ws.nextJson(WAIT);
      long waitedMs = (System.nanoTime() - committed) / 1_000_000;
      assertThat(frame.getString("type")).isEqualTo("decision");
      assertThat(frame.getJsonObject("data")).isEqualTo(written.get(0));
      assertThat(waitedMs).as("published only after the writer's hold").isGreaterThanOrEqualTo(1_900);
      Eventually.await(WAIT, "outbox row marked", () -> "f".equals(outbox("published_at is null", decisionId)));

      // the job's redelivery finds the event evaluated and publishes its decisions again (same decision_id): dropped
      Metrics metrics = Metrics.create(config.metrics());
      EvaluateVerticle worker = new EvaluateVerticle(pool, EvaluationPanel.of(vertx, config.lensEvaluate(), config.providers(), new Pricing(Map.of())), metrics.evaluate(), 5, "second-worker");
      vertx.deployVerticle(worker).await(10, TimeUnit.SECONDS);
      JsonObject reply = worker.evaluate(id).await(20, TimeUnit.SECONDS);
      assertThat(reply.getString("outcome")).isEqualTo("published");
      assertThat(Sql.one(dbs.trading(), "select status from lens.events where event_id = '" + id + "'")).isEqualTo("published");
      // and the very same message published twice more on the bus: still once on the socket
      vertx.eventBus().publish(Addresses.EVENTS_LENS_DECISION, written.get(0));
      vertx.eventBus().publish(Addresses.EVENTS_LENS_DECISION, written.get(0));
      assertNextIsTheMarker(ws);

      // the ordinary path: the worker publishes at once and marks the row, so no publisher sends it again
      UUID second = enrichedEvent();
      JsonObject done = worker.evaluate(second).await(20, TimeUnit.SECONDS);
      assertThat(done.getString("outcome")).isEqualTo("published");
      JsonObject fresh = ws.nextJson(WAIT).getJsonObject("data");
      assertThat(fresh.getString("event_id")).isEqualTo(second.toString());
      assertThat(outbox("published_at is not null", fresh.getString("decision_id"))).isEqualTo("t");
      assertNextIsTheMarker(ws);
    }
  }
}
