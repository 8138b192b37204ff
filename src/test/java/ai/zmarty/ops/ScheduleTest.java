package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Cron slots in a zone, stepped with a movable clock across New York's 2026 DST changes. */
class ScheduleTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final CronSchedule NIGHTLY = CronSchedule.parse("0 3 * * *", NEW_YORK);
  private static final Duration CATCH_UP = Duration.ofHours(1);

  /** A node ticking every {@code step} from {@code from} to {@code to}: the slots it fires. */
  private static List<Instant> run(CronSchedule cron, Instant from, Instant to, Duration step, Duration catchUp) {
    MovableClock clock = new MovableClock(from);
    List<Instant> fired = new ArrayList<>();
    Instant settled = null;
    while (!clock.now.isAfter(to)) {
      var due = Schedule.due(cron, clock.instant(), settled, catchUp);
      if (due.isPresent()) {
        fired.add(due.get());
        settled = due.get();
      }
      clock.now = clock.now.plus(step);
    }
    return fired;
  }

  private static void assertOneNightlyPerLocalDayAtThree(List<Instant> fired, LocalDate first, LocalDate last) {
    Map<LocalDate, List<Instant>> byDay = new TreeMap<>();
    for (Instant t : fired) {
      byDay.computeIfAbsent(t.atZone(NEW_YORK).toLocalDate(), d -> new ArrayList<>()).add(t);
    }
    assertThat(byDay.keySet()).containsExactlyElementsOf(first.datesUntil(last.plusDays(1)).toList());
    byDay.forEach((day, runs) -> {
      assertThat(runs).as("runs on %s", day).hasSize(1);
      assertThat(runs.get(0).atZone(NEW_YORK).toLocalTime()).as("local time on %s", day).isEqualTo(LocalTime.of(3, 0));
    });
  }

  @Test
  void springForwardEightMarch2026OneRunPerLocalDayAtThreeLocal() {
    // every minute from 4 to 12 March 2026, across 02:00 EST -> 03:00 EDT on Sunday 8 March
    List<Instant> fired = run(NIGHTLY, Instant.parse("2026-03-04T00:00:00Z"), Instant.parse("2026-03-12T23:59:59Z"), Duration.ofMinutes(1), CATCH_UP);
    assertOneNightlyPerLocalDayAtThree(fired, LocalDate.of(2026, 3, 4), LocalDate.of(2026, 3, 12));
    assertThat(fired).contains(
        Instant.parse("2026-03-07T08:00:00Z"), // Saturday, EST: 07:00 UTC is 02:00 local, so 08:00 UTC
        Instant.parse("2026-03-08T07:00:00Z"), // Sunday: 03:00 EDT, the first instant after the gap
        Instant.parse("2026-03-09T07:00:00Z"));
    assertThat(fired.get(0)).isEqualTo(Instant.parse("2026-03-04T08:00:00Z"));
  }

  @Test
  void fallBackFirstNovember2026OneRunPerLocalDayAtThreeLocal() {
    // 01:00-02:00 happens twice on Sunday 1 November 2026; 03:00 happens once, at 08:00 UTC
    List<Instant> fired = run(NIGHTLY, Instant.parse("2026-10-28T00:00:00Z"), Instant.parse("2026-11-05T23:59:59Z"), Duration.ofMinutes(1), CATCH_UP);
    assertOneNightlyPerLocalDayAtThree(fired, LocalDate.of(2026, 10, 28), LocalDate.of(2026, 11, 5));
    assertThat(fired).contains(
        Instant.parse("2026-10-31T07:00:00Z"), // Saturday, EDT
        Instant.parse("2026-11-01T08:00:00Z"), // Sunday, EST after the repeated hour
        Instant.parse("2026-11-02T08:00:00Z"));
  }

  @Test
  void winterIsSevenUtcAndSummerEightUtcInTheNextFireTimes() {
    assertThat(NIGHTLY.next(Instant.parse("2026-01-15T12:00:00Z"), 1)).containsExactly(Instant.parse("2026-01-16T08:00:00Z"));
    assertThat(NIGHTLY.next(Instant.parse("2026-07-15T12:00:00Z"), 1)).containsExactly(Instant.parse("2026-07-16T07:00:00Z"));
    assertThat(NIGHTLY.next(Instant.parse("2026-03-07T09:00:00Z"), 3))
        .containsExactly(Instant.parse("2026-03-08T07:00:00Z"), Instant.parse("2026-03-09T07:00:00Z"), Instant.parse("2026-03-10T07:00:00Z"));
    assertThat(NIGHTLY.next(Instant.parse("2026-10-31T09:00:00Z"), 2))
        .containsExactly(Instant.parse("2026-11-01T08:00:00Z"), Instant.parse("2026-11-02T08:00:00Z"));
  }

  @Test
  void aNodeStartingLateRunsTheMissedSlotOnceWithinTheCatchUpWindow() {
    // started at 03:40 local on 8 March (spring-forward day): the 03:00 run is 40 min old
    List<Instant> fired = run(NIGHTLY, Instant.parse("2026-03-08T07:40:00Z"), Instant.parse("2026-03-09T12:00:00Z"), Duration.ofSeconds(30), CATCH_UP);
    assertThat(fired).containsExactly(Instant.parse("2026-03-08T07:00:00Z"), Instant.parse("2026-03-09T07:00:00Z"));
  }

  @Test
  void aNodeStartingAfterTheCatchUpWindowWaitsForTheNextSlot() {
    List<Instant> fired = run(NIGHTLY, Instant.parse("2026-11-01T09:30:00Z"), Instant.parse("2026-11-02T12:00:00Z"), Duration.ofSeconds(30), CATCH_UP);
    assertThat(fired).containsExactly(Instant.parse("2026-11-02T08:00:00Z"));
  }

  @Test
  void aNodeDownForDaysRunsOnlyTheMostRecentMissedSlot() {
    // down from 5 to 9 March 03:30 local: it fires 9 March's slot once, not the four it missed
    List<Instant> fired = run(NIGHTLY, Instant.parse("2026-03-09T07:30:00Z"), Instant.parse("2026-03-09T08:30:00Z"), Duration.ofSeconds(1), Duration.ofDays(1));
    assertThat(fired).containsExactly(Instant.parse("2026-03-09T07:00:00Z"));
    assertThat(run(NIGHTLY, Instant.parse("2026-03-09T07:30:00Z"), Instant.parse("2026-03-09T07:30:00Z"), Duration.ofSeconds(1), Duration.ZERO)).isEmpty();
  }

  @Test
  void aSlotIsDueFromItsFirstSecond() {
    CronSchedule five = CronSchedule.parse("*/5 * * * *", ZoneOffset.UTC);
    assertThat(Schedule.due(five, Instant.parse("2026-01-02T10:05:00Z"), null, CATCH_UP)).contains(Instant.parse("2026-01-02T10:05:00Z"));
    assertThat(Schedule.due(five, Instant.parse("2026-01-02T10:04:59.999Z"), null, CATCH_UP)).contains(Instant.parse("2026-01-02T10:00:00Z"));
    assertThat(Schedule.due(five, Instant.parse("2026-01-02T10:09:59Z"), Instant.parse("2026-01-02T10:05:00Z"), CATCH_UP)).isEmpty();
    // every five minutes through a day: 288 slots, each once
    assertThat(run(five, Instant.parse("2026-01-02T00:00:00Z"), Instant.parse("2026-01-02T23:59:59Z"), Duration.ofSeconds(7), CATCH_UP)).hasSize(288).doesNotHaveDuplicates();
  }

  @Test
  void secondsSchedulesAreInAppOnlyAndZonedOnesToo() {
    assertThat(CronSchedule.parse("*/5 * * * *", ZoneOffset.UTC).pgCron()).contains("*/5 * * * *");
    assertThat(CronSchedule.parse("0 * * * *", ZoneId.of("UTC")).pgCron()).contains("0 * * * *");
    assertThat(CronSchedule.parse("*/2 * * * * *", ZoneOffset.UTC).pgCron()).isEmpty();
    assertThat(NIGHTLY.pgCron()).isEmpty();
    CronSchedule everySecond = CronSchedule.parse("* * * * * *", ZoneOffset.UTC);
    assertThat(everySecond.next(Instant.parse("2026-01-01T00:00:00.500Z"), 2)).containsExactly(Instant.parse("2026-01-01T00:00:01Z"), Instant.parse("2026-01-01T00:00:02Z"));
  }

  @Test
  void badExpressionsAndZonesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> CronSchedule.parse("*/5 * * *", ZoneOffset.UTC)).hasMessageContaining("5 fields");
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", ZoneOffset.UTC)).hasMessageContaining("not a valid cron expression");
    assertThatThrownBy(() -> CronSchedule.parse("", ZoneOffset.UTC)).hasMessageContaining("5 fields");
    assertThatThrownBy(() -> CronSchedule.zone("Mars/Olympus")).hasMessageContaining("time zone");
  }

  @Test
  void theIntervalIsTheShortestGapAndTheSpreadAShareOfIt() {
    assertThat(Schedule.interval(CronSchedule.parse("*/5 * * * *", ZoneOffset.UTC), Instant.parse("2026-01-01T00:01:00Z"))).isEqualTo(Duration.ofMinutes(5));
    assertThat(Schedule.interval(CronSchedule.parse("0 9,17 * * *", ZoneOffset.UTC), Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo(Duration.ofHours(8));
    assertThat(Schedule.spreadSeconds(Duration.ofMinutes(5), 0.8)).isEqualTo(240);
    assertThat(Schedule.spreadSeconds(Duration.ofMinutes(5), 0)).isZero();
  }
}
