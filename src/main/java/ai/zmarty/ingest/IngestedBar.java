package ai.zmarty.ingest;

import ai.zmarty.market.CandleQuality.Flag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything ingest derives for one bar, from that bar and the ones before it: the indicators row,
 * the risk_metric row (with the 180-bar volatility norm), the nearest estimated liquidation
 * clusters (stored in the risk_metric row too) and the quality flags on the data behind it
 * ({@code indicators.quality}: {@link Quality}).
 */
public record IngestedBar(IndicatorBar indicators, RiskMetric risk, LiquidationProximity liquidation, List<Flag> quality) {
  public IngestedBar {
    quality = quality == null ? List.of() : List.copyOf(quality);
  }

  public Instant barTime() {
    return indicators.barTime();
  }

  /** The same bar with one more flag. */
  public IngestedBar withFlag(Flag flag) {
    List<Flag> more = new ArrayList<>(quality);
    more.add(flag);
    return new IngestedBar(indicators, risk, liquidation, more);
  }
}
