package ai.zmarty.lens;

import ai.zmarty.ingest.IndicatorBar;
import ai.zmarty.ingest.IndicatorCalculator;
import ai.zmarty.ingest.IndicatorSeries;
import ai.zmarty.ingest.IndicatorValues;
import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The technical analysis of one timeframe's closed bars with the ingest indicator code ({@link
 * IndicatorSeries}, ta4j): EMA 9/21/50, MACD 12/26/9, RSI 14 and ATR 14 of the last closed bar,
 * its close and open time, how many bars went in and whether that is enough for the recursive
 * indicators to have settled ({@code warm}: at least {@link IndicatorCalculator#WARM_BARS}). Pure.
 */
public final class EnrichTa {
  private EnrichTa() {}

  /** The values of the last bar of {@code bars}; null when there are none. */
  public static JsonObject of(Timeframe tf, List<Candle> bars) {
    if (bars.isEmpty()) {
      return null;
    }
    IndicatorSeries series = new IndicatorSeries(tf, Math.max(IndicatorSeries.DEFAULT_MAX_BARS, bars.size()));
    bars.forEach(series::add);
    IndicatorBar last = series.valuesAt(bars.size() - 1);
    IndicatorValues v = last.values();
    return new JsonObject()
        .put("bar_time", last.barTime().toString())
        .put("close", last.close())
        .put("ema_9", v.ema9())
        .put("ema_21", v.ema21())
        .put("ema_50", v.ema50())
        .put("macd", v.macd())
        .put("macd_signal", v.macdSignal())
        .put("macd_hist", v.macdHist())
        .put("rsi_14", v.rsi14())
        .put("atr_14", v.atr14())
        .put("bars", bars.size())
        .put("warm", bars.size() > IndicatorCalculator.WARM_BARS);
  }

  /**
   * The analysis of bar lists already seen, by list identity: {@link EnrichCandles} hands every
   * signal on a symbol and timeframe the same list until the next bar closes, so the indicators
   * (the costliest part of an enrichment, on the event loop) run once per bar, not once per
   * signal. At most {@code size} lists are remembered, the least recently used dropped. Each
   * caller gets its own copy of the values.
   */
  public static final class Memo {
    /** A key that is equal only to the very same list (comparing bars by content would cost as much as the indicators). */
    private record Same(List<Candle> bars) {
      @Override
      public boolean equals(Object o) {
        return o instanceof Same other && other.bars == bars;
      }

      @Override
      public int hashCode() {
        return System.identityHashCode(bars);
      }
    }

    private final Map<Same, JsonObject> seen;
    private final java.util.function.BiFunction<Timeframe, List<Candle>, JsonObject> analysis;

    public Memo(int size) {
      this(size, EnrichTa::of);
    }

    /** With {@code analysis} in place of {@link EnrichTa#of} (tests count its calls). */
    Memo(int size, java.util.function.BiFunction<Timeframe, List<Candle>, JsonObject> analysis) {
      this.analysis = analysis;
      this.seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Same, JsonObject> eldest) {
          return size() > size;
        }
      };
    }

    /** {@link EnrichTa#of} of these bars, computed once per list. */
    public synchronized JsonObject of(Timeframe tf, List<Candle> bars) {
      JsonObject values = seen.computeIfAbsent(new Same(bars), k -> analysis.apply(tf, bars));
      return values == null ? null : values.copy();
    }
  }

  /** {@code up} when close > EMA 21 > EMA 50, {@code down} when below both in that order, else {@code flat}; null without the EMAs. */
  public static String trend(JsonObject ta) {
    Double close = ta.getDouble("close");
    Double ema21 = ta.getDouble("ema_21");
    Double ema50 = ta.getDouble("ema_50");
    if (close == null || ema21 == null || ema50 == null) {
      return null;
    }
    if (close > ema21 && ema21 > ema50) {
      return "up";
    }
    return close < ema21 && ema21 < ema50 ? "down" : "flat";
  }
}
