package ai.zmarty.winrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.db.Pools;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestJwt;
import ai.zmarty.testing.TestNode;
import ai.zmarty.testing.Users;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /analytics/leaderboard} and {@code /analytics/performance} over real HTTP, on figures
 * the win-rate job's roll-up computed from hand-built resolved signals (ANALYTICS_MIN_TRADES = 3).
 *
 * <pre>
 * source (category 4h unless said)   bar (days before NOW) and return r                     trades wins  omega  win rate
 * composite:BTC/USD:4h               100 +0.02, 20 −0.01, 5 +0.03, 2 −0.02                   4      2     5/3    0.5
 * breakout:BTC/USD:4h                 10 +0.04,  6 −0.01, 4 −0.01                            3      1     2      1/3
 * composite:ETH/USD:4h                 3 +0.05,  1 −0.01                                     2      1     5      0.5   (too few)
 * composite:SOL/USD:1h                 9 +0.01,  8 +0.02, 7 −0.01                            3      2     3      2/3
 * composite:ADA/USD:1h                 9 +0.01,  8 +0.01, 7 +0.01 (no loss: no omega)        3      3     –      1
 * </pre>
 * Wilson 95 % (z = 1.96) of 2 of 4: centre (0.5 + 3.8416/8) / (1 + 3.8416/4) = 0.5, half-width
 * 1.96·√(0.0625 + 3.8416/64) / 1.9604 = 0.3499643 → [0.1500357, 0.8499643]; of 1 of 3: [0.0614903, 0.7923450].
 */
@ExtendWith(VertxExtension.class)
class AnalyticsRoutesTest {
  static final Instant NOW = Instant.now();
  private static TestDatabases.Pair dbs;
  private TestNode node;
  private String token;

  private static void trade(String strategy, String symbol, String timeframe, int daysAgo, double r) {
    Instant bar = NOW.minusSeconds(daysAgo * 86_400L);
    String direction = daysAgo % 2 == 0 ? "long" : "short"; // both sides: r is (exit − entry)/entry for a long, the reverse for a short
    double exit = direction.equals("long") ? 100 * (1 + r) : 100 * (1 - r);
    Sql.exec(dbs.trading(), String.format(Locale.ROOT,
        "insert into signals (strategy, symbol, timeframe, bar_time, direction, score, entry, stop, targets, outcome, resolved_at, exit_price, exit_reason) "
            + "values ('%s', '%s', '%s', '%s', '%s', 0.8, 100, %s, '[%s]', '%s', '%s', %s, '%s')",
        strategy, symbol, timeframe, bar, direction, direction.equals("long") ? 90 : 110, direction.equals("long") ? 110 : 90,
        r > 0 ? "win" : "loss", bar.plusSeconds(3600), exit, r > 0 ? "target" : "stop"));
  }

  @BeforeAll
  static void resolvedSignalsRolledUp() {
    dbs = TestDatabases.migrated();
    trade("composite", "BTC/USD", "4h", 100, 0.02);
    trade("composite", "BTC/USD", "4h", 20, -0.01);
    trade("composite", "BTC/USD", "4h", 5, 0.03);
    trade("composite", "BTC/USD", "4h", 2, -0.02);
    trade("breakout", "BTC/USD", "4h", 10, 0.04);
    trade("breakout", "BTC/USD", "4h", 6, -0.01);
    trade("breakout", "BTC/USD", "4h", 4, -0.01);
    trade("composite", "ETH/USD", "4h", 3, 0.05);
    trade("composite", "ETH/USD", "4h", 1, -0.01);
    trade("composite", "SOL/USD", "1h", 9, 0.01);
    trade("composite", "SOL/USD", "1h", 8, 0.02);
    trade("composite", "SOL/USD", "1h", 7, -0.01);
    for (int d = 7; d <= 9; d++) {
      trade("composite", "ADA/USD", "1h", d, 0.01);
    }
  }

