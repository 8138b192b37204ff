package ai.zmarty.ops;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cron expression in a time zone, parsed and stepped with cron-utils. Five fields (minute hour
 * day-of-month month day-of-week, Unix and pg_cron syntax) or six with seconds first (in-app only:
 * pg_cron 1.4 has no seconds). Fire times are wall-clock times in the zone, so {@code 0 3 * * *} in
 * America/New_York fires at 07:00 UTC in winter and 08:00 UTC in summer, once per local day.
 */
public final class CronSchedule {
  /** Unix cron with a leading seconds field; a five-field expression gets second 0. */
  private static final CronDefinition DEFINITION =
      CronDefinitionBuilder.defineCron()
          .withSeconds().and()
          .withMinutes().and()
          .withHours().and()
          .withDayOfMonth().and()
          .withMonth().and()
          .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).and()
          .matchDayOfWeekAndDayOfMonth()
          .instance();

  private static final CronParser PARSER = new CronParser(DEFINITION);

  private final String expression;
  private final ZoneId zone;
  private final boolean seconds;
  private final ExecutionTime times;

  private CronSchedule(String expression, ZoneId zone, boolean seconds, ExecutionTime times) {
    this.expression = expression;
    this.zone = zone;
    this.seconds = seconds;
    this.times = times;
  }

  /** Parses {@code expression} (5 or 6 fields); {@link IllegalArgumentException} says what is wrong. */
  public static CronSchedule parse(String expression, ZoneId zone) {
    String text = expression == null ? "" : expression.trim().replaceAll("\\s+", " ");
    int fields = text.isEmpty() ? 0 : text.split(" ").length;
    if (fields != 5 && fields != 6) {
      throw new IllegalArgumentException("must be a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got '" + expression + "'");
    }
    Cron cron;
    try {
      cron = PARSER.parse(fields == 5 ? "0 " + text : text);
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a valid cron expression: '" + expression + "' (" + e.getMessage() + ")");
    }
    return new CronSchedule(text, zone, fields == 6, ExecutionTime.forCron(cron));
  }

  /** Parses a zone id like {@code America/New_York} or {@code UTC}; {@link IllegalArgumentException} otherwise. */
  public static ZoneId zone(String id) {
    try {
      return ZoneId.of(id == null ? "" : id.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("must be a time zone id like UTC or America/New_York, got '" + id + "'");
    }
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** Whether the expression has a seconds field (then only the app can run it). */
  public boolean hasSeconds() {
    return seconds;
  }

  /**
   * The expression pg_cron 1.4 runs at the same instants (it has no seconds and no time zones: it
   * reads five fields in GMT), or empty when it cannot.
   */
  public Optional<String> pgCron() {
    boolean utc = zone.normalized().equals(ZoneOffset.UTC);
    return seconds || !utc ? Optional.empty() : Optional.of(expression);
  }

  /** The latest fire time at or before {@code now}, if there is one. */
  public Optional<Instant> latestAtOrBefore(Instant now) {
    ZonedDateTime justAfter = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).atZone(zone);
    return times.lastExecution(justAfter).map(ZonedDateTime::toInstant).filter(t -> !t.isAfter(now));
  }

  /** The first fire time strictly after {@code after}. */
  public Optional<Instant> nextAfter(Instant after) {
    return times.nextExecution(after.truncatedTo(ChronoUnit.SECONDS).atZone(zone)).map(ZonedDateTime::toInstant).filter(t -> t.isAfter(after));
  }

  /** The next {@code n} fire times after {@code after}. */
  public List<Instant> next(Instant after, int n) {
    List<Instant> out = new ArrayList<>(n);
    Instant t = after;
    for (int i = 0; i < n; i++) {
      Optional<Instant> next = nextAfter(t);
      if (next.isEmpty()) {
        break;
      }
      t = next.get();
      out.add(t);
    }
    return out;
  }

  /** The shortest the app's tick may be to catch every fire time: sub-second for seconds schedules. */
  public Duration tick() {
    return seconds ? Duration.ofMillis(200) : Duration.ofSeconds(1);
  }

  @Override
  public String toString() {
    return "'" + expression + "' " + zone;
  }
}
