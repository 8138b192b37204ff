package ai.zmarty.winrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Pools;
import ai.zmarty.market.SimulatedMarket;
import ai.zmarty.queue.Job;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The set-based roll-up and the performance figures for a hand-built series of resolved signals. */
@ExtendWith(VertxExtension.class)
class WinRateRollupTest {
  static final Instant NOW = Instant.parse("2026-03-31T00:00:00Z");

  /** A resolved signal {@code daysAgo} before NOW. */
  private static void signal(TestDatabases.Pair dbs, String symbol, int daysAgo, String direction, double entry, double exit, String outcome) {
    Instant bar = NOW.minusSeconds(daysAgo * 86_400L);
    Sql.exec(dbs.trading(), String.format(java.util.Locale.ROOT,
        "insert into signals (symbol, timeframe, bar_time, direction, score, entry, stop, targets, outcome, resolved_at, exit_price, exit_reason) "
            + "values ('%s', '4h', '%s', '%s', 0.8, %s, %s, '[%s]', '%s', '%s', %s, '%s')",
        symbol, bar, direction, entry, direction.equals("long") ? entry * 0.9 : entry * 1.1, direction.equals("long") ? entry * 1.1 : entry * 0.9,
        outcome, bar.plusSeconds(3600), exit, outcome.equals("win") ? "target" : "stop"));
  }

