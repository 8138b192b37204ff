package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WeightBudgetTest {

  @Test
  void aFullBucketLetsSixtyCandleRequestsThroughAtOnce() {
    WeightBudget b = WeightBudget.hyperliquid(0);
    for (int i = 0; i < 60; i++) {
      assertThat(b.reserve(20, 0)).as("request %d", i).isZero();
    }
  }

  @Test
  void theNextRequestWaitsForItsWeightToRefill() {
    WeightBudget b = WeightBudget.hyperliquid(0);
    for (int i = 0; i < 60; i++) {
      b.reserve(20, 0);
    }
    // 1,200 per minute refills 20 weight per second
    assertThat(b.reserve(20, 0)).isEqualTo(1_000);
    assertThat(b.reserve(20, 0)).isEqualTo(2_000);
  }

  @Test
  void waitingRepaysTheDebt() {
    WeightBudget b = WeightBudget.hyperliquid(0);
    b.reserve(1_200, 0);
    assertThat(b.reserve(20, 500)).isEqualTo(500);
    assertThat(b.reserve(20, 60_000)).isZero();
  }

  @Test
  void weightChargedAfterTheAnswerDelaysLaterRequests() {
    WeightBudget b = WeightBudget.hyperliquid(0);
    b.reserve(1_180, 0);
    b.charge(5_000 / 60, 0); // 83 for 5,000 candles
    assertThat(b.available(0)).isEqualTo(1_200 - 1_180 - 83);
    assertThat(b.reserve(20, 0)).isEqualTo((83 + 20 - 20) * 50);
  }

  @Test
  void theBucketNeverHoldsMoreThanItsCapacity() {
    WeightBudget b = WeightBudget.hyperliquid(0);
    assertThat(b.available(3_600_000)).isEqualTo(1_200);
  }

  @Test
  void aWeightOutsideTheBudgetIsRefused() {
    WeightBudget b = WeightBudget.hyperliquid(0);
    assertThatThrownBy(() -> b.reserve(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.reserve(1_201, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.charge(-1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
