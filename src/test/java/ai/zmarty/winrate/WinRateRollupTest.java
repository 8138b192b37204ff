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

    JsonObject perf = new JsonObject(Sql.one(dbs.trading(), "select row_to_json(p)::text from performance p where source = 'composite:BTC/USD:4h'"));
    assertThat(perf.getInteger("trades")).isEqualTo(4);
    assertThat(perf.getInteger("wins")).isEqualTo(2);
    assertThat(perf.getDouble("pnl")).isCloseTo(0.02, within(1e-9));
    assertThat(perf.getDouble("profit_factor")).isCloseTo(0.05 / 0.03, within(1e-9));
    assertThat(perf.getDouble("expectancy")).isCloseTo(0.005, within(1e-9));
    assertThat(perf.getDouble("sharpe")).isCloseTo(0.005 / 0.0238047614, within(1e-9));
    assertThat(perf.getDouble("max_drawdown")).isCloseTo(0.02, within(1e-9));

    List<String> board = Sql.column(dbs.trading(), "select source from performance where category = '4h' order by omega desc nulls last");
    WinRateQueries queries = new WinRateQueries(pool);
    List<JsonObject> top = queries.leaderboard(1).await(10, TimeUnit.SECONDS);
    assertThat(top).hasSize(1);
    assertThat(top.get(0).getString("source")).isEqualTo(board.get(0)).isEqualTo("composite:ETH/USD:4h"); // omega 0.05/0.01 = 5 beats 1.67
    assertThat(queries.leaderboard(5).await(10, TimeUnit.SECONDS)).hasSize(2);
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
