package ai.zmarty.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The health command's thresholds and the nightly pipeline's lease.
 *
 * @param freshWarnBars newest indicator bar of an active pair older than this many bars: warning
 *     ({@code HEALTH_FRESH_WARN_BARS})
 * @param freshCriticalBars older than this many bars: critical ({@code HEALTH_FRESH_CRITICAL_BARS})
 * @param integrityMinSignals a pair with fewer long/short signals than this is not expected to
 *     have a win rate yet ({@code HEALTH_INTEGRITY_MIN_SIGNALS})
 * @param apiUrl the node whose {@code /healthz} the API check calls; empty: this config's own
 *     port on 127.0.0.1 ({@code HEALTH_API_URL})
 * @param nightlyLease how long the nightly run's cluster-wide lease lasts unless renewed; a run
 *     whose node died is taken over after it ({@code NIGHTLY_LEASE})
 * @param nightlyJobTimeout the longest one worker job of the pipeline may take ({@code NIGHTLY_JOB_TIMEOUT})
 * @param nightlyDbTimeout the bound on connecting, logging in and each statement when {@code zmarty
 *     nightly} applies the migrations over JDBC ({@code NIGHTLY_DB_TIMEOUT})
 */
public record OpsConfig(double freshWarnBars, double freshCriticalBars, int integrityMinSignals, Optional<String> apiUrl, Duration nightlyLease, Duration nightlyJobTimeout, Duration nightlyDbTimeout) {

  static OpsConfig from(RawConfig raw) {
    int warn = raw.integer("HEALTH_FRESH_WARN_BARS", 1, 10_000);
    int critical = raw.integer("HEALTH_FRESH_CRITICAL_BARS", 1, 10_000);
    if (critical < warn) {
      throw new ConfigException("HEALTH_FRESH_CRITICAL_BARS", "must not be under HEALTH_FRESH_WARN_BARS (" + warn + "), got " + critical);
    }
    Optional<String> url = raw.optional("HEALTH_API_URL");
    if (url.isPresent() && !url.get().matches("https?://[^\\s/?#]+(/\\S*)?")) {
      throw new ConfigException("HEALTH_API_URL", "must be an http:// or https:// URL, got '" + url.get() + "'");
    }
    return new OpsConfig(
        warn,
        critical,
        raw.integer("HEALTH_INTEGRITY_MIN_SIGNALS", 1, 1_000_000),
        url,
        raw.duration("NIGHTLY_LEASE", Duration.ofSeconds(1), Duration.ofHours(1)),
        raw.duration("NIGHTLY_JOB_TIMEOUT", Duration.ofSeconds(1), Duration.ofHours(6)),
        raw.duration("NIGHTLY_DB_TIMEOUT", Duration.ofSeconds(1), Duration.ofHours(1)));
  }
}
