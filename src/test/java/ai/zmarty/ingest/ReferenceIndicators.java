package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import java.util.Arrays;
import java.util.List;

/**
 * Textbook indicators in plain loops, written for the agreement test without ta4j, seeded the
 * way TA-Lib seeds them: an EMA of period n starts at bar n − 1 with the simple average of the
 * first n values; Wilder's RSI and ATR start at bar n with the simple average of the first n
 * gains, losses or true ranges (the first true range being bar 1's, which has a previous close),
 * then smooth with (previous × (n − 1) + new) ÷ n. ta4j instead starts each from the first value;
 * the difference decays geometrically, so the two agree only after a warm-up. NaN before a value
 * exists.
 */
final class ReferenceIndicators {
  private ReferenceIndicators() {}

  static double[] closes(List<Candle> candles) {
    return candles.stream().mapToDouble(Candle::close).toArray();
  }

  /** EMA with k = 2 ÷ (n + 1), seeded with the SMA of the first n non-NaN values. */
  static double[] ema(double[] x, int n) {
    double[] out = nan(x.length);
    int start = 0;
    while (start < x.length && Double.isNaN(x[start])) {
      start++;
    }
    if (x.length - start < n) {
      return out;
    }
    double sum = 0;
    for (int i = start; i < start + n; i++) {
      sum += x[i];
    }
    double k = 2.0 / (n + 1);
    double e = sum / n;
    out[start + n - 1] = e;
    for (int i = start + n; i < x.length; i++) {
      e = e + k * (x[i] - e);
      out[i] = e;
    }
    return out;
  }

  static double[] sma(double[] x, int n) {
    double[] out = nan(x.length);
    for (int i = n - 1; i < x.length; i++) {
      double sum = 0;
      for (int j = i - n + 1; j <= i; j++) {
        sum += x[j];
      }
      out[i] = sum / n;
    }
    return out;
  }

  /** MACD line = EMA fast − EMA slow; signal = EMA of the line; histogram = line − signal. */
  static double[][] macd(double[] close, int fast, int slow, int signal) {
    double[] f = ema(close, fast);
    double[] s = ema(close, slow);
    double[] line = nan(close.length);
    for (int i = 0; i < close.length; i++) {
      line[i] = f[i] - s[i];
    }
    double[] sig = ema(line, signal);
    double[] hist = nan(close.length);
    for (int i = 0; i < close.length; i++) {
      hist[i] = line[i] - sig[i];
    }
    return new double[][] {line, sig, hist};
  }

  /** Wilder's RSI: 100 − 100 ÷ (1 + average gain ÷ average loss). */
  static double[] rsi(double[] close, int n) {
    double[] out = nan(close.length);
    double gain = 0;
    double loss = 0;
    for (int i = 1; i <= n && i < close.length; i++) {
      double d = close[i] - close[i - 1];
      gain += Math.max(d, 0);
      loss += Math.max(-d, 0);
    }
    if (close.length <= n) {
      return out;
    }
    gain /= n;
    loss /= n;
    out[n] = rsiOf(gain, loss);
    for (int i = n + 1; i < close.length; i++) {
      double d = close[i] - close[i - 1];
      gain = (gain * (n - 1) + Math.max(d, 0)) / n;
      loss = (loss * (n - 1) + Math.max(-d, 0)) / n;
      out[i] = rsiOf(gain, loss);
    }
    return out;
  }

  private static double rsiOf(double gain, double loss) {
    return loss == 0 ? 100 : 100 - 100 / (1 + gain / loss);
  }

  /** Wilder's ATR over true ranges max(h − l, |h − previous close|, |l − previous close|). */
  static double[] atr(List<Candle> c, int n) {
    double[] out = nan(c.size());
    if (c.size() <= n) {
      return out;
    }
    double sum = 0;
    for (int i = 1; i <= n; i++) {
      sum += trueRange(c, i);
    }
    double a = sum / n;
    out[n] = a;
    for (int i = n + 1; i < c.size(); i++) {
      a = (a * (n - 1) + trueRange(c, i)) / n;
      out[i] = a;
    }
    return out;
  }

  private static double trueRange(List<Candle> c, int i) {
    double h = c.get(i).high();
    double l = c.get(i).low();
    double pc = c.get(i - 1).close();
    return Math.max(h - l, Math.max(Math.abs(h - pc), Math.abs(l - pc)));
  }

