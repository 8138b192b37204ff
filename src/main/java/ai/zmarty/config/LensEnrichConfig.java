package ai.zmarty.config;

import ai.zmarty.lens.FeatureProfiles;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The outside-signal enrichment: the early checks ({@code LENS_MAX_DRIFT_PCT}, {@code LENS_MAX_AGE},
 * {@code LENS_MAX_CLOCK_SKEW}), the feature profiles ({@code LENS_PROFILES_FILE}), how much data is
 * fetched ({@code LENS_CANDLES} bars per timeframe, {@code LENS_BOOK_DEPTH} levels a side) and the
 * quality thresholds ({@code LENS_MAX_SPREAD_PCT}; {@code LENS_STALE_TICKER}, {@code
 * LENS_STALE_BOOK}, {@code LENS_STALE_DERIVATIVES}; {@code LENS_STALE_CANDLE_BARS}).
 */
public record LensEnrichConfig(
    double maxDriftPct,
    Duration maxAge,
    Duration maxClockSkew,
    FeatureProfiles profiles,
    int candles,
    int bookDepth,
    double maxSpreadPct,
    Staleness stale) {

  /** When a component counts as stale: its data time older than these (candles: the last closed bar's close more than {@code candleBars} bars ago). */
  public record Staleness(Duration ticker, Duration book, Duration derivatives, int candleBars) {}

  static LensEnrichConfig from(RawConfig raw) {
    return new LensEnrichConfig(
        percent(raw, "LENS_MAX_DRIFT_PCT"),
        raw.duration("LENS_MAX_AGE", Duration.ofSeconds(1), Duration.ofDays(1)),
        raw.duration("LENS_MAX_CLOCK_SKEW", Duration.ZERO, Duration.ofHours(1)),
        FeatureProfiles.load(raw.optional(FeatureProfiles.KEY).map(Path::of)),
        raw.integer("LENS_CANDLES", 60, 5_000),
        raw.integer("LENS_BOOK_DEPTH", 1, 20),
        percent(raw, "LENS_MAX_SPREAD_PCT"),
        new Staleness(
            raw.duration("LENS_STALE_TICKER", Duration.ofSeconds(1), Duration.ofDays(1)),
            raw.duration("LENS_STALE_BOOK", Duration.ofSeconds(1), Duration.ofDays(1)),
            raw.duration("LENS_STALE_DERIVATIVES", Duration.ofSeconds(1), Duration.ofDays(1)),
            raw.integer("LENS_STALE_CANDLE_BARS", 1, 1_000)));
  }

  /** A percentage above 0 and at most 100. */
  private static double percent(RawConfig raw, String key) {
    String v = raw.required(key);
    try {
      double d = Double.parseDouble(v);
      if (d > 0 && d <= 100) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(key, "must be a percentage above 0 and at most 100 (e.g. 2 for 2 %), got '" + v + "'");
  }
}
