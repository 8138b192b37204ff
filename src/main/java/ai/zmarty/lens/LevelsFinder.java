package ai.zmarty.lens;

import ai.zmarty.market.Candle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Support and resistance from swing highs and lows. A bar is a swing high when its high is above
 * the highs of the {@value #WING} bars on each side (a swing low: its low below theirs); swings
 * within {@value #MERGE_PCT} % of each other are one level (their mean price, with how many
 * swings touched it). Resistance: the levels above the current price, nearest first; support:
 * those below, nearest first; at most {@value #MAX_LEVELS} each. Pure.
 */
public final class LevelsFinder {
  static final int WING = 3;
  static final double MERGE_PCT = 0.3;
  static final int MAX_LEVELS = 3;

  private LevelsFinder() {}

  /** {@code {support: [{price, touches}], resistance: [...]}} of {@code bars} (oldest first) around {@code price}. */
  public static JsonObject find(List<Candle> bars, double price) {
    List<Double> highs = new ArrayList<>();
    List<Double> lows = new ArrayList<>();
    for (int i = WING; i < bars.size() - WING; i++) {
      boolean high = true;
      boolean low = true;
      for (int j = i - WING; j <= i + WING; j++) {
        if (j != i) {
          high &= bars.get(i).high() > bars.get(j).high();
          low &= bars.get(i).low() < bars.get(j).low();
        }
      }
      if (high) {
        highs.add(bars.get(i).high());
      }
      if (low) {
        lows.add(bars.get(i).low());
      }
    }
    List<double[]> levels = merge(highs, lows);
    List<double[]> above = levels.stream().filter(l -> l[0] > price).sorted(Comparator.comparingDouble(l -> l[0])).limit(MAX_LEVELS).toList();
    List<double[]> below = levels.stream().filter(l -> l[0] < price).sorted(Comparator.comparingDouble(l -> -l[0])).limit(MAX_LEVELS).toList();
    return new JsonObject().put("support", json(below)).put("resistance", json(above));
  }

  /** Every swing price, sorted, grouped while each is within MERGE_PCT of the group's first: {mean, count}. */
  static List<double[]> merge(List<Double> highs, List<Double> lows) {
    List<Double> all = new ArrayList<>(highs);
    all.addAll(lows);
    all.sort(Double::compare);
    List<double[]> out = new ArrayList<>();
    int i = 0;
    while (i < all.size()) {
      double first = all.get(i);
      double sum = 0;
      int n = 0;
      while (i < all.size() && (all.get(i) - first) / first * 100 <= MERGE_PCT) {
        sum += all.get(i++);
        n++;
      }
      out.add(new double[] {sum / n, n});
    }
    return out;
  }

  private static JsonArray json(List<double[]> levels) {
    JsonArray out = new JsonArray();
    levels.forEach(l -> out.add(new JsonObject().put("price", EnrichPayload.round(l[0])).put("touches", (int) l[1])));
    return out;
  }
}
