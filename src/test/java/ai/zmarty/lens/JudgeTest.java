package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.bus.Addresses;
import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker scores stored decisions on the shipped BTC 4h history (MARKET_PROVIDER=replay, replay
 * time 2025-01-01), horizon 6 bars. The bars after 2024-12-01 00:00, from the CSV:
 *
 * <pre>
 * 00:00  h 96721.49  l 95753.42  c 96371.15   (the bar the decisions were made in, 01:30: not used)
 * 04:00  h 96566.00  l 96217.05  c 96523.55
 * 08:00  h 97229.34  l 96467.51  c 97177.31
 * 12:00  h 97472.19  l 96732.28  c 97109.53
 * 16:00  h 97586.93  l 97011.61  c 97234.24
 * 20:00  h 97895.90  l 96849.87  c 97263.18
 * 12-02 00:00  c 96532.55 (the sixth bar after)
 * </pre>
 */
class JudgeTest {
  private Vertx vertx;

  @AfterEach
  void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private static UUID event(PgUrl b, String eventType, String direction) {
    UUID id = UUID.randomUUID();
    Sql.exec(b, "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status) values ('"
        + id + "', 'bot1', 'h', '" + eventType + "', 'BTC/USDT', '" + direction + "', 96400, '2024-12-01T01:29:00Z', 'trend_follow_v1', '{}', 'published')");
    return id;
  }

  private static void decision(PgUrl b, UUID event, String model, String riskPlan, String createdAt) {
    Sql.exec(b, "insert into lens.model_decisions (event_id, model, status, decision, confidence, risk_plan, prompt_version, prompt_hash, latency_ms, created_at) values ('"
        + event + "', '" + model + "', 'ok', 'ENTER', 0.8, " + (riskPlan == null ? "null" : "'" + riskPlan + "'") + ", 'v1', 'x', 5, '" + createdAt + "')");
  }

  private static String column(PgUrl b, UUID event, String model, String column) {
    return Sql.one(b, "select " + column + " from lens.model_decisions where event_id = '" + event + "' and model = '" + model + "'");
  }

  @Test
  void dueDecisionsAreResolvedOnTheBarsAfterTheirOwnAndOnlyOnce() throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    PgUrl b = dbs.trading();
    Decisions.source(b, "bot1", "zks_judge-test-key-0123456789abcdefghijklmnopq", false);
    UUID open = event(b, "OPEN_SIGNAL", "long");
    UUID shortOpen = event(b, "OPEN_SIGNAL", "short");
    UUID close = event(b, "CLOSE_SIGNAL", "long");
    UUID recent = event(b, "OPEN_SIGNAL", "long");
    String at = "2024-12-01T01:30:00Z";
    // target 97400 reached in the 12:00 bar; stop 96000 never
    decision(b, open, "gpt", "{\"stop\": 96000, \"targets\": [97400, 98000]}", at);
    // stop 95900 would have been hit in the decision's own 00:00 bar (low 95753.42): that bar is not used
    decision(b, open, "gemini", "{\"stop\": 95900, \"targets\": [97400]}", at);
    // no plan: the sixth bar's close 96532.55 is above the entry, a short loses
    decision(b, shortOpen, "gpt", null, at);
    decision(b, close, "gpt", null, at);
    // six 4h bars after 22:00 on 31 December have not closed at replay time 1 January 00:00
    decision(b, recent, "gpt", null, "2024-12-31T22:00:00Z");

    vertx = Vertx.vertx();
    TestNode.start(vertx, dbs.config(Map.of("ROLES", "worker", "QUEUE_NAMES", "compute_winrate", "MARKET_PROVIDER", "replay", "REPLAY_START", "2025-01-01T00:00:00Z",
        "LENS_JUDGE_TIMEFRAME", "4h", "LENS_JUDGE_HORIZON_BARS", "6")), dbs.chat(), dbs.trading());
    JsonObject first = vertx.eventBus().<JsonObject>request(Addresses.LENS_JUDGE_RUN, new JsonObject()).await(60, TimeUnit.SECONDS).body();
    assertThat(first.getInteger("resolved")).isEqualTo(3);
    assertThat(first.getInteger("not_scored")).isEqualTo(1);
    assertThat(first.getInteger("written")).isEqualTo(4);

    assertThat(column(b, open, "gpt", "outcome")).isEqualTo("win");
    assertThat(Double.parseDouble(column(b, open, "gpt", "outcome_return"))).isCloseTo(1000 / 96400.0, within(1e-12));
    assertThat(column(b, open, "gemini", "outcome")).isEqualTo("win");
    assertThat(column(b, shortOpen, "gpt", "outcome")).isEqualTo("loss");
    assertThat(Double.parseDouble(column(b, shortOpen, "gpt", "outcome_return"))).isCloseTo((96400 - 96532.55) / 96400, within(1e-12));
    assertThat(column(b, close, "gpt", "outcome")).isNull();
    assertThat(column(b, close, "gpt", "resolved_at")).isNotNull();
    assertThat(column(b, recent, "gpt", "resolved_at")).isNull();

    // again: nothing left to resolve, nothing written twice
    String resolvedAt = column(b, open, "gpt", "resolved_at");
    JsonObject second = vertx.eventBus().<JsonObject>request(Addresses.LENS_JUDGE_RUN, new JsonObject()).await(60, TimeUnit.SECONDS).body();
    assertThat(second.getInteger("written")).isZero();
    assertThat(column(b, open, "gpt", "resolved_at")).isEqualTo(resolvedAt);
  }
}
