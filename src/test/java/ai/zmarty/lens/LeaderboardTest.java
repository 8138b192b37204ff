package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/leaderboard} over decisions stored in B, every figure computed by hand.
 *
 * <pre>
 * event     source  gpt              gemini           claude           flaky
 * E1 win    alpha   ENTER .8 +.10    ENTER .6 +.10    ENTER .7 +.05    timeout
 * E2 loss   alpha   ENTER .9 -.05    IGNORE .5 -.05   IGNORE .6 -.04   invalid_json
 * E3        alpha   WAIT .7 -.02 L   ENTER .4 -.02 L  ENTER .9 +.03 W  ENTER .5 +.03 W
 * E4 open   beta    ENTER .6         ENTER .7         WAIT .5          provider_error
 * E0 (40 days ago, alpha): gpt ENTER .9 win +.01
 * costs per decision: gpt .02, gemini .01, claude .03, flaky 0 / .001 / .001 / 0
 * </pre>
 */
class LeaderboardTest {
  private static final String KEY = "zks_leaderboard-test-key-0123456789abcdefghij";
  private static Vertx vertx;
  private static TestNode node;
  private static final Map<String, UUID> EVENTS = new HashMap<>();

  @BeforeAll
  static void decisions() throws Exception {
    vertx = Vertx.vertx();
    TestDatabases.Pair dbs = TestDatabases.migrated();
    PgUrl b = dbs.trading();
    Decisions.source(b, "alpha", KEY, false);
    Decisions.source(b, "beta", "zks_beta-key-0123456789abcdefghijklmnopqrstu", false);
    event(b, "E0", "alpha", 40);
    event(b, "E1", "alpha", 1);
    event(b, "E2", "alpha", 1);
    event(b, "E3", "alpha", 1);
    event(b, "E4", "beta", 1);
    decision(b, "E0", "gpt", "ok", "ENTER", 0.9, "win", 0.01, 0.02, 40);
    decision(b, "E1", "gpt", "ok", "ENTER", 0.8, "win", 0.10, 0.02, 1);
    decision(b, "E1", "gemini", "ok", "ENTER", 0.6, "win", 0.10, 0.01, 1);
    decision(b, "E1", "claude", "ok", "ENTER", 0.7, "win", 0.05, 0.03, 1);
    decision(b, "E1", "flaky", "timeout", "IGNORE", 0, "win", 0.05, 0, 1);
    decision(b, "E2", "gpt", "ok", "ENTER", 0.9, "loss", -0.05, 0.02, 1);
    decision(b, "E2", "gemini", "ok", "IGNORE", 0.5, "loss", -0.05, 0.01, 1);
    decision(b, "E2", "claude", "ok", "IGNORE", 0.6, "loss", -0.04, 0.03, 1);
    decision(b, "E2", "flaky", "invalid_json", "IGNORE", 0, "loss", -0.04, 0.001, 1);
    decision(b, "E3", "gpt", "ok", "WAIT", 0.7, "loss", -0.02, 0.02, 1);
    decision(b, "E3", "gemini", "ok", "ENTER", 0.4, "loss", -0.02, 0.01, 1);
    decision(b, "E3", "claude", "ok", "ENTER", 0.9, "win", 0.03, 0.03, 1);
    decision(b, "E3", "flaky", "ok", "ENTER", 0.5, "win", 0.03, 0.001, 1);
    decision(b, "E4", "gpt", "ok", "ENTER", 0.6, null, null, 0.02, 1);
    decision(b, "E4", "gemini", "ok", "ENTER", 0.7, null, null, 0.01, 1);
    decision(b, "E4", "claude", "ok", "WAIT", 0.5, null, null, 0.03, 1);
    decision(b, "E4", "flaky", "provider_error", "IGNORE", 0, null, null, 0, 1);
    node = TestNode.api(vertx, dbs, Map.of());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static void event(PgUrl b, String name, String source, int daysAgo) {
    UUID id = UUID.randomUUID();
    EVENTS.put(name, id);
    Sql.exec(b, "insert into lens.events (event_id, source, body_hash, event_type, symbol, direction, entry_price, ts_utc, feature_profile, body, status, received_at) values ('"
        + id + "', '" + source + "', 'h', 'OPEN_SIGNAL', 'BTC/USDT', 'long', 100, now() - interval '" + daysAgo + " days', 'trend_follow_v1', '{}', 'published', now() - interval '" + daysAgo + " days')");
  }

  private static void decision(PgUrl b, String event, String model, String status, String decision, double confidence, String outcome, Double ret, double cost, int daysAgo) {
    Sql.exec(b, "insert into lens.model_decisions (event_id, model, status, decision, confidence, prompt_version, prompt_hash, latency_ms, cost, outcome, outcome_return, resolved_at, created_at) values ('"
        + EVENTS.get(event) + "', '" + model + "', '" + status + "', '" + decision + "', " + confidence + ", 'v1', 'x', 10, " + cost + ", "
        + (outcome == null ? "null" : "'" + outcome + "'") + ", " + ret + ", " + (outcome == null ? "null" : "now()") + ", now() - interval '" + daysAgo + " days')");
  }

  private static HttpResponse<Buffer> get(String query, Map<String, String> headers) throws Exception {
    var req = node.client().get(node.port(), "127.0.0.1", "/api/v1/leaderboard" + query);
    headers.forEach(req::putHeader);
    return req.send().await(10, TimeUnit.SECONDS);
  }

  private static JsonObject board(String query) throws Exception {
    HttpResponse<Buffer> r = get(query, Map.of("Authorization", "Bearer " + TestJwt.valid(UUID.randomUUID())));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static JsonObject row(JsonArray rows, String key, String name) {
    return rows.stream().map(o -> (JsonObject) o).filter(o -> name.equals(o.getString(key))).findFirst().orElseThrow(() -> new AssertionError(name + " not in " + rows.encode()));
  }

  @Test
  void eachModelsFiguresOverTheLast30Days() throws Exception {
    JsonObject body = board("?window=30d");
    assertThat(body.getString("window")).isEqualTo("30d");
    JsonArray models = body.getJsonArray("models");
    JsonObject gpt = row(models, "model", "gpt");
    // E1 ENTER/win right, E2 ENTER/loss wrong, E3 WAIT/loss right; E4 open; E0 outside the window
    assertThat(gpt.getLong("decisions")).isEqualTo(4);
    assertThat(gpt.getLong("resolved")).isEqualTo(3);
    assertThat(gpt.getLong("correct")).isEqualTo(2);
    assertThat(gpt.getDouble("hit_rate")).isCloseTo(2.0 / 3, within(1e-12));
    // Brier: (.8-1)² + (.9-0)² + (.7-1)² = .04 + .81 + .09 = .94, over 3
    assertThat(gpt.getDouble("brier")).isCloseTo(0.94 / 3, within(1e-9));
    // entered trades judged: +.10 and -.05
    assertThat(gpt.getDouble("mean_return")).isCloseTo(0.025, within(1e-9));
    assertThat(gpt.getDouble("cost")).isCloseTo(0.08, within(1e-9));
    assertThat(gpt.getDouble("cost_per_correct")).isCloseTo(0.04, within(1e-9));

    JsonObject gemini = row(models, "model", "gemini");
    assertThat(gemini.getLong("correct")).isEqualTo(2); // E1 right, E2 IGNORE/loss right, E3 ENTER/loss wrong
    assertThat(gemini.getDouble("brier")).isCloseTo((0.16 + 0.25 + 0.16) / 3, within(1e-9));
    assertThat(gemini.getDouble("mean_return")).isCloseTo(0.04, within(1e-9));

    JsonObject claude = row(models, "model", "claude");
    assertThat(claude.getLong("correct")).isEqualTo(3);
    assertThat(claude.getDouble("hit_rate")).isEqualTo(1.0);
    assertThat(claude.getDouble("brier")).isCloseTo((0.09 + 0.16 + 0.01) / 3, within(1e-9));
    assertThat(claude.getDouble("cost_per_correct")).isCloseTo(0.04, within(1e-9));
  }

  @Test
  void aModelMostlyFallingBackIsMarkedAndUnranked() throws Exception {
    JsonObject flaky = row(board("?window=30d").getJsonArray("models"), "model", "flaky");
    assertThat(flaky.getLong("decisions")).isEqualTo(4);
    assertThat(flaky.getLong("fallbacks")).isEqualTo(3);
    assertThat(flaky.getBoolean("mostly_fallbacks")).isTrue();
    // its one real call (E3, ENTER, win) is counted, but it is not ranked on it
    assertThat(flaky.getLong("resolved")).isEqualTo(1);
    assertThat(flaky.getDouble("hit_rate")).isEqualTo(1.0);
    assertThat(flaky.getValue("rank")).isNull();
  }

  @Test
  void theMajorityVoteIsOneMoreRankedRow() throws Exception {
    JsonArray models = board("?window=30d").getJsonArray("models");
    JsonObject vote = row(models, "model", "majority_vote");
    assertThat(vote.getBoolean("vote")).isTrue();
    // E1 enter 3-0 (all won: right), E2 stay out 2-1 (its voters lost: right), E3 enter 3-1 (2 of 3 won: right), E4 open
    assertThat(vote.getLong("decisions")).isEqualTo(4);
    assertThat(vote.getLong("resolved")).isEqualTo(3);
    assertThat(vote.getLong("correct")).isEqualTo(3);
    // Brier of the winning side's share: (1-1)² + (2/3-1)² + (3/4-1)²
    assertThat(vote.getDouble("brier")).isCloseTo((0 + 1.0 / 9 + 0.0625) / 3, within(1e-9));
    // entered: E1 mean(+.10, +.10, +.05), E3 mean(-.02, +.03, +.03)
    assertThat(vote.getDouble("mean_return")).isCloseTo(((0.25 / 3) + (0.04 / 3)) / 2, within(1e-9));
    // every model's cost on every voted signal: .06 + .061 + .061 + .06
    assertThat(vote.getDouble("cost")).isCloseTo(0.242, within(1e-9));
    // ranks: claude and the vote 3/3 (Wilson low equal, by name), then gemini and gpt 2/3, flaky none
    assertThat(models.stream().map(o -> ((JsonObject) o).getString("model")).toList()).containsExactly("claude", "majority_vote", "gemini", "gpt", "flaky");
    assertThat(models.stream().map(o -> ((JsonObject) o).getValue("rank")).toList()).containsExactly(1, 2, 3, 4, null);
  }

  @Test
  void perSourceFigures() throws Exception {
    JsonArray sources = board("?window=30d").getJsonArray("sources");
    JsonObject alpha = row(sources, "source", "alpha");
    assertThat(alpha.getLong("decisions")).isEqualTo(12);
    assertThat(alpha.getLong("fallbacks")).isEqualTo(2);
    assertThat(alpha.getLong("resolved")).isEqualTo(10);
    assertThat(alpha.getLong("correct")).isEqualTo(8);
    assertThat(alpha.getDouble("hit_rate")).isCloseTo(0.8, within(1e-12));
    JsonObject beta = row(sources, "source", "beta");
    assertThat(beta.getLong("decisions")).isEqualTo(4);
    assertThat(beta.getLong("resolved")).isZero();
    assertThat(beta.getValue("hit_rate")).isNull();
  }

  @Test
  void theWindowDecidesWhichDecisionsCount() throws Exception {
    assertThat(row(board("?window=all").getJsonArray("models"), "model", "gpt").getLong("decisions")).isEqualTo(5);
    assertThat(row(board("?window=all").getJsonArray("models"), "model", "gpt").getLong("correct")).isEqualTo(3);
    assertThat(row(board("?window=7d").getJsonArray("models"), "model", "gpt").getLong("decisions")).isEqualTo(4);
    assertThat(board("").getString("window")).isEqualTo("30d");
  }

  @Test
  void aSourceKeyMayReadItAndABadWindowOrNoCredentialsAreRefused() throws Exception {
    assertThat(get("?window=7d", Map.of("X-API-Key", KEY)).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> bad = get("?window=1y", Map.of("X-API-Key", KEY));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
    assertThat(bad.bodyAsJsonObject().getString("message")).contains("window must be 7d, 30d or all");
    HttpResponse<Buffer> none = get("", Map.of());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
    assertThat(get("", Map.of("X-API-Key", "zks_wrong")).statusCode()).isEqualTo(401);
  }
}
