package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.PgUrl;
import ai.zmarty.db.Pools;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code zmarty lens replay}'s work on stored signals in B: the stored payload judged again, old beside new. */
class ReplayTest {
  private static final String UP = "{\"ta\": {\"15m\": {\"ema9\": 103, \"ema21\": 102, \"ema50\": 101}, \"1h\": {\"ema9\": 103, \"ema21\": 102, \"ema50\": 100}, \"4h\": {\"ema9\": 99, \"ema21\": 100, \"ema50\": 101}}}";
  private static Vertx vertx;
  private static Pool pool;
  private static UUID inside;
  private static UUID secondInside;

  @BeforeAll
  static void stored() {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    PgUrl b = dbs.trading();
    Decisions.source(b, "bot1", "zks_replay-test-key-0123456789abcdefghijklmnopq", false);
    inside = signal(b, "long", "2026-11-10T12:00:00Z", UP);
    secondInside = signal(b, "short", "2026-11-11T12:00:00Z", UP);
    UUID outside = signal(b, "long", "2026-12-01T12:00:00Z", UP);
    decision(b, inside, "gpt", "WAIT", 0.55, "core-v1");
    decision(b, inside, "gemini", "ENTER", 0.7, "core-v1");
    decision(b, secondInside, "gpt", "IGNORE", 0.6, "core-v2");
    decision(b, outside, "gpt", "ENTER", 0.9, "core-v1");
    vertx = Vertx.vertx();
    pool = Pools.create(vertx, b, 2, "replay-test");
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static UUID signal(PgUrl b, String direction, String at, String payload) {
    UUID id = UUID.randomUUID();
    Sql.exec(b, "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status, received_at) values ('"
        + id + "', 'bot1', 'h', 'OPEN_SIGNAL', 'BTC/USDT', '" + direction + "', 100, '" + at + "', 'trend_follow_v1', '{}', 'published', '" + at + "')");
    Sql.exec(b, "insert into lens.enriched_events (event_id, provider, provider_version, signal_age_seconds, model_payload, enrichment_duration_ms) values ('"
        + id + "', 'simulated', '1', 1.5, '" + payload + "', 12)");
    return id;
  }

  private static void decision(PgUrl b, UUID event, String model, String decision, double confidence, String version) {
    Sql.exec(b, "insert into lens.model_decisions (event_id, model, status, decision, confidence, prompt_version, prompt_hash, latency_ms) values ('"
        + event + "', '" + model + "', 'ok', '" + decision + "', " + confidence + ", '" + version + "', 'x', 5)");
  }

  private static List<ReplayRun.Compared> replay(List<String> models, Optional<String> version) throws Exception {
    return new ReplayRun(pool, new ReplayRules()).run(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), models, version).await(30, TimeUnit.SECONDS);
  }

  @Test
  void eachStoredDecisionInTheWindowIsJudgedAgainBesideItsOldAnswer() throws Exception {
    List<ReplayRun.Compared> rows = replay(List.of(), Optional.empty());
    // two signals in [Nov 1, Dec 1): three stored decisions; the Dec 1 signal is outside
    assertThat(rows).hasSize(3);
    // 15m and 1h trend up, 4h down: 2 of 3 trending timeframes with a long → ENTER at 0.67; against a short → WAIT at 0.33
    ReplayRun.Compared gpt = rows.stream().filter(r -> r.eventId().equals(inside.toString()) && r.model().equals("gpt")).findFirst().orElseThrow();
    assertThat(gpt.old().orElseThrow().getString("decision")).isEqualTo("WAIT");
    assertThat(gpt.now().getString("decision")).isEqualTo("ENTER");
    assertThat(gpt.now().getDouble("confidence")).isEqualTo(2.0 / 3);
    assertThat(gpt.changed()).isTrue();
    ReplayRun.Compared gemini = rows.stream().filter(r -> r.model().equals("gemini")).findFirst().orElseThrow();
    assertThat(gemini.changed()).isFalse();
    ReplayRun.Compared shortOne = rows.stream().filter(r -> r.eventId().equals(secondInside.toString())).findFirst().orElseThrow();
    assertThat(shortOne.now().getString("decision")).isEqualTo("WAIT");

    String text = ReplayReport.text(rows);
    assertThat(text).contains(inside + "  BTC/USDT    long   gpt           WAIT 0.55       ENTER 0.67      changed");
    assertThat(text).contains(inside + "  BTC/USDT    long   gemini        ENTER 0.70      ENTER 0.67");
    assertThat(text).endsWith("3 decisions compared, 2 changed (66.7 %)" + System.lineSeparator());
    JsonObject json = ReplayReport.json(rows);
    assertThat(json.getInteger("compared")).isEqualTo(3);
    assertThat(json.getLong("changed")).isEqualTo(2);
  }

  @Test
  void modelsAndPromptVersionNarrowWhatIsAskedAndComparedAgainst() throws Exception {
    List<ReplayRun.Compared> onlyGemini = replay(List.of("gemini"), Optional.empty());
    // both signals are asked of gemini; only the first has a stored gemini decision
    assertThat(onlyGemini).hasSize(2);
    assertThat(onlyGemini.stream().filter(r -> r.old().isEmpty()).count()).isEqualTo(1);
    assertThat(ReplayReport.summary(onlyGemini)).isEqualTo("2 decisions compared, 1 changed (50.0 %), 1 without a stored decision");

    List<ReplayRun.Compared> v2 = replay(List.of("gpt"), Optional.of("core-v2"));
    assertThat(v2).hasSize(2);
    assertThat(v2.stream().filter(r -> r.old().isPresent()).map(r -> r.eventId()).toList()).containsExactly(secondInside.toString());
  }
}
