package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleQuality.Flag;
import ai.zmarty.market.Timeframe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One pair's inputs kept in memory, bar after bar: the bounded {@link IndicatorSeries} and the last
 * {@value #KEPT_CANDLES} candles, which is what the risk metric ({@link RiskMetrics#LONG_WINDOW} + 1
 * bars) and the liquidation map ({@link LiquidationMap#WINDOW_BARS} bars) read. {@link #append}
 * adds a closed bar and derives everything ingest stores for it ({@link IngestedBar}) from that
 * bar and the ones before it. The ingest worker keeps one per pair; the backtest and the
 * no-lookahead test walk history with one, so all three run the same code. Not thread-safe.
 */
public final class PairSeries {
  public static final int KEPT_CANDLES = Math.max(RiskMetrics.LONG_WINDOW + 1, LiquidationMap.WINDOW_BARS);

  private final Timeframe timeframe;
  private final IndicatorSeries indicators;
  private final List<Candle> window = new ArrayList<>(KEPT_CANDLES + 1);

  public PairSeries(Timeframe timeframe) {
    this.timeframe = timeframe;
    this.indicators = new IndicatorSeries(timeframe);
  }

  /** Appends a closed bar, which must open after the last one, and derives its rows. */
  public IngestedBar append(Candle c) {
    IndicatorBar bar = indicators.append(c);
    keep(c);
    return derive(window, window.size() - 1, bar, timeframe);
  }

  /**
   * Appends a closed bar whose rows are not needed (history before the bars a job writes): the
   * indicators still step through it, since the recursive ones carry their value from bar to bar,
   * but no risk metric or liquidation map is computed.
   */
  public void feed(Candle c) {
    indicators.append(c);
    keep(c);
  }

  private void keep(Candle c) {
    window.add(c);
    if (window.size() > KEPT_CANDLES) {
      window.removeFirst();
    }
  }

  /**
   * The rows of bar {@code index} of {@code candles}, whose indicators are {@code bar}: the risk
   * metric, the liquidation proximity and the {@code missing} flag (bars absent right before it)
   * read {@code candles} up to {@code index} only. The same function serves a kept window and a
   * whole history, which is what makes them comparable.
   */
  public static IngestedBar derive(List<Candle> candles, int index, IndicatorBar bar, Timeframe timeframe) {
    Flag missing = index == 0 ? null : Quality.missingBefore(candles.get(index - 1).openTime(), candles.get(index).openTime(), timeframe.duration());
    return new IngestedBar(
        bar, RiskMetrics.at(candles, index, bar.values().atr14(), timeframe), LiquidationMap.proximity(candles, index), missing == null ? List.of() : List.of(missing));
  }

  /**
   * The estimated liquidation clusters as of the newest bar ({@code liq_clusters}), their notional
   * scaled to {@code openInterest} when it is known (null: traded-notional units).
   */
  public List<LiquidationMap.Level> clusters(Double openInterest) {
    return LiquidationMap.estimate(window, openInterest);
  }

  /** Open time of the newest bar, or null before the first. */
  public Instant lastOpen() {
    return indicators.lastOpen();
  }

  /** The newest bar, or null before the first. */
  public Candle last() {
    return window.isEmpty() ? null : window.getLast();
  }

  /** Bars appended so far. */
  public long appended() {
    return indicators.appended();
  }

  public Timeframe timeframe() {
    return timeframe;
  }
}
