package ai.zmarty.winrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonTest {

  @Test
  void sevenOfTen() {
    // (0.7 + 0.19208 ± 1.96·√(0.021 + 0.009604)) / 1.38416
    Wilson w = Wilson.of(7, 10);
    assertThat(w.low()).isCloseTo(0.396773, within(1e-6));
    assertThat(w.high()).isCloseTo(0.892211, within(1e-6));
  }

  @Test
  void noWinsStillHasAnUpperBound() {
    Wilson w = Wilson.of(0, 10);
    assertThat(w.low()).isEqualTo(0.0);
    assertThat(w.high()).isCloseTo(0.277540, within(1e-6));
  }

  @Test
  void allWinsStaysBelowOne() {
    Wilson w = Wilson.of(10, 10);
    assertThat(w.low()).isCloseTo(0.722460, within(1e-6));
    assertThat(w.high()).isEqualTo(1.0);
  }

  @Test
  void moreSamplesNarrowTheInterval() {
    Wilson small = Wilson.of(7, 10);
    Wilson large = Wilson.of(700, 1000);
    assertThat(large.high() - large.low()).isLessThan((small.high() - small.low()) / 5);
  }
}
