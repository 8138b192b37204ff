package ai.zmarty.winrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PerformanceTest {

  @Test
  void figuresOfAHandBuiltSeries() {
    // +2 %, −1 %, +3 %, −2 %
    Performance p = Performance.of(List.of(0.02, -0.01, 0.03, -0.02));
    assertThat(p.trades()).isEqualTo(4);
    assertThat(p.wins()).isEqualTo(2);
    assertThat(p.pnl()).isCloseTo(0.02, within(1e-12));
    assertThat(p.profitFactor()).isCloseTo(0.05 / 0.03, within(1e-12));
    assertThat(p.expectancy()).isCloseTo(0.005, within(1e-12));
    // sample std: √((0.015² + 0.015² + 0.025² + 0.025²) / 3) = √0.000566667 = 0.0238048
    assertThat(p.sharpe()).isCloseTo(0.005 / 0.0238047614, within(1e-9));
    // downside deviation: √((0.01² + 0.02²) / 4) = 0.0111803
    assertThat(p.sortino()).isCloseTo(0.005 / 0.0111803399, within(1e-9));
    assertThat(p.omega()).isCloseTo(0.05 / 0.03, within(1e-12));
    // equity 1.02, 1.0098, 1.040094, 1.01929212: deepest fall 2 % from 1.040094
    assertThat(p.maxDrawdown()).isCloseTo(0.02, within(1e-12));
  }

  @Test
  void ratiosWithoutADenominatorAreNull() {
    Performance onlyWins = Performance.of(List.of(0.01, 0.02));
    assertThat(onlyWins.profitFactor()).isNull();
    assertThat(onlyWins.omega()).isNull();
    assertThat(onlyWins.sortino()).isNull();
    assertThat(onlyWins.maxDrawdown()).isZero();
    Performance one = Performance.of(List.of(0.01));
    assertThat(one.sharpe()).isNull();
    Performance none = Performance.of(List.of());
    assertThat(none.expectancy()).isNull();
    assertThat(none.pnl()).isZero();
  }

  @Test
  void tradeReturnsFollowTheDirection() {
    assertThat(Performance.tradeReturn("long", 100, 103)).isCloseTo(0.03, within(1e-12));
    assertThat(Performance.tradeReturn("short", 100, 103)).isCloseTo(-0.03, within(1e-12));
  }
}
