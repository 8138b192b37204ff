package ai.zmarty.ingest;

import java.time.Instant;

/**
 * Everything ingest derives for one bar, from that bar and the ones before it: the indicators row,
 * the risk_metric row (with the 180-bar volatility norm) and the nearest estimated liquidation
 * clusters, which are stored in the risk_metric row too.
 */
public record IngestedBar(IndicatorBar indicators, RiskMetric risk, LiquidationProximity liquidation) {
  public Instant barTime() {
    return indicators.barTime();
  }
}
