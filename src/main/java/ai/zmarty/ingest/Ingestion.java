package ai.zmarty.ingest;

import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which bars an ingest job computes and what it computes for them: the pure core of {@link
 * IngestVerticle}. It always loads the last {@value #LOOKBACK_BARS} closed bars (so indicators
 * see the same history whichever bars are new); a pair seen for the first time gets its last
 * {@value #BACKFILL_BARS} bars computed, later jobs only the bars newer than the newest stored.
 */
public final class Ingestion {
  public static final int LOOKBACK_BARS = 300;
  public static final int BACKFILL_BARS = 120;

  /** Rows to upsert: one indicators row and one risk_metric row per computed bar. */
  public record Result(List<IngestedBar> bars) {
    public boolean isEmpty() {
      return bars.isEmpty();
    }

    public long warmBars() {
      return bars.stream().filter(b -> b.indicators().warm()).count();
    }

    public List<IndicatorBar> indicators() {
      return bars.stream().map(IngestedBar::indicators).toList();
    }

    public List<RiskMetric> risks() {
      return bars.stream().map(IngestedBar::risk).toList();
    }
  }

  private Ingestion() {}

  /**
   * @param candles the loaded closed bars, oldest first
   * @param lastStored the newest bar already in {@code indicators} for this pair, or null
   */
  public static Result compute(List<Candle> candles, Timeframe timeframe, Instant lastStored) {
    int from = firstIndexToCompute(candles, lastStored);
    List<IndicatorBar> indicators = IndicatorCalculator.compute(candles, timeframe, from);
    List<IngestedBar> bars = new ArrayList<>(indicators.size());
    for (IndicatorBar bar : indicators) {
      bars.add(PairSeries.derive(candles, bar.barsBefore(), bar, timeframe));
    }
    return new Result(bars);
  }

  /** The first index to compute: bars newer than {@code lastStored}, never more than the newest {@value #BACKFILL_BARS}. */
  static int firstIndexToCompute(List<Candle> candles, Instant lastStored) {
    int from = Math.max(0, candles.size() - BACKFILL_BARS);
    if (lastStored == null) {
      return from;
    }
    while (from < candles.size() && !candles.get(from).openTime().isAfter(lastStored)) {
      from++;
    }
    return from;
  }
}
