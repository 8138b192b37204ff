package ai.zmarty.config;

/**
 * Per-source analytics ({@code GET /analytics/*}): a source needs at least {@code minTrades}
 * resolved trades in a window to be ranked ({@code ANALYTICS_MIN_TRADES}); fewer, and it is listed
 * with its count and no rank.
 */
public record AnalyticsConfig(int minTrades) {
  static AnalyticsConfig from(RawConfig raw) {
    return new AnalyticsConfig(raw.integer("ANALYTICS_MIN_TRADES", 1, 1_000_000));
  }
}
