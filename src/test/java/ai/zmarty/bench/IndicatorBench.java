package ai.zmarty.bench;

import ai.zmarty.ingest.IndicatorBar;
import ai.zmarty.ingest.IndicatorCalculator;
import ai.zmarty.ingest.IndicatorSeries;
import ai.zmarty.ingest.Ingestion;
import ai.zmarty.ingest.PairSeries;
import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleCsv;
import ai.zmarty.market.Timeframe;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * Indicator updates per second per core for the seed's 21 indicators (32 values per bar) on the
 * shipped BTC/USD 4h history, one thread:
 *
 * <ul>
 *   <li>incremental: append a bar to a kept {@link IndicatorSeries} bounded at {@value
 *       IndicatorSeries#DEFAULT_MAX_BARS} bars and compute the new bar's values (what a worker does
 *       per new bar);
 *   <li>worker: the same append through the ingest worker's {@link PairSeries}, which also derives
 *       the bar's risk metric (30- and 180-bar volatility) and liquidation proximity (a 240-bar
 *       map): everything a job stores per new bar;
 *   <li>baseline: rebuild a series from the last {@value #WINDOW} bars and compute the newest
 *       bar's values (what ingest did before: recompute the window for every job);
 *   <li>cold rebuild: what the worker does on a cold start or when the store says its series is
 *       stale — step a new {@link PairSeries} through {@value Ingestion#HISTORY_BARS} bars and
 *       derive the newest {@value Ingestion#BACKFILL_BARS} bars' rows (per rebuild, not per bar).
 * </ul>
 *
 * Rates are per CPU second of the measuring thread (so a shared machine does not flatter or
 * punish them) and per wall second; each measurement follows an unmeasured warm-up pass so the
 * JIT has compiled the hot paths. Exits with status 1 when the incremental or the worker path is
 * under {@value #GOAL} updates per second per core. Run: {@code bench/signals/run.sh} (see
 * bench/signals/README.md).
 */
public final class IndicatorBench {
  static final int WINDOW = 300;
  static final int BASELINE_BARS = 600;
  /** Issue 5's goal, per core: the program exits with status 1 when either path misses it. */
  static final int GOAL = 2_000;

  private IndicatorBench() {}

  public static void main(String[] args) {
    List<Candle> history = CandleCsv.resource("market/btc_usd_4h.csv");
    System.out.printf(Locale.ROOT, "history: %,d BTC/USD 4h bars; 21 indicators = 32 values per bar; JVM %s, %d cores visible%n", history.size(), Runtime.version(), Runtime.getRuntime().availableProcessors());

    incremental(history); // warm-up
    Rate inc = incremental(history);
    worker(history); // warm-up
    Rate work = worker(history);
    baseline(history); // warm-up
    Rate base = baseline(history);
    rebuilds(history, 5); // warm-up
    Rate cold = rebuilds(history, 20);

    System.out.printf(Locale.ROOT, "incremental (append + newest values, kept series of %d bars): %,10.0f updates/s per core (CPU time), %,10.0f per wall second, over %,d bars%n", IndicatorSeries.DEFAULT_MAX_BARS, inc.perCpuSecond(), inc.perWallSecond(), inc.bars);
    System.out.printf(Locale.ROOT, "worker (+ risk, volatility, liquidation proximity per bar):   %,10.0f updates/s per core (CPU time), %,10.0f per wall second, over %,d bars%n", work.perCpuSecond(), work.perWallSecond(), work.bars);
    System.out.printf(Locale.ROOT, "baseline (rebuild a %d-bar window per bar):                  %,10.0f updates/s per core (CPU time), %,10.0f per wall second, over %,d bars%n", WINDOW, base.perCpuSecond(), base.perWallSecond(), base.bars);
    System.out.printf(Locale.ROOT, "cold rebuild (%,d bars stepped, %d rows derived):            %,10.1f ms CPU each, over %d rebuilds%n", Ingestion.HISTORY_BARS, Ingestion.BACKFILL_BARS, cold.cpuNanos / 1e6 / cold.bars, cold.bars);
    System.out.printf(Locale.ROOT, "ratio incremental / baseline: %.1f×%n", inc.perCpuSecond() / base.perCpuSecond());
    boolean met = inc.perCpuSecond() >= GOAL && work.perCpuSecond() >= GOAL;
    System.out.printf(Locale.ROOT, "goal ≥ %,d updates/s per core for all 21, incremental and worker path: %s%n", GOAL, met ? "met" : "MISSED");
    if (!met) {
      System.exit(1);
    }
  }

  record Rate(long bars, long cpuNanos, long wallNanos) {
    double perCpuSecond() {
      return bars * 1e9 / cpuNanos;
    }

    double perWallSecond() {
      return bars * 1e9 / wallNanos;
    }
  }

  static Rate incremental(List<Candle> history) {
    IndicatorSeries series = new IndicatorSeries(Timeframe.H4);
    double sink = 0;
    long cpu0 = cpu();
    long wall0 = System.nanoTime();
    for (Candle c : history) {
      IndicatorBar b = series.append(c);
      sink += b.close();
    }
    Rate r = new Rate(history.size(), cpu() - cpu0, System.nanoTime() - wall0);
    consume(sink);
    return r;
  }

  static Rate worker(List<Candle> history) {
    PairSeries series = new PairSeries(Timeframe.H4);
    double sink = 0;
    long cpu0 = cpu();
    long wall0 = System.nanoTime();
    for (Candle c : history) {
      sink += series.append(c).risk().volatility();
    }
    Rate r = new Rate(history.size(), cpu() - cpu0, System.nanoTime() - wall0);
    consume(sink);
    return r;
  }

  /** {@code count} cold rebuilds spread over the history; the rate's "bars" are rebuilds. */
  static Rate rebuilds(List<Candle> history, int count) {
    double sink = 0;
    long cpu0 = cpu();
    long wall0 = System.nanoTime();
    int span = history.size() - Ingestion.HISTORY_BARS;
    for (int k = 0; k < count; k++) {
      int end = Ingestion.HISTORY_BARS + (int) ((long) span * k / count);
      sink += Ingestion.rebuild(history.subList(end - Ingestion.HISTORY_BARS, end), Timeframe.H4, null, "bench").bars().size();
    }
    Rate r = new Rate(count, cpu() - cpu0, System.nanoTime() - wall0);
    consume(sink);
    return r;
  }

  static Rate baseline(List<Candle> history) {
    int start = history.size() - BASELINE_BARS;
    double sink = 0;
    long cpu0 = cpu();
    long wall0 = System.nanoTime();
    for (int end = start; end < history.size(); end++) {
      List<IndicatorBar> bars = IndicatorCalculator.compute(history.subList(end - WINDOW + 1, end + 1), Timeframe.H4, WINDOW - 1);
      sink += bars.get(0).close();
    }
    Rate r = new Rate(BASELINE_BARS, cpu() - cpu0, System.nanoTime() - wall0);
    consume(sink);
    return r;
  }

  private static long cpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.getCurrentThreadCpuTime();
  }

  private static void consume(double sink) {
    if (sink == 42.4242) {
      System.out.println(sink);
    }
  }
}
