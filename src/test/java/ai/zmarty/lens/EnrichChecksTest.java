package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.LensEnrichConfig;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrichChecksTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  private static final LensEnrichConfig CONFIG = ZmartyConfig.from(RawConfig.load(Map.of())).lensEnrich();
  private final EnrichChecks checks = new EnrichChecks(CONFIG);

  @Test
  void theDefaultsAreTheBriefs() {
    assertThat(CONFIG.maxDriftPct()).isEqualTo(2.0);
    assertThat(CONFIG.maxAge()).hasMinutes(5);
    assertThat(CONFIG.maxClockSkew()).hasSeconds(30);
  }

  @Test
  void aSignalUpToFiveMinutesOldPassesAndOneSecondMoreIsStale() {
    assertThat(checks.timing(NOW.minusSeconds(300), NOW)).isEmpty();
    assertThat(checks.timing(NOW.minusSeconds(301), NOW)).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo("stale");
      assertThat(r.detail().getDouble("age_s")).isEqualTo(301.0);
    });
  }

  @Test
  void upToThirtySecondsAheadIsClockDriftWeTolerateBeyondItIsSkew() {
    assertThat(checks.timing(NOW.plusSeconds(30), NOW)).isEmpty();
    assertThat(checks.timing(NOW.plusMillis(30_001), NOW)).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo("clock_skew");
      assertThat(r.detail().getDouble("ahead_s")).isEqualTo(30.001);
    });
  }

  @Test
  void anEntryWithinTwoPercentOfTheMidPassesEitherSide() {
    assertThat(checks.drift(102, 100)).isEmpty();
    assertThat(checks.drift(98, 100)).isEmpty();
    assertThat(checks.drift(102.01, 100)).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("price_drift"));
    assertThat(checks.drift(97.9, 100)).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo("price_drift");
      assertThat(r.detail().getDouble("drift_pct")).isCloseTo(2.1, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(r.detail().getDouble("mid")).isEqualTo(100.0);
    });
  }
}
