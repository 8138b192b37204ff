package ai.zmarty.signal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.signal.DoublingGuard.Action;
import ai.zmarty.signal.DoublingGuard.Position;
import ai.zmarty.signal.DoublingGuard.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DoublingGuardTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final DoublingGuard guard = new DoublingGuard(new DoublingGuard.Config(0.1, 0.1, Duration.ofSeconds(3600), 0.05, 0.025));
  private final Position long25 = new Position("long", 0.025, 0.6, T0);

  @Test
  void opensAUnitWithoutAPosition() {
    Verdict v = guard.decide(Optional.empty(), "long", 0.7, 0.01, T0);
    assertThat(v.action()).isEqualTo(Action.OPEN);
    assertThat(v.position().sizePct()).isEqualTo(0.025);
  }

  @Test
  void aSignalTheOtherWayOpensANewPosition() {
    Verdict v = guard.decide(Optional.of(long25), "short", 0.61, 0.01, T0.plusSeconds(60));
    assertThat(v.action()).isEqualTo(Action.OPEN);
    assertThat(v.position().direction()).isEqualTo("short");
  }

  @Test
  void doublesWhenEveryGuardPasses() {
    Verdict v = guard.decide(Optional.of(long25), "long", 0.75, 0.02, T0.plusSeconds(3600));
    assertThat(v.action()).isEqualTo(Action.DOUBLE);
    assertThat(v.position().sizePct()).isEqualTo(0.05);
    assertThat(v.position().lastScore()).isEqualTo(0.75);
  }

  @Test
  void scoreMustRiseByMoreThanTheDelta() {
    Verdict v = guard.decide(Optional.of(long25), "long", 0.7, 0.02, T0.plusSeconds(7200)); // +0.1 exactly is not more
    assertThat(v.action()).isEqualTo(Action.SKIP);
    assertThat(v.guard()).contains("score_delta");
    assertThat(v.failedGuards()).containsExactly("score_delta");
  }

  @Test
  void aFullPositionIsNotDoubled() {
    Verdict v = guard.decide(Optional.of(new Position("long", 0.1, 0.5, T0)), "long", 0.9, 0.02, T0.plusSeconds(7200));
    assertThat(v.guard()).contains("max_position");
  }

  @Test
  void cooldownMustHavePassed() {
    Verdict v = guard.decide(Optional.of(long25), "long", 0.9, 0.02, T0.plusSeconds(3599));
    assertThat(v.guard()).contains("cooldown");
  }

  @Test
  void volatilityMustBeUnderTheThreshold() {
    assertThat(guard.decide(Optional.of(long25), "long", 0.9, 0.05, T0.plusSeconds(7200)).guard()).contains("volatility");
    assertThat(guard.decide(Optional.of(long25), "long", 0.9, null, T0.plusSeconds(7200)).guard()).contains("volatility");
  }

  @Test
  void allFailingGuardsAreKeptTheFirstIsNamed() {
    Verdict v = guard.decide(Optional.of(new Position("long", 0.1, 0.8, T0)), "long", 0.8, 0.2, T0);
    assertThat(v.guard()).contains("score_delta");
    assertThat(v.failedGuards()).containsExactly("score_delta", "max_position", "cooldown", "volatility");
    assertThat(v.position().sizePct()).isEqualTo(0.1);
  }

  @Test
  void aDoubledPositionIsCappedAtTheMaximum() {
    Verdict v = guard.decide(Optional.of(new Position("long", 0.08, 0.5, T0)), "long", 0.7, 0.01, T0.plusSeconds(3600));
    assertThat(v.position().sizePct()).isEqualTo(0.1);
  }
}