  /**
   * Bollinger n/k: middle = SMA n, bands = middle ± k × population standard deviation of the
   * same n closes; returns {%b, width} with %b = (close − lower) ÷ (upper − lower) and width =
   * (upper − lower) ÷ middle × 100.
   */
  static double[][] bollinger(double[] close, int n, double k) {
    double[] pb = nan(close.length);
    double[] width = nan(close.length);
    for (int i = n - 1; i < close.length; i++) {
      double mean = 0;
      for (int j = i - n + 1; j <= i; j++) {
        mean += close[j];
      }
      mean /= n;
      double var = 0;
      for (int j = i - n + 1; j <= i; j++) {
        var += (close[j] - mean) * (close[j] - mean);
      }
      double sd = Math.sqrt(var / n);
      double upper = mean + k * sd;
      double lower = mean - k * sd;
      pb[i] = (close[i] - lower) / (upper - lower);
      width[i] = (upper - lower) / mean * 100;
    }
    return new double[][] {pb, width};
  }

  /**
   * Wilder's Parabolic SAR with TA-Lib's start, written as Wilder's worksheet: one row per bar with
   * the trend, the extreme point (EP), the acceleration factor (AF) and the SAR in force on that
   * bar. Bar 0 has no row. Bar 1's trend is short when its low fell below bar 0's by more than its
   * high rose (TA-Lib's −DM test; a tie is long), and it starts with bar 0's low (long) or high
   * (short) as its SAR, its own high or low as EP, AF = {@code start}. Each bar i then:
   *
   * <ol>
   *   <li>the SAR to beat is row i − 1's SAR moved by AF × (EP − SAR) and held out of the range of
   *       bars i − 2 and i − 1 (never above their lows in a long, never below their highs in a
   *       short), bar 0 never counting (for row 1 it is the start above);
   *   <li>a long whose low is at or under it, or a short whose high is at or over it, reverses:
   *       the row's SAR is the old EP, held out of the range of bars i − 1 and i, EP becomes the
   *       bar's low (short) or high (long), AF = {@code start};
   *   <li>otherwise the row's SAR is the SAR to beat, and a bar beyond the EP makes it the new EP
   *       and adds {@code step} to AF, never over {@code max}.
   * </ol>
   */
  static double[] parabolicSar(List<Candle> c, double start, double step, double max) {
    int n = c.size();
    double[] sar = nan(n);
    if (n < 2) {
      return sar;
    }
    boolean[] isLong = new boolean[n];
    double[] ep = new double[n];
    double[] af = new double[n];
    double minusDm = c.get(0).low() - c.get(1).low();
    double plusDm = c.get(1).high() - c.get(0).high();
    boolean trend = !(minusDm > 0 && minusDm > plusDm);
    double extreme = trend ? c.get(1).high() : c.get(1).low();
    double factor = start;
    for (int i = 1; i < n; i++) {
      double toBeat;
      if (i == 1) {
        toBeat = trend ? c.get(0).low() : c.get(0).high();
      } else {
        trend = isLong[i - 1];
        extreme = ep[i - 1];
        factor = af[i - 1];
        double moved = sar[i - 1] + factor * (extreme - sar[i - 1]);
        toBeat = trend ? Math.min(moved, lowest(c, i - 2, i - 1)) : Math.max(moved, highest(c, i - 2, i - 1));
      }
      Candle bar = c.get(i);
      if (trend ? bar.low() <= toBeat : bar.high() >= toBeat) {
        sar[i] = trend ? Math.max(extreme, highest(c, i - 1, i)) : Math.min(extreme, lowest(c, i - 1, i));
        isLong[i] = !trend;
        ep[i] = isLong[i] ? bar.high() : bar.low();
        af[i] = start;
      } else {
        sar[i] = toBeat;
        isLong[i] = trend;
        boolean beyond = trend ? bar.high() > extreme : bar.low() < extreme;
        ep[i] = beyond ? (trend ? bar.high() : bar.low()) : extreme;
        af[i] = beyond ? Math.min(factor + step, max) : factor;
      }
    }
    return sar;
  }

  /** The lowest low of bars {@code from}..{@code to}, bar 0 left out. */
  private static double lowest(List<Candle> c, int from, int to) {
    double low = Double.POSITIVE_INFINITY;
    for (int i = Math.max(1, from); i <= to; i++) {
      low = Math.min(low, c.get(i).low());
    }
    return low;
  }

  /** The highest high of bars {@code from}..{@code to}, bar 0 left out. */
  private static double highest(List<Candle> c, int from, int to) {
    double high = Double.NEGATIVE_INFINITY;
    for (int i = Math.max(1, from); i <= to; i++) {
      high = Math.max(high, c.get(i).high());
    }
    return high;
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }
}
