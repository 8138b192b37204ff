package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Estimated liquidation clusters (docs/liquidations.md). No exchange publishes where positions
 * will be liquidated, so this estimates it: each bar's new positions (its traded notional, volume ×
 * close, as the proxy for new open interest when no open-interest feed is available), half long and
 * half short, spread over leverage tiers, each liquidated near {@code close·(1 − 1/L + mm)} (longs)
 * or {@code close·(1 + 1/L − mm)} (shorts); binned by price; decaying with a half-life; and
 * removed once a later bar trades through the level (those positions are gone).
 */
public final class LiquidationMap {
  /** Leverage tiers and the share of new positions assumed at each. */
  static final double[] LEVERAGE = {5, 10, 25, 50, 100};
  static final double[] SHARE = {0.30, 0.30, 0.20, 0.12, 0.08};
  /** Maintenance margin as a fraction of the position. */
  static final double MAINTENANCE = 0.005;
  /** Bin width as a fraction of the newest close. */
  static final double BIN = 0.0025;
  static final double HALF_LIFE_BARS = 48;
  /** Levels weaker than this share of the strongest are not kept. */
  static final double FLOOR = 0.01;

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

  /** The clusters left after walking {@code candles} (oldest first), strongest first. */
  public static List<Level> estimate(List<Candle> candles) {
    if (candles.isEmpty()) {
      return List.of();
    }
    double width = candles.getLast().close() * BIN;
    double decay = Math.pow(0.5, 1 / HALF_LIFE_BARS);
    TreeMap<Long, Double> longs = new TreeMap<>();
    TreeMap<Long, Double> shorts = new TreeMap<>();
    for (Candle c : candles) {
      longs.replaceAll((bin, notional) -> notional * decay);
      shorts.replaceAll((bin, notional) -> notional * decay);
      // Traded through: longs liquidate when price falls to their level, shorts when it rises to it.
      longs.tailMap(bin(c.low(), width), true).clear();
      shorts.headMap(bin(c.high(), width), true).clear();
      double fresh = c.volume() * c.close() / 2;
      for (int t = 0; t < LEVERAGE.length; t++) {
        longs.merge(bin(longLiquidation(c.close(), LEVERAGE[t]), width), fresh * SHARE[t], Double::sum);
        shorts.merge(bin(shortLiquidation(c.close(), LEVERAGE[t]), width), fresh * SHARE[t], Double::sum);
      }
      // The levels this bar created at or inside its own range are liquidated at once.
      longs.tailMap(bin(c.low(), width), true).clear();
      shorts.headMap(bin(c.high(), width), true).clear();
    }
    double strongest = Math.max(max(longs), max(shorts));
    List<Level> out = new ArrayList<>();
    collect(out, Side.LONG, longs, width, strongest);
    collect(out, Side.SHORT, shorts, width, strongest);
    out.sort(Comparator.comparingDouble(Level::intensity).reversed().thenComparingDouble(Level::price));
    return out;
  }

  private static long bin(double price, double width) {
    return Math.round(price / width);
  }

  private static double max(Map<Long, Double> m) {
    return m.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  private static void collect(List<Level> out, Side side, Map<Long, Double> bins, double width, double strongest) {
    if (strongest <= 0) {
      return;
    }
    bins.forEach((bin, notional) -> {
      double intensity = notional / strongest;
      if (intensity >= FLOOR) {
        out.add(new Level(side, bin * width, notional, intensity));
      }
    });
  }
}
