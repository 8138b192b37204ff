package ai.zmarty.config;

import ai.zmarty.ops.CronSchedule;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The cluster-wide schedules: ingest ({@code SCHEDULER_INGEST_CRON}, UTC, spread over {@code
 * SCHEDULER_INGEST_SPREAD} of its interval), win rate ({@code SCHEDULER_WINRATE_CRON}, UTC) and
 * the nightly pipeline ({@code NIGHTLY_CRON} in {@code NIGHTLY_TZ}); how late a missed slot may
 * still run ({@code SCHEDULER_CATCH_UP}) and how long the nightly may take ({@code
 * NIGHTLY_TIMEOUT}).
 */
public record SchedulerConfig(CronSchedule ingest, CronSchedule winrate, double ingestSpread, CronSchedule nightly, Duration catchUp, Duration nightlyTimeout) {

  static SchedulerConfig from(RawConfig raw, double ingestSpread) {
    ZoneId nightlyZone;
    try {
      nightlyZone = CronSchedule.zone(raw.required("NIGHTLY_TZ"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("NIGHTLY_TZ", e.getMessage());
    }
    return new SchedulerConfig(
        cron(raw, "SCHEDULER_INGEST_CRON", ZoneOffset.UTC),
        cron(raw, "SCHEDULER_WINRATE_CRON", ZoneOffset.UTC),
        ingestSpread,
        cron(raw, "NIGHTLY_CRON", nightlyZone),
        raw.duration("SCHEDULER_CATCH_UP", Duration.ZERO, Duration.ofDays(1)),
        raw.duration("NIGHTLY_TIMEOUT", Duration.ofSeconds(1), Duration.ofHours(12)));
  }

  private static CronSchedule cron(RawConfig raw, String key, ZoneId zone) {
    try {
      return CronSchedule.parse(raw.required(key), zone);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }
}