  @BeforeEach
  void api(Vertx vertx) throws Exception {
    node = TestNode.api(vertx, dbs, Map.of("ANALYTICS_MIN_TRADES", "3"));
    token = TestJwt.valid(Users.create(dbs.chat(), "free", 0));
    // the win-rate job's statement, as the job runs it for these pairs
    Pool pool = Pools.create(vertx, dbs.trading(), 1, "test");
    Tuple pairs = Tuple.tuple().addArrayOfString(new String[] {"BTC/USD", "ETH/USD", "SOL/USD", "ADA/USD"}).addArrayOfString(new String[] {"4h", "4h", "1h", "1h"})
        .addOffsetDateTime(NOW.atOffset(ZoneOffset.UTC));
    pool.preparedQuery(WinRateSql.PERFORMANCE_ROLL_UP).execute(pairs).await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> get(String path, String bearer) throws Exception {
    var request = node.client().get(node.port(), "127.0.0.1", path);
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    return request.send().await(10, TimeUnit.SECONDS);
  }

  private JsonObject ok(String path) throws Exception {
    HttpResponse<Buffer> r = get(path, token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static List<String> sources(JsonObject board) {
    return board.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("source")).toList();
  }

  private static List<Long> ranks(JsonObject board) {
    return board.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getLong("rank")).toList();
  }

  @Test
  void byOmegaOverAllTimeEachTimeframeIsRankedAndTooFewTradesAreListedUnranked() throws Exception {
    JsonObject board = ok("/analytics/leaderboard?metric=omega&window=all");
    assertThat(board.getString("metric")).isEqualTo("omega");
    assertThat(board.getString("window")).isEqualTo("all");
    assertThat(board.getInteger("min_trades")).isEqualTo(3);
    // 1h: SOL (omega 3) ranked, ADA unranked (no losing trade: omega undefined);
    // 4h: breakout BTC (2) before composite BTC (5/3); ETH's omega 5 is the best but from 2 trades
    assertThat(sources(board)).containsExactly("composite:SOL/USD:1h", "composite:ADA/USD:1h", "breakout:BTC/USD:4h", "composite:BTC/USD:4h", "composite:ETH/USD:4h");
    assertThat(ranks(board)).containsExactly(1L, null, 1L, 2L, null);
    JsonArray entries = board.getJsonArray("entries");
    assertThat(entries.getJsonObject(1).getString("unranked_reason")).isEqualTo("metric_undefined");
    JsonObject eth = entries.getJsonObject(4);
    assertThat(eth.getString("unranked_reason")).isEqualTo("too_few_trades");
    assertThat(eth.getInteger("trades")).isEqualTo(2);
    assertThat(eth.getDouble("omega")).isCloseTo(5.0, within(1e-9));

    JsonObject btc = entries.getJsonObject(3);
    assertThat(btc.getString("category")).isEqualTo("4h");
    assertThat(btc.getString("asset")).isEqualTo("BTC");
    assertThat(btc.getInteger("trades")).isEqualTo(4);
    assertThat(btc.getInteger("wins")).isEqualTo(2);
    assertThat(btc.getInteger("losses")).isEqualTo(2);
    assertThat(btc.getDouble("win_rate")).isEqualTo(0.5);
    assertThat(btc.getDouble("ci_low")).isCloseTo(0.1500357, within(1e-6));
    assertThat(btc.getDouble("ci_high")).isCloseTo(0.8499643, within(1e-6));
    assertThat(btc.getDouble("omega")).isCloseTo(5.0 / 3, within(1e-9));
    assertThat(btc.getDouble("profit_factor")).isCloseTo(5.0 / 3, within(1e-9));
    assertThat(btc.getDouble("sharpe")).isCloseTo(0.2100420126, within(1e-9));
    assertThat(btc.getDouble("sortino")).isCloseTo(0.4472135955, within(1e-9));
  }

  @Test
  void theMetricChangesTheOrder() throws Exception {
    // win rate in 1h: ADA 3/3 before SOL 2/3; in 4h: composite BTC 1/2 before breakout 1/3
    JsonObject byWinRate = ok("/analytics/leaderboard?metric=win_rate");
    assertThat(sources(byWinRate)).containsExactly("composite:ADA/USD:1h", "composite:SOL/USD:1h", "composite:BTC/USD:4h", "breakout:BTC/USD:4h", "composite:ETH/USD:4h");
    assertThat(ranks(byWinRate)).containsExactly(1L, 2L, 1L, 2L, null);
    // Sortino in 4h: breakout 0.8164966 (mean 0.02/3 over √(0.0002/3)) before composite 0.4472136
    JsonObject bySortino = ok("/analytics/leaderboard?metric=sortino&category=4h");
    assertThat(sources(bySortino)).containsExactly("breakout:BTC/USD:4h", "composite:BTC/USD:4h", "composite:ETH/USD:4h");
    assertThat(bySortino.getJsonArray("entries").getJsonObject(0).getDouble("sortino")).isCloseTo(0.8164965809, within(1e-9));
  }

  @Test
  void windowsCountOnlyTheirTrades() throws Exception {
    // 7d: composite BTC has 2 trades (5 and 2 days ago), breakout 2 (6 and 4), ETH 2: none ranked in 4h,
    // listed most trades first, then by name
    JsonObject week = ok("/analytics/leaderboard?metric=profit_factor&window=7d&category=4h");
    assertThat(sources(week)).containsExactly("breakout:BTC/USD:4h", "composite:BTC/USD:4h", "composite:ETH/USD:4h");
    assertThat(week.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getInteger("trades")).toList()).containsExactly(2, 2, 2);
    assertThat(ranks(week)).containsExactly(null, null, null);
    // 30d: composite BTC has 3 trades (−0.01, +0.03, −0.02: profit factor 1), breakout 3 (2): both ranked
    JsonObject month = ok("/analytics/leaderboard?metric=profit_factor&window=30d&category=4h");
    assertThat(sources(month)).containsExactly("breakout:BTC/USD:4h", "composite:BTC/USD:4h", "composite:ETH/USD:4h");
    assertThat(month.getJsonArray("entries").getJsonObject(1).getDouble("profit_factor")).isCloseTo(1.0, within(1e-9));
    assertThat(month.getJsonArray("entries").getJsonObject(1).getInteger("trades")).isEqualTo(3);
  }

