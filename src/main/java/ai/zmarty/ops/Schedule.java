package ai.zmarty.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The arithmetic of the cluster-wide schedules. A slot is one fire time of a job's cron schedule;
 * a job fires once per slot, on whichever node records the slot first. A node looks at the clock
 * every tick and fires only the most recent slot at or before now, and only while it is at most
 * the catch-up window old: a node that starts late runs a missed slot once, never a backlog.
 */
public final class Schedule {
  private Schedule() {}

  /**
   * The slot to fire at {@code now}: the latest fire time at or before {@code now}, unless this node
   * already settled it ({@code settled}, null for none) or it is older than {@code catchUp}.
   */
  public static Optional<Instant> due(CronSchedule cron, Instant now, Instant settled, Duration catchUp) {
    return cron.latestAtOrBefore(now)
        .filter(slot -> settled == null || slot.isAfter(settled))
        .filter(slot -> !Duration.between(slot, now).minus(catchUp).isPositive());
  }

  /**
   * The shortest gap between the next ten fire times after {@code from}: the interval one run's
   * spread must fit in (a schedule like {@code 0 9,17 * * *} has uneven gaps).
   */
  public static Duration interval(CronSchedule cron, Instant from) {
    List<Instant> next = cron.next(from, 11);
    Duration shortest = null;
    for (int i = 1; i < next.size(); i++) {
      Duration gap = Duration.between(next.get(i - 1), next.get(i));
      shortest = shortest == null || gap.compareTo(shortest) < 0 ? gap : shortest;
    }
    return shortest == null ? Duration.ZERO : shortest;
  }

  /**
   * Whole seconds over which one run's messages are spread: {@code share} of {@code interval}
   * (0: all at once).
   */
  public static long spreadSeconds(Duration interval, double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("share must be from 0 to 1, got " + share);
    }
    return (long) Math.floor(interval.toMillis() * share / 1000.0);
  }
}
