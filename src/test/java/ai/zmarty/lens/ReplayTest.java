package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.Wiring;
import ai.zmarty.config.PgUrl;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code zmarty lens replay}'s work on stored signals in B: the stored signal and payload judged
 * again by the evaluation stage's own panel (the offline rules; GPT through a fake server speaking
 * OpenAI's wire format), old beside new.
 */
class ReplayTest {
  /** 15m and 1h trend up, 4h down. */
  private static final String MIXED = "{\"ta\": {\"15m\": {\"ema_9\": 103, \"ema_21\": 102, \"ema_50\": 101, \"rsi_14\": 55}, \"1h\": {\"ema_9\": 103, \"ema_21\": 102, \"ema_50\": 100}, \"4h\": {\"ema_9\": 99, \"ema_21\": 100, \"ema_50\": 101, \"atr_14\": 2}}, \"quality\": {}}";
  /** Every timeframe trends up. */
  private static final String ALL_UP = "{\"ta\": {\"15m\": {\"ema_9\": 103, \"ema_21\": 102, \"ema_50\": 101, \"rsi_14\": 55}, \"1h\": {\"ema_9\": 103, \"ema_21\": 102, \"ema_50\": 100}, \"4h\": {\"ema_9\": 103, \"ema_21\": 102, \"ema_50\": 101, \"atr_14\": 2}}, \"quality\": {}}";
  private static Vertx vertx;
  private static TestDatabases.Pair dbs;
  private static Pool pool;
  private static UUID mixedLong;
  private static UUID mixedShort;
  private static UUID allUpLong;

  @BeforeAll
  static void stored() {
    dbs = TestDatabases.migrated();
    PgUrl b = dbs.trading();
    Decisions.source(b, "bot1", "zks_replay-test-key-0123456789abcdefghijklmnopq", false);
    mixedLong = signal(b, "long", "2026-11-10T12:00:00Z", MIXED);
    mixedShort = signal(b, "short", "2026-11-11T12:00:00Z", MIXED);
    allUpLong = signal(b, "long", "2026-11-12T12:00:00Z", ALL_UP);
    UUID outside = signal(b, "long", "2026-12-01T12:00:00Z", MIXED);
    decision(b, mixedLong, "offline", "ENTER", 0.8, "offline-rules-v0");
    decision(b, mixedLong, "gpt", "WAIT", 0.55, "core-v1+gpt-v1");
    decision(b, mixedShort, "offline", "IGNORE", 0.67, "offline-rules-v1");
    decision(b, outside, "offline", "ENTER", 0.9, "offline-rules-v1");
    vertx = Vertx.vertx();
    pool = Pools.create(vertx, b, 2, "replay-test");
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static UUID signal(PgUrl b, String direction, String at, String payload) {
    UUID id = UUID.randomUUID();
    Sql.exec(b, "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, size, ts_utc, feature_profile, body, status, received_at) values ('"
        + id + "', 'bot1', 'h', 'OPEN_SIGNAL', 'BTC/USDT', '" + direction + "', 100, 0.5, '" + at + "', 'trend_follow_v1', '{}', 'published', '" + at + "')");
    Sql.exec(b, "insert into lens.enriched_events (event_id, provider, provider_version, signal_age_seconds, model_payload, enrichment_duration_ms) values ('"
        + id + "', 'simulated', '1', 1.5, '" + payload + "', 12)");
    return id;
  }

  private static void decision(PgUrl b, UUID event, String model, String decision, double confidence, String version) {
    Sql.exec(b, "insert into lens.model_decisions (event_id, model, status, decision, confidence, prompt_version, prompt_hash, latency_ms) values ('"
        + event + "', '" + model + "', 'ok', '" + decision + "', " + confidence + ", '" + version + "', 'x', 5)");
  }

  /** The panel the command builds from the configuration (LENS_MODELS, or --models in its place). */
  private static EvaluationPanel panel(Map<String, String> env) {
    ZmartyConfig config = dbs.config(env);
    return EvaluationPanel.of(vertx, config.lensEvaluate(), config.providers(), Wiring.pricing(config.chat()));
  }

  private static List<ReplayRun.Compared> replay(EvaluationPanel panel, Optional<String> version) throws Exception {
    return new ReplayRun(pool, ReplayJudge.of(panel)).run(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), panel.models(), version).await(60, TimeUnit.SECONDS);
  }

  private static ReplayRun.Compared row(List<ReplayRun.Compared> rows, UUID event, String model) {
    return rows.stream().filter(r -> r.eventId().equals(event.toString()) && r.model().equals(model)).findFirst().orElseThrow();
  }