  @Test
  void aCategoryIsATimeframeOrAnAssetAndTheLimitCapsEachGroup() throws Exception {
    assertThat(sources(ok("/analytics/leaderboard?category=1h"))).containsExactly("composite:SOL/USD:1h", "composite:ADA/USD:1h");
    JsonObject btc = ok("/analytics/leaderboard?category=btc");
    assertThat(btc.getString("category")).isEqualTo("BTC");
    assertThat(sources(btc)).containsExactly("breakout:BTC/USD:4h", "composite:BTC/USD:4h");
    assertThat(sources(ok("/analytics/leaderboard?category=DOGE"))).isEmpty();
    // limit 1: the best ranked and the first unranked of each timeframe
    assertThat(sources(ok("/analytics/leaderboard?limit=1&category="))).containsExactly("composite:SOL/USD:1h", "composite:ADA/USD:1h", "breakout:BTC/USD:4h", "composite:ETH/USD:4h");
  }

  @Test
  void performanceShowsEverySourceOfASymbolWithItsWindows() throws Exception {
    JsonObject perf = ok("/analytics/performance?symbol=btcusd&timeframe=4h");
    assertThat(perf.getString("symbol")).isEqualTo("BTC/USD");
    assertThat(perf.getString("timeframe")).isEqualTo("4h");
    JsonArray sources = perf.getJsonArray("sources");
    assertThat(sources.stream().map(s -> ((JsonObject) s).getString("source")).toList()).containsExactly("breakout:BTC/USD:4h", "composite:BTC/USD:4h");
    JsonObject composite = sources.getJsonObject(1);
    assertThat(composite.getString("source_kind")).isEqualTo("strategy");
    assertThat(composite.getString("strategy")).isEqualTo("composite");
    assertThat(composite.getJsonObject("windows").fieldNames()).containsExactlyInAnyOrder("all", "30d", "7d");
    JsonObject all = composite.getJsonObject("windows").getJsonObject("all");
    assertThat(all.getInteger("trades")).isEqualTo(4);
    assertThat(all.getBoolean("enough_trades")).isTrue();
    assertThat(all.getDouble("max_drawdown")).isCloseTo(0.02, within(1e-9));
    JsonObject week = composite.getJsonObject("windows").getJsonObject("7d");
    assertThat(week.getInteger("trades")).isEqualTo(2);
    assertThat(week.getBoolean("enough_trades")).isFalse();
    // Sharpe of +0.03, −0.02: mean 0.005 over the sample std √0.00125
    assertThat(week.getDouble("sharpe")).isCloseTo(0.1414213562, within(1e-9));

    assertThat(ok("/analytics/performance?symbol=BTC/USD").getJsonArray("sources")).hasSize(2);
    assertThat(ok("/analytics/performance?symbol=BTC/USD&timeframe=1h").getJsonArray("sources")).isEmpty();
  }

  @Test
  void badParametersAre400NamingTheParameterAndItsValues() throws Exception {
    Map<String, String> refusals = Map.of(
        "/analytics/leaderboard?metric=calmar", "metric must be one of omega, sharpe, sortino, win_rate, profit_factor, got 'calmar'",
        "/analytics/leaderboard?window=90d", "window must be one of 7d, 30d, all, got '90d'",
        "/analytics/leaderboard?limit=0", "limit must be a whole number from 1 to 100, got '0'",
        "/analytics/leaderboard?limit=ten", "limit must be a whole number from 1 to 100, got 'ten'",
        "/analytics/leaderboard?category=BTC%2FUSD", "category must be a timeframe (",
        "/analytics/leaderboard?metric=omega&metric=sharpe", "metric must be given once",
        "/analytics/leaderboard?metrics=omega", "unknown parameter 'metrics' (known: category, limit, metric, window)",
        "/analytics/performance", "symbol is missing",
        "/analytics/performance?symbol=BTC/USD&timeframe=7m", "timeframe must be one of 1m,");
    for (var refusal : refusals.entrySet()) {
      HttpResponse<Buffer> r = get(refusal.getKey(), token);
      assertThat(r.statusCode()).as(refusal.getKey()).isEqualTo(400);
      assertThat(r.getHeader("content-type")).isEqualTo("application/json");
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
      assertThat(r.bodyAsJsonObject().getString("message")).as(refusal.getKey()).startsWith(refusal.getValue());
    }
  }

  @Test
  void anyValidTokenMayReadThemAndNoTokenMayNot() throws Exception {
    assertThat(get("/analytics/leaderboard", null).statusCode()).isEqualTo(401);
    assertThat(get("/analytics/performance?symbol=BTC/USD", "not-a-token").statusCode()).isEqualTo(401);
    JsonObject service = TestJwt.claims(UUID.randomUUID()).put("role", "service_role");
    assertThat(get("/analytics/leaderboard", TestJwt.hs256(TestJwt.SECRET, service)).statusCode()).isEqualTo(200);
  }
}