  @Test
  void windowsIntervalsAndPerformanceEqualTheHandComputedOnes(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    // 100 days ago: long +2 %; 20 days ago: short −1 % (loss); 5 days ago: long +3 %; 2 days ago: short −2 % (loss); one flat.
    signal(dbs, "BTC/USD", 100, "long", 100, 102, "win");
    signal(dbs, "BTC/USD", 20, "short", 100, 101, "loss");
    signal(dbs, "BTC/USD", 5, "long", 100, 103, "win");
    signal(dbs, "BTC/USD", 2, "short", 100, 102, "loss");
    Sql.exec(dbs.trading(), "insert into signals (symbol, timeframe, bar_time, direction, score, entry) values ('BTC/USD', '4h', '" + NOW.minusSeconds(86_400) + "', 'flat', 0.2, 100)");
    // a second source that did better, for the leaderboard
    signal(dbs, "ETH/USD", 3, "long", 10, 10.5, "win");
    signal(dbs, "ETH/USD", 1, "long", 10, 9.9, "loss");

    Pool pool = Pools.create(vertx, dbs.trading(), 4, "test");
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    vertx.deployVerticle(new WinRateVerticle(pool, new SimulatedMarket(42, clock), clock)).await(10, TimeUnit.SECONDS);
    for (String symbol : List.of("BTC/USD", "ETH/USD")) {
      vertx.eventBus().request(Addresses.JOB_COMPUTE_WINRATE, new Job("compute_winrate", 1, 1, NOW.toString(), new JsonObject().put("symbol", symbol).put("timeframe", "4h")).toJson())
          .await(10, TimeUnit.SECONDS);
    }

    assertWindow(dbs, "all", 2, 4);
    assertWindow(dbs, "30d", 1, 3);
    assertWindow(dbs, "7d", 1, 2);

    // window 'all', r = +0.02, −0.01, +0.03, −0.02: Σr = 0.02; gains 0.05, losses 0.03 → profit factor = Omega(0) = 5/3;
    // mean 0.005, sample std √(0.0017/3) = 0.0238048 → Sharpe 0.2100420; downside √((0.0001 + 0.0004)/4) = 0.0111803 → Sortino 0.4472136;
    // equity 1.02, 1.0098, 1.040094, 1.01929212 → max drawdown 1 − 0.98 = 0.02
    JsonObject perf = performance(dbs, "composite:BTC/USD:4h", "all");
    assertThat(perf.getString("source_kind")).isEqualTo("strategy");
    assertThat(perf.getString("category")).isEqualTo("4h");
    assertThat(perf.getString("asset")).isEqualTo("BTC");
    assertThat(perf.getInteger("trades")).isEqualTo(4);
    assertThat(perf.getInteger("wins")).isEqualTo(2);
    assertThat(perf.getDouble("pnl")).isCloseTo(0.02, within(1e-9));
    assertThat(perf.getDouble("profit_factor")).isCloseTo(0.05 / 0.03, within(1e-9));
    assertThat(perf.getDouble("omega")).isCloseTo(0.05 / 0.03, within(1e-9));
    assertThat(perf.getDouble("expectancy")).isCloseTo(0.005, within(1e-9));
    assertThat(perf.getDouble("sharpe")).isCloseTo(0.005 / 0.0238047614, within(1e-9));
    assertThat(perf.getDouble("sortino")).isCloseTo(0.4472135955, within(1e-9));
    assertThat(perf.getDouble("max_drawdown")).isCloseTo(0.02, within(1e-9));
    // the same figures as the Java formulas the backtest uses
    Performance java = Performance.of(List.of(0.02, -0.01, 0.03, -0.02));
    assertThat(perf.getDouble("sharpe")).isCloseTo(java.sharpe(), within(1e-9));
    assertThat(perf.getDouble("sortino")).isCloseTo(java.sortino(), within(1e-9));
    assertThat(perf.getDouble("max_drawdown")).isCloseTo(java.maxDrawdown(), within(1e-9));

    // window '7d' (5 and 2 days ago): +0.03, −0.02 → PF 1.5, mean 0.005, std √0.00125 → Sharpe 0.1414214,
    // downside √(0.0004/2) → Sortino 0.3535534, equity 1.03, 1.0094 → drawdown 0.02
    JsonObject week = performance(dbs, "composite:BTC/USD:4h", "7d");
    assertThat(week.getInteger("trades")).isEqualTo(2);
    assertThat(week.getInteger("wins")).isEqualTo(1);
    assertThat(week.getDouble("omega")).isCloseTo(1.5, within(1e-9));
    assertThat(week.getDouble("sharpe")).isCloseTo(0.1414213562, within(1e-9));
    assertThat(week.getDouble("sortino")).isCloseTo(0.3535533906, within(1e-9));
    assertThat(week.getDouble("max_drawdown")).isCloseTo(0.02, within(1e-9));
    // window '30d' (20, 5, 2 days ago): −0.01, +0.03, −0.02 → Σr 0, PF 1, Sharpe and Sortino 0
    JsonObject month = performance(dbs, "composite:BTC/USD:4h", "30d");
    assertThat(month.getInteger("trades")).isEqualTo(3);
    assertThat(month.getDouble("profit_factor")).isCloseTo(1.0, within(1e-9));
    assertThat(month.getDouble("sharpe")).isCloseTo(0.0, within(1e-9));

    AnalyticsQueries queries = new AnalyticsQueries(pool, 1);
    JsonObject top = queries.leaderboard(AnalyticsRequest.leaderboard(Map.of("limit", List.of("1")))).await(10, TimeUnit.SECONDS);
    assertThat(top.getJsonArray("entries")).hasSize(1);
    JsonObject first = top.getJsonArray("entries").getJsonObject(0);
    assertThat(first.getString("source")).isEqualTo("composite:ETH/USD:4h"); // omega 0.05/0.01 = 5 beats 1.67
    assertThat(first.getLong("rank")).isEqualTo(1L);
    assertThat(queries.leaderboard(AnalyticsRequest.leaderboard(Map.of("limit", List.of("5")))).await(10, TimeUnit.SECONDS).getJsonArray("entries")).hasSize(2);
  }

