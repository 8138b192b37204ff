package ai.zmarty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.FakeProvider;
import ai.zmarty.testing.NodeProcess;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code zmarty lens replay} run from the jar against database B: the stored payload judged again by
 * the evaluation panel of the configuration (the offline rules by default, GPT through a fake
 * OpenAI server with {@code --models gpt}), and a model without its key refused as a usage error.
 */
class LensReplayProcessIT {
  /** 15m and 1h trend up, 4h down: the offline rules WAIT a long at 0.67. */
  private static final String MIXED = "{\"ta\": {\"15m\": {\"ema_9\": 103, \"ema_21\": 102, \"ema_50\": 101}, \"1h\": {\"ema_9\": 103, \"ema_21\": 102, \"ema_50\": 100}, \"4h\": {\"ema_9\": 99, \"ema_21\": 100, \"ema_50\": 101}}, \"quality\": {}}";
  private static final String FROM = "2025-03-01";
  private static final String TO = "2025-03-02";
  private static TestDatabases.Pair dbs;
  private static Vertx vertx;
  private static UUID event;

  @BeforeAll
  static void stored() {
    dbs = TestDatabases.migrated();
    PgUrl b = dbs.trading();
    Sql.exec(b, "insert into lens.sources (name, key_hash, key_prefix) values ('replay-it', decode('02', 'hex'), 'zks_repl') on conflict do nothing");
    event = UUID.randomUUID();
    Sql.exec(b, "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status, received_at) values ('"
        + event + "', 'replay-it', 'h', 'OPEN_SIGNAL', 'BTC/USDT', 'long', 100, '2025-03-01T10:00:00Z', 'trend_follow_v1', '{}', 'published', '2025-03-01T10:00:00Z')");
    Sql.exec(b, "insert into lens.enriched_events (event_id, provider, provider_version, signal_age_seconds, model_payload, enrichment_duration_ms) values ('"
        + event + "', 'simulated', '1', 1.5, '" + MIXED + "', 12)");
    Sql.exec(b, "insert into lens.model_decisions (event_id, model, status, decision, confidence, prompt_version, prompt_hash, latency_ms) values ('"
        + event + "', 'offline', 'ok', 'ENTER', 0.8, 'offline-rules-v0', 'x', 5)");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  record Ran(int code, String output) {}

  private static Ran run(Map<String, String> extraEnv, String... args) throws Exception {
    Map<String, String> env = new HashMap<>(dbs.env());
    env.putAll(extraEnv);
    try (NodeProcess p = new NodeProcess("lens-replay", env, args)) {
      p.start();
      int code = p.awaitExit(Duration.ofSeconds(120));
      return new Ran(code, p.output());
    }
  }

  @Test
  void theOfflineRulesByDefaultAndGptWithModelsAndAMissingKeyIsAUsageError() throws Exception {
    Ran offline = run(Map.of(), "lens", "replay", "--from", FROM, "--to", TO);
    assertThat(offline.code()).as(offline.output()).isZero();
    assertThat(offline.output()).containsPattern(event + " +BTC/USDT +long +offline +ENTER 0\\.80 +WAIT 0\\.67 +changed")
        .contains("1 decisions compared, 1 changed (100.0 %)");

    FakeProvider gpt = FakeProvider.start(vertx).always(FakeProvider.sse("openai/decision.sse"));
    try {
      Ran judged = run(Map.of("OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", gpt.baseUrl("/v1")), "lens", "replay", "--from", FROM, "--to", TO, "--models", "gpt", "--json");
      assertThat(judged.code()).as(judged.output()).isZero();
      String text = judged.output();
      JsonObject report = new JsonObject(text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1));
      assertThat(report.getInteger("compared")).isEqualTo(1);
      JsonObject row = report.getJsonArray("rows").getJsonObject(0);
      assertThat(row.getString("model")).isEqualTo("gpt");
      assertThat(row.getValue("old")).as("no stored gpt decision").isNull();
      assertThat(row.getJsonObject("new").getString("decision")).isEqualTo("ENTER");
      assertThat(row.getJsonObject("new").getDouble("confidence")).isEqualTo(0.74);
      assertThat(gpt.requests).hasSize(1);
    } finally {
      gpt.close().await();
    }

    Ran noKey = run(Map.of("OPENAI_API_KEY", ""), "lens", "replay", "--from", FROM, "--to", TO, "--models", "gpt");
    assertThat(noKey.code()).as(noKey.output()).isEqualTo(2);
    assertThat(noKey.output()).contains("OPENAI_API_KEY").doesNotContain("Exception");
  }
}
