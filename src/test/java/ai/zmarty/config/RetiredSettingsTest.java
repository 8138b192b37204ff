package ai.zmarty.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A removed setting still set in a deployment stops start-up, naming its replacement, instead of being ignored. */
class RetiredSettingsTest {

  private static ZmartyConfig load(Map<String, String> env) {
    return ZmartyConfig.from(RawConfig.load(env));
  }

  @Test
  void theOldIngestIntervalIsRefusedNamingTheCronSetting() {
    assertThatThrownBy(() -> load(Map.of("SCHEDULER_INGEST_EVERY", "5m")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SCHEDULER_INGEST_EVERY: was removed; set SCHEDULER_INGEST_CRON, a cron expression in UTC (every 5 minutes: '*/5 * * * *') instead, and unset SCHEDULER_INGEST_EVERY")
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("SCHEDULER_INGEST_EVERY");
  }

  @Test
  void theOldWinRateIntervalIsRefusedNamingTheCronSettingEvenBesideIt() {
    assertThatThrownBy(() -> load(Map.of("SCHEDULER_WINRATE_EVERY", "1h", "SCHEDULER_WINRATE_CRON", "0 * * * *")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SCHEDULER_WINRATE_EVERY: was removed; set SCHEDULER_WINRATE_CRON");
  }

  @Test
  void anyOtherSchedulerEverySettingIsRefusedListingTheCronSettings() {
    assertThatThrownBy(() -> load(Map.of("SCHEDULER_NIGHTLY_EVERY", "1d")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SCHEDULER_NIGHTLY_EVERY: was removed: schedules are cron expressions now (SCHEDULER_INGEST_CRON, SCHEDULER_WINRATE_CRON, NIGHTLY_CRON with NIGHTLY_TZ)");
  }

  @Test
  void anEmptyValueLosesNothingAndIsAccepted() {
    assertThat(load(Map.of("SCHEDULER_INGEST_EVERY", "")).scheduler().ingest()).isNotNull();
  }

  @Test
  void theReplacementsAloneStartAsBefore() {
    ZmartyConfig c = load(Map.of("SCHEDULER_INGEST_CRON", "*/10 * * * *", "UNRELATED_EVERY", "5m"));
    assertThat(c.scheduler().ingest()).isNotNull();
    assertThat(c.analytics().minTrades()).isEqualTo(20);
    assertThat(c.ops().nightlyDbTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
  }
}
