package ai.zmarty.lens;

import ai.zmarty.config.LensEnrichConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The early checks an event passes before the full fetch, cheapest first: its time against the
 * clock (more than {@code LENS_MAX_CLOCK_SKEW} ahead: {@code clock_skew}; more than {@code
 * LENS_MAX_AGE} old: {@code stale}), then its entry price against the market's mid (more than
 * {@code LENS_MAX_DRIFT_PCT} away: {@code price_drift}). A failed check is a rejection with a
 * reason and the figures behind it; it is final (the message is archived, not retried). Pure.
 */
public final class EnrichChecks {
  /** Reject reasons enrichment gives (lens.events.reject_reason). */
  public static final String CLOCK_SKEW = "clock_skew";

  public static final String STALE = "stale";
  public static final String PRICE_DRIFT = "price_drift";
  public static final String UNKNOWN_PROFILE = "unknown_profile";
  public static final String UNKNOWN_SYMBOL = "unknown_symbol";

  /** A failed check: the reason stored on the event and the figures for its timeline row. */
  public record Rejection(String reason, JsonObject detail) {}

  private final LensEnrichConfig config;

  public EnrichChecks(LensEnrichConfig config) {
    this.config = config;
  }

  /** {@code clock_skew} or {@code stale} for a signal dated {@code ts} seen at {@code now}. */
  public Optional<Rejection> timing(Instant ts, Instant now) {
    Duration age = Duration.between(ts, now);
    double ageSeconds = age.toMillis() / 1000.0;
    if (age.isNegative() && age.negated().compareTo(config.maxClockSkew()) > 0) {
      return Optional.of(new Rejection(CLOCK_SKEW, new JsonObject().put("ahead_s", -ageSeconds).put("max_clock_skew_s", config.maxClockSkew().toMillis() / 1000.0)));
    }
    if (age.compareTo(config.maxAge()) > 0) {
      return Optional.of(new Rejection(STALE, new JsonObject().put("age_s", ageSeconds).put("max_age_s", config.maxAge().toMillis() / 1000.0)));
    }
    return Optional.empty();
  }

  /** {@code price_drift} when {@code entry} is more than the allowed percentage away from {@code mid}. */
  public Optional<Rejection> drift(double entry, double mid) {
    double pct = driftPct(entry, mid);
    if (pct > config.maxDriftPct()) {
      return Optional.of(new Rejection(PRICE_DRIFT, new JsonObject().put("entry_price", entry).put("mid", mid).put("drift_pct", pct).put("max_drift_pct", config.maxDriftPct())));
    }
    return Optional.empty();
  }

  /** |entry − mid| as a percentage of the mid. */
  static double driftPct(double entry, double mid) {
    return Math.abs(entry - mid) / mid * 100;
  }
}
