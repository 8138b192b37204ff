package ai.zmarty.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The arithmetic of the cluster-wide schedules. Time is cut into slots of one period, aligned to
 * the Unix epoch (a 5-minute job's slots start at :00, :05, …, as pg_cron's would); a job fires
 * once per slot, on whichever node records the slot first.
 */
public final class Schedule {
  private Schedule() {}

  static final Duration MIN_TICK = Duration.ofMillis(100);
  static final Duration MAX_TICK = Duration.ofSeconds(5);

  /** The slot {@code now} falls in: whole periods since the epoch. */
  public static long slot(Instant now, Duration period) {
    long p = period.toMillis();
    if (p <= 0) {
      throw new IllegalArgumentException("period must be positive, got " + period);
    }
    return Math.floorDiv(now.toEpochMilli(), p);
  }

  /**
   * Whole seconds over which one run's messages are spread: {@code share} of {@code period}
   * (0: all at once).
   */
  public static long spreadSeconds(Duration period, double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("share must be from 0 to 1, got " + share);
    }
    return (long) Math.floor(period.toMillis() * share / 1000.0);
  }

  /** When {@code slot} begins. */
  public static Instant slotStart(long slot, Duration period) {
    return Instant.ofEpochMilli(slot * period.toMillis());
  }

  /**
   * How often a node looks at the clock: a quarter of the shortest period, so a slot is taken
   * early in its period, but at least 100 ms and at most 5 s.
   */
  public static Duration tick(Duration shortestPeriod) {
    Duration quarter = shortestPeriod.dividedBy(4);
    if (quarter.compareTo(MIN_TICK) < 0) {
      return MIN_TICK;
    }
    return quarter.compareTo(MAX_TICK) > 0 ? MAX_TICK : quarter;
  }

  /**
   * The minute-level cron expression (pg_cron 1.4 syntax, GMT) that fires at the same instants
   * as the slots of {@code period}, or empty when cron cannot say it exactly (periods under a
   * minute or not a whole number of minutes, and periods that do not divide an hour or a day).
   */
  public static Optional<String> cron(Duration period) {
    if (period.isNegative() || period.isZero() || period.toMillis() % 60_000 != 0) {
      return Optional.empty();
    }
    long minutes = period.toMinutes();
    if (minutes == 1) {
      return Optional.of("* * * * *");
    }
    if (minutes < 60) {
      return 60 % minutes == 0 ? Optional.of("*/" + minutes + " * * * *") : Optional.empty();
    }
    if (minutes % 60 != 0) {
      return Optional.empty();
    }
    long hours = minutes / 60;
    if (hours == 1) {
      return Optional.of("0 * * * *");
    }
    if (hours < 24) {
      return 24 % hours == 0 ? Optional.of("0 */" + hours + " * * *") : Optional.empty();
    }
    return hours == 24 ? Optional.of("0 0 * * *") : Optional.empty();
  }
}
