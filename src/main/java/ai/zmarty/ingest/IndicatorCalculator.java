package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's 21 indicators for a list of bars at once, through a fresh {@link IndicatorSeries}
 * (which says what is computed and how). A bar's values use only that bar and the ones before it
 * in the list. ta4j seeds its averages with the first value, so values differ from TA-Lib's until
 * a few hundred bars have passed: a bar is {@code warm} once {@value #WARM_BARS} bars preceded it.
 */
public final class IndicatorCalculator {
  public static final int WARM_BARS = 250;

  private IndicatorCalculator() {}

  /**
   * Values for the bars at index {@code fromIndex} and later of {@code candles} (oldest first),
   * computed after all of them were loaded into one series (the whole list is kept; for long
   * histories append to a bounded {@link IndicatorSeries} instead, which keeps memory flat).
   */
  public static List<IndicatorBar> compute(List<Candle> candles, Timeframe timeframe, int fromIndex) {
    IndicatorSeries series = new IndicatorSeries(timeframe, Math.max(IndicatorSeries.DEFAULT_MAX_BARS, candles.size()));
    candles.forEach(series::add);
    int from = Math.max(0, fromIndex);
    List<IndicatorBar> out = new ArrayList<>(Math.max(0, candles.size() - from));
    for (int i = from; i < candles.size(); i++) {
      out.add(series.valuesAt(i));
    }
    return out;
  }
}
