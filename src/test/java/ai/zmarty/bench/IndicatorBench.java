package ai.zmarty.bench;

import ai.zmarty.ingest.IndicatorBar;
import ai.zmarty.ingest.IndicatorCalculator;
import ai.zmarty.ingest.IndicatorSeries;
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
 *   <li>baseline: rebuild a series from the last {@value #WINDOW} bars and compute the newest
 *       bar's values (what ingest did before: recompute the window for every job).
 * </ul>
 *
 * Rates are per CPU second of the measuring thread (so a shared machine does not flatter or
 * punish them) and per wall second; each measurement follows an unmeasured warm-up pass so the
 * JIT has compiled the hot paths. Run: {@code bench/signals/run.sh} (see bench/signals/README.md).
 */
public final class IndicatorBench {
  static final int WINDOW = 300;
  static final int BASELINE_BARS = 600;

  private IndicatorBench() {}

  public static void main(String[] args) {
    List<Candle> history = CandleCsv.resource("market/btc_usd_4h.csv");
    System.out.printf(Locale.ROOT, "history: %,d BTC/USD 4h bars; 21 indicators = 32 values per bar; JVM %s, %d cores visible%n", history.size(), Runtime.version(), Runtime.getRuntime().availableProcessors());

    incremental(history); // warm-up
    Rate inc = incremental(history);
    baseline(history); // warm-up
    Rate base = baseline(history);

    System.out.printf(Locale.ROOT, "incremental (append + newest values, kept series of %d bars): %,10.0f updates/s per core (CPU time), %,10.0f per wall second, over %,d bars%n", IndicatorSeries.DEFAULT_MAX_BARS, inc.perCpuSecond(), inc.perWallSecond(), inc.bars);
    System.out.printf(Locale.ROOT, "baseline (rebuild a %d-bar window per bar):                  %,10.0f updates/s per core (CPU time), %,10.0f per wall second, over %,d bars%n", WINDOW, base.perCpuSecond(), base.perWallSecond(), base.bars);
    System.out.printf(Locale.ROOT, "ratio incremental / baseline: %.1f×%n", inc.perCpuSecond() / base.perCpuSecond());
    System.out.printf(Locale.ROOT, "goal ≥ 2,000 updates/s per core for all 21, incremental: %s%n", inc.perCpuSecond() >= 2_000 ? "met" : "NOT met");
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
