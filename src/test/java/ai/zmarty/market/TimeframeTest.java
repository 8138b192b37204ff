package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeframeTest {
  private static final Instant T = Instant.parse("2026-01-15T10:37:12.345Z");

  @Test
  void alignsDownToTheOpenOfTheBarThatContainsTheInstant() {
    assertThat(Timeframe.M1.alignDown(T)).isEqualTo("2026-01-15T10:37:00Z");
    assertThat(Timeframe.M5.alignDown(T)).isEqualTo("2026-01-15T10:35:00Z");
    assertThat(Timeframe.M15.alignDown(T)).isEqualTo("2026-01-15T10:30:00Z");
    assertThat(Timeframe.M30.alignDown(T)).isEqualTo("2026-01-15T10:30:00Z");
    assertThat(Timeframe.H1.alignDown(T)).isEqualTo("2026-01-15T10:00:00Z");
    assertThat(Timeframe.H4.alignDown(T)).isEqualTo("2026-01-15T08:00:00Z");
    assertThat(Timeframe.D1.alignDown(T)).isEqualTo("2026-01-15T00:00:00Z");
  }

  @Test
  void aBarBoundaryIsItsOwnOpen() {
    Instant open = Instant.parse("2026-01-15T08:00:00Z");
    assertThat(Timeframe.H4.alignDown(open)).isEqualTo(open);
    assertThat(Timeframe.H4.alignUp(open)).isEqualTo(open);
  }

  @Test
  void alignsUpToTheNextBoundary() {
    assertThat(Timeframe.H1.alignUp(T)).isEqualTo("2026-01-15T11:00:00Z");
    assertThat(Timeframe.H1.alignUp(Instant.parse("2026-01-15T11:00:00.000000001Z"))).isEqualTo("2026-01-15T12:00:00Z");
  }

  @Test
  void alignsInstantsBeforeTheEpoch() {
    assertThat(Timeframe.H1.alignDown(Instant.parse("1969-12-31T23:30:00Z"))).isEqualTo("1969-12-31T23:00:00Z");
  }

  @Test
  void closedBarsEndAtTheOpenOfTheFormingBar() {
    assertThat(Timeframe.H1.closedUntil(T)).isEqualTo("2026-01-15T10:00:00Z");
    assertThat(Timeframe.H1.closeOf(Instant.parse("2026-01-15T09:00:00Z"))).isEqualTo("2026-01-15T10:00:00Z");
  }

  @Test
  void parsesExchangeLabels() {
    assertThat(Timeframe.parse("1h")).isEqualTo(Timeframe.H1);
    assertThat(Timeframe.parse(" 4H ")).isEqualTo(Timeframe.H4);
    assertThat(Timeframe.parse("1d").duration()).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> Timeframe.parse("2h")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown timeframe '2h'").hasMessageContaining("1m");
    assertThatThrownBy(() -> Timeframe.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countsBarsInA365DayYear() {
    assertThat(Timeframe.H1.barsPerYear()).isEqualTo(8760.0);
    assertThat(Timeframe.D1.barsPerYear()).isEqualTo(365.0);
  }
}