  @Test
  void aWindowThatEmptiedIsRecomputedToNoTradesNotLeftStale(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    signal(dbs, "BTC/USD", 40, "long", 100, 102, "win");
    signal(dbs, "BTC/USD", 3, "short", 100, 101, "loss");
    Pool pool = Pools.create(vertx, dbs.trading(), 2, "test");
    Tuple now = Tuple.tuple().addArrayOfString(new String[] {"BTC/USD"}).addArrayOfString(new String[] {"4h"}).addOffsetDateTime(NOW.atOffset(ZoneOffset.UTC));
    pool.preparedQuery(WinRateSql.PERFORMANCE_ROLL_UP).execute(now).await(10, TimeUnit.SECONDS);
    assertThat(performance(dbs, "composite:BTC/USD:4h", "7d").getInteger("trades")).isEqualTo(1);

    // ten days later the 7-day window holds nothing: its row says so, with no ratios
    Tuple later = Tuple.tuple().addArrayOfString(new String[] {"BTC/USD"}).addArrayOfString(new String[] {"4h"}).addOffsetDateTime(NOW.plusSeconds(10 * 86_400L).atOffset(ZoneOffset.UTC));
    pool.preparedQuery(WinRateSql.PERFORMANCE_ROLL_UP).execute(later).await(10, TimeUnit.SECONDS);
    JsonObject week = performance(dbs, "composite:BTC/USD:4h", "7d");
    assertThat(week.getInteger("trades")).isZero();
    assertThat(week.getInteger("wins")).isZero();
    assertThat(week.getDouble("pnl")).isZero();
    assertThat(week.getValue("omega")).isNull();
    assertThat(week.getValue("sharpe")).isNull();
    assertThat(performance(dbs, "composite:BTC/USD:4h", "30d").getInteger("trades")).isEqualTo(1);
    assertThat(performance(dbs, "composite:BTC/USD:4h", "all").getInteger("trades")).isEqualTo(2);
    assertThat(Sql.count(dbs.trading(), "select count(*) from performance")).isEqualTo(3);
  }

  private static JsonObject performance(TestDatabases.Pair dbs, String source, String window) {
    return new JsonObject(Sql.one(dbs.trading(), "select row_to_json(p)::text from performance p where source = '" + source + "' and window_name = '" + window + "'"));
  }

  @Test
  void aPairWithoutSamplesHasNoRateAndAPairListedTwiceIsCountedOnce(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    signal(dbs, "BTC/USD", 40, "long", 100, 102, "win");
    signal(dbs, "BTC/USD", 10, "short", 100, 101, "loss");
    signal(dbs, "BTC/USD", 3, "long", 100, 103, "win");
    Sql.exec(dbs.trading(), "insert into signals (symbol, timeframe, bar_time, direction, score, entry) values ('SOL/USD', '4h', '" + NOW.minusSeconds(86_400) + "', 'long', 0.7, 100)");
    Pool pool = Pools.create(vertx, dbs.trading(), 2, "test");
    Tuple args = Tuple.tuple().addArrayOfString(new String[] {"BTC/USD", "SOL/USD", "BTC/USD"}).addArrayOfString(new String[] {"4h", "4h", "4h"})
        .addOffsetDateTime(NOW.atOffset(ZoneOffset.UTC));
    List<JsonObject> rows = new ArrayList<>();
    pool.preparedQuery(WinRateSql.ROLL_UP).execute(args).await(10, TimeUnit.SECONDS).forEach(r -> rows.add(WinRateQueries.toJson(r)));

    assertThat(rows).hasSize(6);
    assertWindow(dbs, "BTC/USD", "all", 2, 3);
    assertWindow(dbs, "BTC/USD", "30d", 1, 2);
    assertWindow(dbs, "BTC/USD", "7d", 1, 1);
    for (String window : List.of("all", "30d", "7d")) { // SOL/USD: one open signal, no sample
      JsonObject row = new JsonObject(Sql.one(dbs.trading(), "select row_to_json(w)::text from win_rate w where symbol = 'SOL/USD' and window_name = '" + window + "'"));
      assertThat(row.getInteger("sample_size")).as(window).isZero();
      assertThat(row.getInteger("wins")).as(window).isZero();
      assertThat(row.getValue("win_rate")).as(window).isNull();
      assertThat(row.getDouble("ci_low")).as(window).isZero(); // greatest/least skip the null bounds
      assertThat(row.getDouble("ci_high")).as(window).isEqualTo(1.0);
    }
  }

