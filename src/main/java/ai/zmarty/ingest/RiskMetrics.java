package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import java.util.List;

/**
 * Risk of a pair at one bar, from the {@value #WINDOW} log returns that end at that bar.
 *
 * <ul>
 *   <li>volatility: sample standard deviation of the log returns × √(bars per 365-day year);
 *   <li>volatility_long: the same over the {@value #LONG_WINDOW} log returns ending at the bar, the
 *       norm the strategy compares the 30-bar figure with (a ratio well above 1 is a volatility
 *       spike for this pair, whatever its usual level);
 *   <li>atr_pct: ATR 14 ÷ close;
 *   <li>drawdown: the largest peak-to-trough fall of the closes in the window, as a fraction of the peak;
 *   <li>risk score: ½·min(1, volatility ÷ 150 %) + ¼·min(1, annualised atr_pct ÷ 200 %) +
 *       ¼·min(1, drawdown ÷ 25 %), so 0 is a flat market and 1 a wild one (without an ATR its
 *       quarter follows the volatility term).
 * </ul>
 */
public final class RiskMetrics {
  public static final int WINDOW = 30;
  public static final int LONG_WINDOW = 180;
  static final double VOLATILITY_CAP = 1.5;
  static final double ATR_CAP = 2.0;
  static final double DRAWDOWN_CAP = 0.25;

  private RiskMetrics() {}

  /**
   * The metric at {@code candles.get(index)}, reading bars {@code index − }{@value #LONG_WINDOW}
   * to {@code index} only; the windows are shorter when fewer bars precede it.
   */
  public static RiskMetric at(List<Candle> candles, int index, Double atr, Timeframe timeframe) {
    int from = Math.max(0, index - WINDOW);
    double close = candles.get(index).close();
    double volatility = volatility(candles, from, index) * Math.sqrt(timeframe.barsPerYear());
    double volatilityLong = volatility(candles, Math.max(0, index - LONG_WINDOW), index) * Math.sqrt(timeframe.barsPerYear());
    double drawdown = maxDrawdown(candles, from, index);
    Double atrPct = atr == null || close <= 0 ? null : atr / close;
    double volTerm = Math.min(1, volatility / VOLATILITY_CAP);
    double atrTerm = atrPct == null ? volTerm : Math.min(1, atrPct * Math.sqrt(timeframe.barsPerYear()) / ATR_CAP);
    double score = 0.5 * volTerm + 0.25 * atrTerm + 0.25 * Math.min(1, drawdown / DRAWDOWN_CAP);
    return new RiskMetric(candles.get(index).openTime(), volatility, atrPct, drawdown, Math.max(0, Math.min(1, score)), volatilityLong);
  }

  /** Per-bar sample standard deviation of the log returns from bar {@code from} to bar {@code to}; 0 with fewer than two returns. */
  static double volatility(List<Candle> candles, int from, int to) {
    int n = to - from;
    if (n < 2) {
      return 0;
    }
    double sum = 0;
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = Math.log(candles.get(from + i + 1).close() / candles.get(from + i).close());
      sum += r[i];
    }
    double mean = sum / n;
    double squares = 0;
    for (double x : r) {
      squares += (x - mean) * (x - mean);
    }
    return Math.sqrt(squares / (n - 1));
  }

  /** Largest (peak − later close) ÷ peak over closes {@code from..to}. */
  static double maxDrawdown(List<Candle> candles, int from, int to) {
    double peak = candles.get(from).close();
    double worst = 0;
    for (int i = from; i <= to; i++) {
      double c = candles.get(i).close();
      peak = Math.max(peak, c);
      worst = Math.max(worst, (peak - c) / peak);
    }
    return worst;
  }
}
