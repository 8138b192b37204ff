package ai.zmarty.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync and scheduler settings, and the webhook secret kept in the data directory. */
class SyncConfigTest {

  private static ZmartyConfig load(Map<String, String> env) {
    return ZmartyConfig.from(RawConfig.load(env));
  }

  private static void rejects(Map<String, String> env, String key, String fragment) {
    assertThatThrownBy(() -> load(env)).isInstanceOf(ConfigException.class).hasMessageStartingWith(key + ": ").hasMessageContaining(fragment);
  }

  @Test
  void defaults() {
    ZmartyConfig c = load(Map.of());
    assertThat(c.sync().webhookUrl()).isEmpty();
    assertThat(c.sync().webhookSecret()).isEmpty();
    assertThat(c.sync().tolerance()).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.sync().poll()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.sync().backoffMax()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.scheduler().ingest().expression()).isEqualTo("*/5 * * * *");
    assertThat(c.scheduler().ingest().pgCron()).contains("*/5 * * * *");
    assertThat(c.scheduler().winrate().expression()).isEqualTo("0 * * * *");
    assertThat(c.scheduler().nightly().expression()).isEqualTo("0 3 * * *");
    assertThat(c.scheduler().nightly().zone()).isEqualTo(java.time.ZoneId.of("America/New_York"));
    assertThat(c.scheduler().catchUp()).isEqualTo(Duration.ofHours(1));
    assertThat(c.scheduler().nightlyTimeout()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void overrides() {
    ZmartyConfig c =
        load(
            Map.of(
                "WEBHOOK_URL", "https://trading.example/functions/v1/watchers-upsert",
                "WEBHOOK_SECRET", "x".repeat(32),
                "WEBHOOK_TOLERANCE", "60s",
                "SYNC_POLL", "250ms",
                "SYNC_BACKOFF_MAX", "5m",
                "SCHEDULER_INGEST_CRON", "* * * * * *",
                "SCHEDULER_WINRATE_CRON", "0 0 * * *",
                "NIGHTLY_TZ", "Europe/Paris"));
    assertThat(c.sync().webhookUrl()).contains("https://trading.example/functions/v1/watchers-upsert");
    assertThat(c.sync().webhookSecret()).contains("x".repeat(32));
    assertThat(c.sync().tolerance()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.sync().poll()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.sync().backoffMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.scheduler().ingest().hasSeconds()).isTrue();
    assertThat(c.scheduler().ingest().pgCron()).isEmpty();
    assertThat(c.scheduler().winrate().expression()).isEqualTo("0 0 * * *");
    assertThat(c.scheduler().nightly().zone()).isEqualTo(java.time.ZoneId.of("Europe/Paris"));
  }

  @Test
  void badValuesNameTheirVariable() {
    rejects(Map.of("WEBHOOK_SECRET", "short"), "WEBHOOK_SECRET", "at least 32 characters");
    rejects(Map.of("WEBHOOK_URL", "ftp://x/hook"), "WEBHOOK_URL", "http:// or https://");
    rejects(Map.of("WEBHOOK_URL", "http://"), "WEBHOOK_URL", "http:// or https://");
    rejects(Map.of("SYNC_POLL", "1"), "SYNC_POLL", "duration like");
    rejects(Map.of("SCHEDULER_INGEST_CRON", "every 5 minutes"), "SCHEDULER_INGEST_CRON", "cron expression");
    rejects(Map.of("SCHEDULER_WINRATE_CRON", "0 25 * * *"), "SCHEDULER_WINRATE_CRON", "not a valid cron expression");
    rejects(Map.of("NIGHTLY_CRON", ""), "NIGHTLY_CRON", "must not be empty");
    rejects(Map.of("NIGHTLY_TZ", "America/Gotham"), "NIGHTLY_TZ", "time zone");
    rejects(Map.of("SCHEDULER_CATCH_UP", "2d"), "SCHEDULER_CATCH_UP", "from 0s");
  }

  @Test
  void anEmptyWebhookSecretIsGeneratedOnFirstUseAndKept(@TempDir Path dataDir) throws Exception {
    ZmartyConfig c = load(Map.of("ZMARTY_DATA_DIR", dataDir.toString()));
    Supplier<String> secret = Secrets.webhookSecret(c);
    Path file = dataDir.resolve(Secrets.WEBHOOK_SECRET_FILE);
    assertThat(file).doesNotExist();
    String first = secret.get();
    assertThat(first).hasSizeGreaterThanOrEqualTo(32);
    assertThat(Files.readString(file).trim()).isEqualTo(first);
    assertThat(Secrets.webhookSecret(c).get()).isEqualTo(first);
    assertThat(first).isNotEqualTo(Secrets.jwtSecret(c));
  }

  @Test
  void aConfiguredWebhookSecretIsUsedAsIs(@TempDir Path dataDir) {
    ZmartyConfig c = load(Map.of("ZMARTY_DATA_DIR", dataDir.toString(), "WEBHOOK_SECRET", "y".repeat(40)));
    assertThat(Secrets.webhookSecret(c).get()).isEqualTo("y".repeat(40));
    assertThat(dataDir.resolve(Secrets.WEBHOOK_SECRET_FILE)).doesNotExist();
  }
}
