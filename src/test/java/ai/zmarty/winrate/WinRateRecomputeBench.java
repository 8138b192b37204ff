package ai.zmarty.winrate;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.db.Pools;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * bench/signals (second half): the win-rate recompute (WinRateSql.ROLL_UP: three windows, Wilson intervals, one
 * statement) over N resolved signals, next to the baseline it replaces — one query per pair and
 * window, as a loop of queries would do it. Prints medians and their ratio. Goal: < 2 s for 1,000,000.
 */
public final class WinRateRecomputeBench {
  public static void main(String[] args) throws Exception {
    int signals = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    TestDatabases.Pair dbs = TestDatabases.migrated();
    PgUrl b = dbs.trading();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    long t0 = System.nanoTime();
    Sql.exec(b, """
        insert into signals (symbol, timeframe, bar_time, direction, score, entry, stop, outcome, resolved_at, exit_price, exit_reason)
        select 'S' || (i % PAIRS) || '/USDT', '1h', timestamptz '2026-01-01' - make_interval(hours => i / PAIRS + 1),
               case when i % 7 = 0 then 'flat' when i % 2 = 0 then 'long' else 'short' end,
               0.6, 100, 99,
               case when i % 7 = 0 then null when abs(hashint4(i)) % 5 < 3 then 'win' else 'loss' end,
               case when i % 7 = 0 then null else timestamptz '2026-01-01' end,
               case when i % 7 = 0 then null when abs(hashint4(i)) % 5 < 3 then 101 else 99 end,
               case when i % 7 = 0 then null when abs(hashint4(i)) % 5 < 3 then 'target' else 'stop' end
        from generate_series(0, SIGNALS - 1) as i
        """.replace("PAIRS", Integer.toString(pairs)).replace("SIGNALS", Integer.toString(signals)));
    Sql.exec(b, "vacuum analyze signals");
    System.out.printf("loaded %,d signals over %d pairs in %.1f s%n", signals, pairs, (System.nanoTime() - t0) / 1e9);

    String[] symbols = new String[pairs];
    String[] timeframes = new String[pairs];
    for (int i = 0; i < pairs; i++) {
      symbols[i] = "S" + i + "/USDT";
      timeframes[i] = "1h";
    }
    List<Double> setBased = new ArrayList<>();
    List<Double> perQuery = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    Pool pool = Pools.create(vertx, b, 4, "bench");
    OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    String one = "select count(*) filter (where outcome = 'win'), count(outcome) from signals where symbol = $1 and timeframe = $2 and direction <> 'flat' and bar_time >= $3";
    for (int run = 0; run < runs; run++) {
      long s = System.nanoTime();
      pool.preparedQuery(WinRateSql.ROLL_UP).execute(Tuple.tuple().addArrayOfString(symbols).addArrayOfString(timeframes).addOffsetDateTime(at)).await(5, TimeUnit.MINUTES);
      setBased.add((System.nanoTime() - s) / 1e9);

      s = System.nanoTime();
      for (int i = 0; i < pairs; i++) {
        for (long days : new long[] {36_500, 30, 7}) {
          pool.preparedQuery(one).execute(Tuple.of(symbols[i], timeframes[i], at.minusDays(days))).await(1, TimeUnit.MINUTES);
        }
      }
      perQuery.add((System.nanoTime() - s) / 1e9);
    }
    double ours = median(setBased);
    double baseline = median(perQuery);
    System.out.printf("win-rate recompute, %,d signals, %d pairs × 3 windows, median of %d runs:%n", signals, pairs, runs);
    System.out.printf("  set-based (ROLL_UP, one statement, writes win_rate): %.3f s%n", ours);
    System.out.printf("  baseline (one query per pair and window, read only): %.3f s%n", baseline);
    System.out.printf("  ratio baseline / set-based: %.2f×   goal < 2 s: %s%n", baseline / ours, ours < 2 ? "met" : "NOT met");
    System.exit(0);
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a[a.length / 2];
  }
}
