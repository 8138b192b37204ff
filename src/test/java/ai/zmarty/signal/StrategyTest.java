package ai.zmarty.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.ingest.IndicatorValues;
import org.junit.jupiter.api.Test;

class StrategyTest {
  // close 105 above a rising stack, MACD positive and rising, RSI 62, ATR 2
  private static final IndicatorValues UPTREND = new IndicatorValues(104.0, 102.0, 100.0, 62.0, 1.2, 0.8, 0.4, 2.0);
  private static final IndicatorValues DOWNTREND = new IndicatorValues(96.0, 98.0, 100.0, 38.0, -1.2, -0.8, -0.4, 2.0);
  // averages tangled, MACD line up but histogram down, RSI neutral
  private static final IndicatorValues MIXED = new IndicatorValues(101.0, 99.0, 100.0, 50.0, 0.3, 0.5, -0.2, 2.0);

  @Test
  void aClearUptrendIsLongWithAnAtrStopAndTargetsAtOneTwoThreeR() {
    Decision d = Strategy.decide(105, UPTREND, true);
    assertThat(d.direction()).isEqualTo(Direction.LONG);
    assertThat(d.entry()).isEqualTo(105.0);
    assertThat(d.stop()).isEqualTo(102.0); // 1.5 × ATR 2 below
    assertThat(d.targets()).containsExactly(108.0, 111.0, 114.0);
    assertThat(d.horizonBars()).isEqualTo(12);
    // 0.35 + 0.15 + 0.30 + 0.20 × (62 − 50) / 20
    assertThat(d.score()).isCloseTo(0.92, within(1e-9));
    assertThat(d.reasons()).extracting(Reason::input).containsExactly("ema_stack", "price_vs_ema50", "macd", "rsi");
    assertThat(d.reasons()).extracting(Reason::push).containsOnly("long");
  }

  @Test
  void aClearDowntrendIsShortWithTheStopAbove() {
    Decision d = Strategy.decide(95, DOWNTREND, true);
    assertThat(d.direction()).isEqualTo(Direction.SHORT);
    assertThat(d.stop()).isEqualTo(98.0);
    assertThat(d.targets()).containsExactly(92.0, 89.0, 86.0);
    assertThat(d.score()).isCloseTo(0.92, within(1e-9));
    assertThat(d.reasons()).extracting(Reason::push).containsOnly("short");
  }

  @Test
  void mixedInputsAreFlatWithoutStopOrTargets() {
    Decision d = Strategy.decide(100.5, MIXED, true);
    assertThat(d.direction()).isEqualTo(Direction.FLAT);
    assertThat(d.stop()).isNull();
    assertThat(d.targets()).isEmpty();
    assertThat(d.score()).isLessThan(Strategy.THRESHOLD);
    assertThat(d.reasons()).extracting(Reason::push).contains("neutral");
  }

  @Test
  void anOverboughtRsiLeansAgainstTheLongButDoesNotOverturnATrend() {
    IndicatorValues hot = new IndicatorValues(104.0, 102.0, 100.0, 82.0, 1.2, 0.8, 0.4, 2.0);
    Decision d = Strategy.decide(105, hot, true);
    assertThat(d.direction()).isEqualTo(Direction.LONG);
    assertThat(d.score()).isCloseTo(0.35 + 0.15 + 0.30 - 0.10, within(1e-9));
    assertThat(d.reasons()).filteredOn(r -> r.input().equals("rsi")).extracting(Reason::push).containsExactly("short");
  }

  @Test
  void withoutAnAtrThereIsNoStopSoTheSignalIsFlat() {
    IndicatorValues noAtr = new IndicatorValues(104.0, 102.0, 100.0, 62.0, 1.2, 0.8, 0.4, null);
    Decision d = Strategy.decide(105, noAtr, true);
    assertThat(d.direction()).isEqualTo(Direction.FLAT);
    assertThat(d.reasons()).extracting(Reason::input).contains("atr_14");
  }

  @Test
  void missingIndicatorsVoteNeutral() {
    IndicatorValues early = new IndicatorValues(104.0, 102.0, null, null, null, null, null, 2.0);
    Decision d = Strategy.decide(105, early, false);
    assertThat(d.direction()).isEqualTo(Direction.FLAT);
    assertThat(d.reasons()).filteredOn(r -> r.push().equals("missing")).extracting(Reason::input).containsExactly("ema_stack", "price_vs_ema50", "macd", "rsi");
  }

  @Test
  void aBarBeforeWarmUpKeepsItsDirectionAtHalfTheScore() {
    Decision cold = Strategy.decide(105, UPTREND, false);
    assertThat(cold.direction()).isEqualTo(Direction.LONG);
    assertThat(cold.score()).isCloseTo(0.46, within(1e-9));
    assertThat(cold.reasons()).extracting(Reason::input).contains("warm_up");
  }
}