  /**
   * The performance roll-up reads each pair's trades from signals_performance_idx alone (migration
   * 20260109060000). Without it the statement visited one table page per trade, since the signal job
   * writes every pair's bars side by side: 38–65 s for 1,000,000 signals (bench/signals/README.md).
   */
  @Test
  void thePerformanceRollUpReadsEachPairsTradesFromItsIndexAlone(Vertx vertx) throws Exception {
    TestDatabases.Pair dbs = TestDatabases.migrated();
    // synchronous_commit on: the embedded server runs with off, and a VACUUM right after an
    // asynchronous commit may leave the visibility map empty (bench/signals/README.md)
    Sql.exec(dbs.trading(), """
        set synchronous_commit = on;
        insert into signals (symbol, timeframe, bar_time, direction, score, entry, stop, outcome, resolved_at, exit_price, exit_reason)
        select 'P' || (i % 100) || '/USD', '4h', timestamptz '2026-03-31' - make_interval(hours => 4 * (i / 100 + 1)),
               case when i % 2 = 0 then 'long' else 'short' end, 0.6, 100, 99,
               case when i % 3 = 0 then 'loss' else 'win' end, timestamptz '2026-03-31',
               case when i % 3 = 0 then 99 else 101 end, case when i % 3 = 0 then 'stop' else 'target' end
        from generate_series(0, 19999) as i
        """);
    Sql.exec(dbs.trading(), "vacuum analyze signals");
    Pool pool = Pools.create(vertx, dbs.trading(), 1, "test");
    String[] symbols = new String[100];
    String[] timeframes = new String[100];
    for (int i = 0; i < 100; i++) {
      symbols[i] = "P" + i + "/USD";
      timeframes[i] = "4h";
    }
    Tuple args = Tuple.tuple().addArrayOfString(symbols).addArrayOfString(timeframes).addOffsetDateTime(NOW.atOffset(ZoneOffset.UTC));
    List<String> plan = new ArrayList<>();
    pool.preparedQuery("explain " + WinRateSql.PERFORMANCE_ROLL_UP).execute(args).await(10, TimeUnit.SECONDS).forEach(r -> plan.add(r.getString(0)));

    assertThat(String.join("\n", plan)).contains("Index Only Scan using signals_performance_idx on signals").doesNotContain("Heap Scan").doesNotContain("Seq Scan on signals");
    pool.preparedQuery(WinRateSql.PERFORMANCE_ROLL_UP).execute(args).await(30, TimeUnit.SECONDS);
    assertThat(Sql.one(dbs.trading(), "select count(*) || ' ' || sum(trades) from performance where window_name = 'all'")).isEqualTo("100 20000");
  }

  private static void assertWindow(TestDatabases.Pair dbs, String window, int wins, int n) {
    assertWindow(dbs, "BTC/USD", window, wins, n);
  }

  private static void assertWindow(TestDatabases.Pair dbs, String symbol, String window, int wins, int n) {
    JsonObject row = new JsonObject(Sql.one(dbs.trading(), "select row_to_json(w)::text from win_rate w where symbol = '" + symbol + "' and timeframe = '4h' and window_name = '" + window + "'"));
    assertThat(row.getInteger("wins")).as(window).isEqualTo(wins);
    assertThat(row.getInteger("sample_size")).as(window).isEqualTo(n);
    assertThat(row.getInteger("losses")).as(window).isEqualTo(n - wins);
    assertThat(row.getDouble("win_rate")).as(window).isCloseTo((double) wins / n, within(1e-6));
    Wilson w = Wilson.of(wins, n);
    assertThat(row.getDouble("ci_low")).as(window).isCloseTo(w.low(), within(1e-6));
    assertThat(row.getDouble("ci_high")).as(window).isCloseTo(w.high(), within(1e-6));
  }
}
