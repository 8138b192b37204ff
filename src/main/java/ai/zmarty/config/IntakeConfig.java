package ai.zmarty.config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Lens intake: the per-source rate limit, shared by the cluster, the default feature profile and
 * the readiness threshold.
 *
 * @param ratePerMinute signals a source may post a minute, sustained ({@code LENS_RATE_PER_MINUTE})
 * @param rateBurst the most a source may post at once after a quiet spell ({@code LENS_RATE_BURST})
 * @param defaultProfile the feature profile of a signal that names none ({@code LENS_DEFAULT_PROFILE})
 * @param readyMaxAge {@code GET /ready} answers 503 when the oldest ready message of lens_enrich or
 *     lens_evaluate has waited longer ({@code LENS_READY_MAX_AGE})
 */
public record IntakeConfig(int ratePerMinute, int rateBurst, String defaultProfile, Duration readyMaxAge) {
  /** A feature profile's name, as the signal body's {@code feature_profile} must be written. */
  public static final Pattern PROFILE_NAME = Pattern.compile("[a-z0-9][a-z0-9_]{0,63}");

  static IntakeConfig from(RawConfig raw) {
    int perMinute = raw.integer("LENS_RATE_PER_MINUTE", 1, 1_000_000);
    int burst = raw.integer("LENS_RATE_BURST", 1, 1_000_000);
    String profile = raw.required("LENS_DEFAULT_PROFILE");
    if (!PROFILE_NAME.matcher(profile).matches()) {
      throw new ConfigException("LENS_DEFAULT_PROFILE", "must be a profile name of lower-case letters, digits and _, got '" + profile + "'");
    }
    return new IntakeConfig(perMinute, burst, profile, raw.duration("LENS_READY_MAX_AGE", Duration.ofSeconds(1), Duration.ofDays(1)));
  }
}
