package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  @Test
  void slotsAreWholePeriodsSinceTheEpoch() {
    assertThat(Schedule.slot(Instant.EPOCH, FIVE_MINUTES)).isZero();
    assertThat(Schedule.slot(Instant.parse("1970-01-01T00:04:59.999Z"), FIVE_MINUTES)).isZero();
    assertThat(Schedule.slot(Instant.parse("1970-01-01T00:05:00Z"), FIVE_MINUTES)).isEqualTo(1);
  }

  @Test
  void everyInstantOfAPeriodSharesOneSlot() {
    Instant start = Instant.parse("2026-01-02T10:05:00Z");
    long slot = Schedule.slot(start, FIVE_MINUTES);
    assertThat(Schedule.slot(start.plusSeconds(299), FIVE_MINUTES)).isEqualTo(slot);
    assertThat(Schedule.slot(start.plusSeconds(300), FIVE_MINUTES)).isEqualTo(slot + 1);
    assertThat(Schedule.slot(start.minusMillis(1), FIVE_MINUTES)).isEqualTo(slot - 1);
    assertThat(Schedule.slotStart(slot, FIVE_MINUTES)).isEqualTo(start);
  }

  @Test
  void slotsAlignWithClockBoundariesLikeCron() {
    assertThat(Schedule.slotStart(Schedule.slot(Instant.parse("2026-01-02T10:37:12Z"), Duration.ofHours(1)), Duration.ofHours(1)))
        .isEqualTo(Instant.parse("2026-01-02T10:00:00Z"));
  }

  @Test
  void subSecondPrecisionCounts() {
    Duration second = Duration.ofSeconds(1);
    assertThat(Schedule.slot(Instant.ofEpochMilli(1_999), second)).isEqualTo(1);
    assertThat(Schedule.slot(Instant.ofEpochMilli(2_000), second)).isEqualTo(2);
  }

  @Test
  void tickIsAQuarterOfTheShortestPeriodWithinBounds() {
    assertThat(Schedule.tick(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(250));
    assertThat(Schedule.tick(Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(2));
    assertThat(Schedule.tick(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(Schedule.tick(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void cronFormsForPeriodsThatDivideAnHourOrADay() {
    assertThat(Schedule.cron(Duration.ofMinutes(1))).contains("* * * * *");
    assertThat(Schedule.cron(FIVE_MINUTES)).contains("*/5 * * * *");
    assertThat(Schedule.cron(Duration.ofMinutes(30))).contains("*/30 * * * *");
    assertThat(Schedule.cron(Duration.ofHours(1))).contains("0 * * * *");
    assertThat(Schedule.cron(Duration.ofHours(6))).contains("0 */6 * * *");
    assertThat(Schedule.cron(Duration.ofDays(1))).contains("0 0 * * *");
  }

  @Test
  void noCronFormWhereMinuteLevelCronWouldDrift() {
    assertThat(Schedule.cron(Duration.ofSeconds(30))).isEmpty();
    assertThat(Schedule.cron(Duration.ofSeconds(90))).isEmpty();
    assertThat(Schedule.cron(Duration.ofMinutes(7))).isEmpty();
    assertThat(Schedule.cron(Duration.ofMinutes(90))).isEmpty();
    assertThat(Schedule.cron(Duration.ofHours(5))).isEmpty();
    assertThat(Schedule.cron(Duration.ofDays(2))).isEmpty();
    assertThat(Schedule.cron(Duration.ZERO)).isEmpty();
  }
}
