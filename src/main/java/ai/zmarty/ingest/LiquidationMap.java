package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Estimated liquidation clusters (docs/liquidations.md). No exchange publishes where positions
 * will be liquidated, so this estimates it: each bar's new positions (its traded notional, volume ×
 * close, as the proxy for new open interest when no open-interest feed is available), half long and
 * half short, spread over leverage tiers, each liquidated near {@code close·(1 − 1/L + mm)} (longs)
 * or {@code close·(1 + 1/L − mm)} (shorts); binned by price; decaying with a half-life; and
 * removed once a later bar trades through the level (those positions are gone).
 *
 * <p>The map of bar t is a function of the {@value #WINDOW_BARS} bars ending at t and nothing
 * else: a bar's contribution is counted when no bar from it up to t traded through its level, and
 * weighed 0.5^(age ÷ half-life). Bins sit on one log-price grid for every price (not relative to
 * the newest close), so the same bar falls in the same bin whichever bar is newest. Both make the
 * map, and the per-bar {@link #proximity}, the same bit for bit on any node and however the
 * history before the window was loaded: no state is carried from bar to bar.
 */
public final class LiquidationMap {
  /** Leverage tiers and the share of new positions assumed at each. */
  static final double[] LEVERAGE = {5, 10, 25, 50, 100};
  static final double[] SHARE = {0.30, 0.30, 0.20, 0.12, 0.08};
  /** Maintenance margin as a fraction of the position. */
  static final double MAINTENANCE = 0.005;
  /** Bin width: 0.25 % of the price, on a log grid. */
  static final double BIN = 0.0025;
  private static final double LOG_BIN = Math.log1p(BIN);
  static final double HALF_LIFE_BARS = 48;
  /** Bars whose new positions count: five half-lives, so the oldest weighs 1/32. */
  public static final int WINDOW_BARS = 240;
  /** Levels weaker than this share of the strongest are not kept. */
  static final double FLOOR = 0.01;
  /** A level at least this strong, relative to the strongest on the map, is a cluster {@link #proximity} reports. */
  public static final double STRONG = 0.25;

  private static final double[] DECAY = new double[WINDOW_BARS];
  /** log(1 − 1/L + mm) and log(1 + 1/L − mm) per tier: a level's log price is its bar's log close plus these. */
  private static final double[] LONG_FACTOR = new double[LEVERAGE.length];
  private static final double[] SHORT_FACTOR = new double[LEVERAGE.length];

  static {
    for (int age = 0; age < WINDOW_BARS; age++) {
      DECAY[age] = Math.pow(0.5, age / HALF_LIFE_BARS);
    }
    for (int t = 0; t < LEVERAGE.length; t++) {
      LONG_FACTOR[t] = Math.log(longLiquidation(1, LEVERAGE[t]));
      SHORT_FACTOR[t] = Math.log(shortLiquidation(1, LEVERAGE[t]));
    }
  }

  public enum Side {
    LONG,
    SHORT
  }

  /** One price bin: the notional estimated to be liquidated there and its strength relative to the strongest (0–1). */
  public record Level(Side side, double price, double notional, double intensity) {}

  private LiquidationMap() {}

  public static double longLiquidation(double price, double leverage) {
    return price * (1 - 1 / leverage + MAINTENANCE);
  }

  public static double shortLiquidation(double price, double leverage) {
    return price * (1 + 1 / leverage - MAINTENANCE);
  }

  /** The clusters as of the newest of {@code candles} (oldest first), strongest first, in traded-notional units. */
  public static List<Level> estimate(List<Candle> candles) {
    return estimate(candles, null);
  }

  /**
   * The clusters as of the newest of {@code candles}, with their notional scaled to {@code
   * openInterest} (quote currency; null or not positive: left in traded-notional units). The
   * positions the map still holds are taken to be the open interest: each side's levels are
   * multiplied by open interest ÷ (the map's long total + short total) ÷ 2, since every open
   * contract is one long and one short. A uniform scale, so intensities — and the per-bar
   * proximity, which has no open-interest history to use — are unchanged.
   */
  public static List<Level> estimate(List<Candle> candles, Double openInterest) {
    if (candles.isEmpty()) {
      return List.of();
    }
    Bins bins = bins(candles, candles.size() - 1);
    double strongest = bins.strongest();
    double scale = 1;
    double held = (sum(bins.longs()) + sum(bins.shorts())) / 2;
    if (openInterest != null && openInterest > 0 && held > 0) {
      scale = openInterest / held;
    }
    List<Level> out = new ArrayList<>();
    collect(out, Side.LONG, bins.base(), bins.longs(), strongest, scale);
    collect(out, Side.SHORT, bins.base(), bins.shorts(), strongest, scale);
    out.sort(Comparator.comparingDouble(Level::intensity).reversed().thenComparingDouble(Level::price));
    return out;
  }

  /**
   * The nearest strong cluster on each side of bar {@code index}'s close, from the map as of that
   * bar (bars after it are never read): long liquidations below, short liquidations above.
   */
  public static LiquidationProximity proximity(List<Candle> candles, int index) {
    Bins bins = bins(candles, index);
    double strongest = bins.strongest();
    if (strongest <= 0) {
      return LiquidationProximity.NONE;
    }
    double close = candles.get(index).close();
    // every surviving long level is below the lows since its bar, so below the close: the nearest is the highest bin
    int below = -1;
    for (int i = bins.longs().length - 1; i >= 0 && below < 0; i--) {
      if (bins.longs()[i] / strongest >= STRONG) {
        below = i;
      }
    }
    int above = -1;
    for (int i = 0; i < bins.shorts().length && above < 0; i++) {
      if (bins.shorts()[i] / strongest >= STRONG) {
        above = i;
      }
    }
    return new LiquidationProximity(
        below < 0 ? null : (close - price(bins.base() + below)) / close,
        below < 0 ? null : bins.longs()[below] / strongest,
        above < 0 ? null : (price(bins.base() + above) - close) / close,
        above < 0 ? null : bins.shorts()[above] / strongest);
  }

  /** Notional per bin as of bar {@code index}, from the window of bars ending at it. */
  private static Bins bins(List<Candle> candles, int index) {
    int from = Math.max(0, index - WINDOW_BARS + 1);
    int n = index - from + 1;
    // bins are log(price) ÷ LOG_BIN rounded, with log(close·k) taken as log(close) + log(k): one log per price
    double[] logClose = new double[n];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      logClose[i] = Math.log(candles.get(from + i).close());
      lo = Math.min(lo, logClose[i]);
      hi = Math.max(hi, logClose[i]);
    }
    long base = Math.round((lo + LONG_FACTOR[0]) / LOG_BIN) - 1;
    int size = (int) (Math.round((hi + SHORT_FACTOR[0]) / LOG_BIN) - base + 2);
    double[] longs = new double[size];
    double[] shorts = new double[size];
    double minLow = Double.POSITIVE_INFINITY;
    double maxHigh = Double.NEGATIVE_INFINITY;
    long lowBin = Long.MAX_VALUE;
    long highBin = Long.MIN_VALUE;
    // newest first, so the lowest low and highest high since each bar are running values
    for (int s = index; s >= from; s--) {
      Candle c = candles.get(s);
      if (c.low() < minLow) {
        minLow = c.low();
        lowBin = bin(minLow);
      }
      if (c.high() > maxHigh) {
        maxHigh = c.high();
        highBin = bin(maxHigh);
      }
      double fresh = c.volume() * c.close() / 2 * DECAY[index - s];
      if (!(fresh > 0)) {
        continue;
      }
      double logC = logClose[s - from];
      // a level is gone once a bar from its own on reached its bin: longs at or above the lowest low, shorts at or below the highest high
      for (int t = 0; t < LEVERAGE.length; t++) {
        long longBin = Math.round((logC + LONG_FACTOR[t]) / LOG_BIN);
        if (longBin < lowBin) {
          longs[(int) (longBin - base)] += fresh * SHARE[t];
        }
        long shortBin = Math.round((logC + SHORT_FACTOR[t]) / LOG_BIN);
        if (shortBin > highBin) {
          shorts[(int) (shortBin - base)] += fresh * SHARE[t];
        }
      }
    }
    return new Bins(base, longs, shorts);
  }

  /** Notional per bin, bin {@code base + i} at index {@code i}; 0 where nothing is left. */
  private record Bins(long base, double[] longs, double[] shorts) {
    double strongest() {
      double max = 0;
      for (int i = 0; i < longs.length; i++) {
        max = Math.max(max, Math.max(longs[i], shorts[i]));
      }
      return max;
    }
  }

  static long bin(double price) {
    return Math.round(Math.log(price) / LOG_BIN);
  }

  static double price(long bin) {
    return Math.exp(bin * LOG_BIN);
  }

  private static void collect(List<Level> out, Side side, long base, double[] bins, double strongest, double scale) {
    if (strongest <= 0) {
      return;
    }
    for (int i = 0; i < bins.length; i++) {
      double intensity = bins[i] / strongest;
      if (intensity >= FLOOR) {
        out.add(new Level(side, price(base + i), bins[i] * scale, intensity));
      }
    }
  }

  private static double sum(double[] bins) {
    double total = 0;
    for (double b : bins) {
      total += b;
    }
    return total;
  }
}
