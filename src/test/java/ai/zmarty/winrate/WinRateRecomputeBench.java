package ai.zmarty.winrate;

import ai.zmarty.config.PgUrl;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.db.Pools;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * bench/signals (second half): the win-rate recompute (WinRateSql.ROLL_UP: three windows, Wilson intervals, one
 * statement) over N resolved signals, next to the baseline it replaces — one query per pair and
 * window, as a loop of queries would do it. Prints medians and their ratio, and checks that both
 * give the same counts. Goal: < 0.5 s for 1,000,000 (issue 15; issue 5's was 2 s). Then the
 * per-source performance roll-up (WinRateSql.PERFORMANCE_ROLL_UP), next to the same statement without
 * signals_performance_idx (migration 20260109060000; dropped in a transaction that is rolled back),
 * and checks that both write the same figures. Exits with status 1 when the set-based median is 0.5 s
 * or more (whatever the number of signals), or the win-rate counts or the performance rows disagree.
 *
 * <p>Arguments: signals, pairs, runs, and whether to VACUUM the table after loading it (default
 * true; false measures the state right after a bulk load, before autovacuum has been by).
 */
public final class WinRateRecomputeBench {
  /** The goal for the set-based median, in seconds. */
  private static final double GOAL_S = 0.5;
  /** Runs of the performance roll-up without its index: at 1,000,000 signals each takes tens of seconds. */
  private static final int BEFORE_RUNS = 3;
  /** Every figure of every performance row, in one text (computed_at aside), to compare two runs. */
  private static final String PERFORMANCE_CHECKSUM =
      "select md5(string_agg(p::text, '|' order by p.source, p.window_name)) from (select source, window_name, trades, wins, pnl, profit_factor, expectancy, sharpe, sortino, omega, max_drawdown from performance) p";

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable e) { // the pool's threads would keep the JVM alive after a failure
      e.printStackTrace();
      System.exit(2);
    }
  }

  private static void run(String[] args) throws Exception {
    int signals = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    boolean vacuum = args.length <= 3 || Boolean.parseBoolean(args[3]);
    TestDatabases.Pair dbs = TestDatabases.migrated();
    PgUrl b = dbs.trading();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    long t0 = System.nanoTime();
    // synchronous_commit on (PostgreSQL's default; the embedded server runs with off): VACUUM can
    // mark a page all-visible only once the inserting commit is flushed, so right after an
    // asynchronous commit it would leave the visibility map empty and every index-only scan would
    // read the table as well.
    Sql.exec(b, """
        set synchronous_commit = on;
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
    // What autovacuum does in production after this many new rows (thresholds: migration 20260105000200).
    Sql.exec(b, vacuum ? "vacuum analyze signals" : "analyze signals");
    System.out.printf("loaded %,d signals over %d pairs in %.1f s; %s; visibility map: %s of the table's pages all-visible%n", signals, pairs, (System.nanoTime() - t0) / 1e9,
        vacuum ? "vacuumed" : "NOT vacuumed", Sql.one(b, "select round(100.0 * relallvisible / greatest(relpages, 1)) || ' %' from pg_class where relname = 'signals'"));

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
    String[] windows = {"all", "30d", "7d"};
    long[] windowDays = {36_500, 30, 7};
    Set<String> ourCounts = new TreeSet<>();
    Set<String> baselineCounts = new TreeSet<>();
    // the set-based statement runs on one connection whose server process's CPU time is read from
    // /proc before and after: on a shared machine, wall time grows with everyone else's load, the
    // CPU the statement itself used much less
    SqlConnection conn = pool.getConnection().await(1, TimeUnit.MINUTES);
    int backend = conn.query("select pg_backend_pid()").execute().await(1, TimeUnit.MINUTES).iterator().next().getInteger(0);
    List<Double> setBasedCpu = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      long s = System.nanoTime();
      double cpu0 = cpuSeconds(backend);
      RowSet<Row> rows = conn.preparedQuery(WinRateSql.ROLL_UP).execute(Tuple.tuple().addArrayOfString(symbols).addArrayOfString(timeframes).addOffsetDateTime(at)).await(5, TimeUnit.MINUTES);
      setBased.add((System.nanoTime() - s) / 1e9);
      setBasedCpu.add(cpuSeconds(backend) - cpu0);
      ourCounts.clear();
      for (Row r : rows) {
        ourCounts.add(r.getString("symbol") + " " + r.getString("window_name") + " " + r.getInteger("wins") + "/" + r.getInteger("sample_size"));
      }

      s = System.nanoTime();
      baselineCounts.clear();
      for (int i = 0; i < pairs; i++) {
        for (int w = 0; w < windows.length; w++) {
          Row r = pool.preparedQuery(one).execute(Tuple.of(symbols[i], timeframes[i], at.minusDays(windowDays[w]))).await(1, TimeUnit.MINUTES).iterator().next();
          baselineCounts.add(symbols[i] + " " + windows[w] + " " + r.getLong(0) + "/" + r.getLong(1));
        }
      }
      perQuery.add((System.nanoTime() - s) / 1e9);
    }
    // the per-source performance roll-up the same job runs next (three windows per source, drawdown
    // included), then the same statement as it ran before migration 20260109060000: the index it reads
    // dropped inside a transaction that is rolled back; both must write the same rows
    Tuple perfArgs = Tuple.tuple().addArrayOfString(symbols).addArrayOfString(timeframes).addOffsetDateTime(at);
    List<Double> performance = new ArrayList<>();
    List<Double> performanceCpu = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      long s = System.nanoTime();
      double cpu0 = cpuSeconds(backend);
      conn.preparedQuery(WinRateSql.PERFORMANCE_ROLL_UP).execute(perfArgs).await(5, TimeUnit.MINUTES);
      performance.add((System.nanoTime() - s) / 1e9);
      performanceCpu.add(cpuSeconds(backend) - cpu0);
    }
    long performanceRows = Long.parseLong(Sql.one(b, "select count(*) from performance"));
    String performanceSum = conn.query(PERFORMANCE_CHECKSUM).execute().await(1, TimeUnit.MINUTES).iterator().next().getString(0);
    List<Double> performanceBefore = new ArrayList<>();
    List<Double> performanceBeforeCpu = new ArrayList<>();
    conn.query("begin").execute().await(1, TimeUnit.MINUTES);
    conn.query("drop index signals_performance_idx").execute().await(1, TimeUnit.MINUTES);
    conn.query("delete from performance").execute().await(1, TimeUnit.MINUTES);
    for (int run = 0; run < Math.min(runs, BEFORE_RUNS); run++) {
      long s = System.nanoTime();
      double cpu0 = cpuSeconds(backend);
      conn.preparedQuery(WinRateSql.PERFORMANCE_ROLL_UP).execute(perfArgs).await(10, TimeUnit.MINUTES);
      performanceBefore.add((System.nanoTime() - s) / 1e9);
      performanceBeforeCpu.add(cpuSeconds(backend) - cpu0);
    }
    String performanceSumBefore = conn.query(PERFORMANCE_CHECKSUM).execute().await(1, TimeUnit.MINUTES).iterator().next().getString(0);
    conn.query("rollback").execute().await(1, TimeUnit.MINUTES);
    double ours = median(setBased);
    double baseline = median(perQuery);
    System.out.printf("win-rate recompute, %,d signals, %d pairs × 3 windows, median of %d runs:%n", signals, pairs, runs);
    System.out.printf("  set-based (ROLL_UP, one statement, writes win_rate): %.3f s (PostgreSQL CPU %.3f s; load average %s)%n", ours, median(setBasedCpu),
        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    System.out.printf("  baseline (one query per pair and window, read only): %.3f s%n", baseline);
    System.out.printf("  performance (PERFORMANCE_ROLL_UP, one statement, writes %,d performance rows): %.3f s (PostgreSQL CPU %.3f s)%n", performanceRows, median(performance), median(performanceCpu));
    System.out.printf("  performance as before signals_performance_idx (bitmap heap scans), median of %d: %.3f s (PostgreSQL CPU %.3f s); ratio %.2f× wall, %.2f× CPU%n",
        performanceBefore.size(), median(performanceBefore), median(performanceBeforeCpu), median(performanceBefore) / median(performance), median(performanceBeforeCpu) / median(performanceCpu));
    boolean samePerformance = performanceSum.equals(performanceSumBefore);
    System.out.printf("  same performance rows with and without the index: %s%n", samePerformance ? "yes (md5 " + performanceSum + ")" : "NO");
    boolean fast = ours < GOAL_S;
    boolean same = ourCounts.equals(baselineCounts);
    System.out.printf("  ratio baseline / set-based: %.2f×   goal < %.1f s: %s (%.3f s, %.0f %% of the goal)%n", baseline / ours, GOAL_S, fast ? "met" : "MISSED", ours, 100 * ours / GOAL_S);
    System.out.printf("  same wins/sample size per pair and window: %s%n", same ? "yes (" + ourCounts.size() + " rows)" : "NO");
    System.exit(fast && same && samePerformance ? 0 : 1);
  }

  /** User + system CPU seconds process {@code pid} has used (Linux /proc; USER_HZ 100). */
  private static double cpuSeconds(int pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a[a.length / 2];
  }
}