  @Test
  void theOfflineRulesJudgeEachStoredPayloadAgainBesideItsOldAnswer() throws Exception {
    List<ReplayRun.Compared> rows = replay(panel(Map.of()), Optional.empty());
    // three signals in [Nov 1, Dec 1), one model (LENS_MODELS's default, offline); the Dec 1 signal is outside
    assertThat(rows).hasSize(3);
    // 2 of 3 timeframes with the long, 1 against: score 1/3 → WAIT at 0.5 + (1/3)/2 = 0.67
    ReplayRun.Compared a = row(rows, mixedLong, "offline");
    assertThat(a.old().orElseThrow().getString("decision")).isEqualTo("ENTER");
    assertThat(a.now()).isEqualTo(new JsonObject().put("status", "ok").put("decision", "WAIT").put("confidence", 0.67).put("prompt_version", "offline-rules-v1"));
    assertThat(a.changed()).isTrue();
    // the same payload against a short: 2 of 3 against → IGNORE at 0.67, as stored
    ReplayRun.Compared b = row(rows, mixedShort, "offline");
    assertThat(b.now().getString("decision")).isEqualTo("IGNORE");
    assertThat(b.now().getDouble("confidence")).isEqualTo(0.67);
    assertThat(b.changed()).isFalse();
    // every timeframe with the long, RSI 55: score 1 → ENTER at 0.95; nothing stored for it
    ReplayRun.Compared c = row(rows, allUpLong, "offline");
    assertThat(c.now().getString("decision")).isEqualTo("ENTER");
    assertThat(c.now().getDouble("confidence")).isEqualTo(0.95);
    assertThat(c.old()).isEmpty();

    String text = ReplayReport.text(rows);
    assertThat(text).contains(mixedLong + "  BTC/USDT    long   offline       ENTER 0.80            WAIT 0.67             changed");
    assertThat(text).contains(mixedShort + "  BTC/USDT    short  offline       IGNORE 0.67           IGNORE 0.67");
    assertThat(text).endsWith("3 decisions compared, 2 changed (66.7 %), 1 without a stored decision" + System.lineSeparator());
    JsonObject json = ReplayReport.json(rows);
    assertThat(json.getInteger("compared")).isEqualTo(3);
    assertThat(json.getLong("changed")).isEqualTo(2);

    // --prompt-version: only stored decisions of that version are the old side
    List<ReplayRun.Compared> v1 = replay(panel(Map.of()), Optional.of("offline-rules-v1"));
    assertThat(v1.stream().filter(r -> r.old().isPresent()).map(ReplayRun.Compared::eventId).toList()).containsExactly(mixedShort.toString());
  }

  @Test
  void gptIsAskedThroughItsProviderWithTheStoredSignalAndPayloadOnly() throws Exception {
    FakeProvider gpt = FakeProvider.start(vertx).always(FakeProvider.sse("openai/decision.sse"));
    try {
      // --models gpt: LENS_MODELS=gpt for the run, its key and base URL from the configuration
      EvaluationPanel panel = panel(Map.of("LENS_MODELS", "gpt", "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", gpt.baseUrl("/v1")));
      List<ReplayRun.Compared> rows = replay(panel, Optional.empty());
      assertThat(rows).hasSize(3).allSatisfy(r -> assertThat(r.model()).isEqualTo("gpt"));
      ReplayRun.Compared a = row(rows, mixedLong, "gpt");
      assertThat(a.old().orElseThrow().getString("decision")).isEqualTo("WAIT");
      // the fake's recorded answer: ENTER at 0.74, with the wrapper's prompt version
      assertThat(a.now().getString("status")).isEqualTo("ok");
      assertThat(a.now().getString("decision")).isEqualTo("ENTER");
      assertThat(a.now().getDouble("confidence")).isEqualTo(0.74);
      assertThat(a.now().getString("prompt_version")).startsWith("core-").contains("+gpt-");
      assertThat(a.changed()).isTrue();

      // one request per signal, each with a structured-output schema and exactly the stored signal and payload
      assertThat(gpt.requests).hasSize(3);
      for (FakeProvider.Recorded req : gpt.requests) {
        assertThat(req.path()).isEqualTo("/v1/chat/completions");
        assertThat(req.body().getJsonObject("response_format").getString("type")).isEqualTo("json_schema");
        JsonObject user = new JsonObject(req.body().getJsonArray("messages").stream().map(m -> (JsonObject) m)
            .filter(m -> "user".equals(m.getString("role"))).findFirst().orElseThrow().getString("content"));
        JsonObject signal = user.getJsonObject("signal");
        String id = Sql.one(dbs.trading(), "select event_id from lens.events where ts_utc = '" + signal.getString("ts_utc") + "'");
        String payload = Sql.one(dbs.trading(), "select model_payload::text from lens.enriched_events where event_id = '" + id + "'");
        assertThat(user.getJsonObject("enriched")).isEqualTo(new JsonObject(payload));
        assertThat(signal).isEqualTo(new JsonObject().put("event_type", "OPEN_SIGNAL").put("symbol", "BTC/USDT").put("direction", signal.getString("direction"))
            .put("entry_price", 100.0).put("size", 0.5).put("liquidation_price", null).put("ts_utc", signal.getString("ts_utc")).put("source", "bot1").put("feature_profile", "trend_follow_v1"));
      }
    } finally {
      gpt.close().await();
    }
  }
}
