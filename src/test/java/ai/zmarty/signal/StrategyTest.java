package ai.zmarty.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.ingest.IndicatorValues;
import ai.zmarty.ingest.LiquidationProximity;
import ai.zmarty.market.CandleQuality.Flag;
import ai.zmarty.market.CandleQuality.Kind;
import org.junit.jupiter.api.Test;

class StrategyTest {
  // close 105 above a rising stack, MACD positive and rising, RSI 62, ATR 2
  private static final IndicatorValues UPTREND = new IndicatorValues(104.0, 102.0, 100.0, 62.0, 1.2, 0.8, 0.4, 2.0);
  private static final IndicatorValues DOWNTREND = new IndicatorValues(96.0, 98.0, 100.0, 38.0, -1.2, -0.8, -0.4, 2.0);
  // averages tangled, MACD line up but histogram down, RSI neutral
  private static final IndicatorValues MIXED = new IndicatorValues(101.0, 99.0, 100.0, 50.0, 0.3, 0.5, -0.2, 2.0);
  // only the trend says long: stack up, close above EMA 50; MACD split, RSI 50 → composite 0.45
  private static final IndicatorValues TREND_ONLY = new IndicatorValues(104.0, 102.0, 100.0, 50.0, 0.3, 0.5, -0.2, 2.0);
  // close 99: trend down (−0.30 − 0.15), MACD split, RSI 64 leaning up (+0.105): composite −0.345, just short of a short
  private static final IndicatorValues ALMOST_SHORT = new IndicatorValues(96.0, 98.0, 100.0, 64.0, 0.3, 0.5, -0.2, 2.0);

  /** Normal volatility (30-bar 50 %, its 180-bar level 50 %), no cluster known. */
  private static BarInputs in(double close, IndicatorValues v) {
    return new BarInputs(close, v, true, 0.5, 0.5, LiquidationProximity.NONE);
  }

  private static BarInputs in(double close, IndicatorValues v, LiquidationProximity liq) {
    return new BarInputs(close, v, true, 0.5, 0.5, liq);
  }

  private static BarInputs volatile_(double close, IndicatorValues v, double ratio) {
    return new BarInputs(close, v, true, 0.5 * ratio, 0.5, LiquidationProximity.NONE);
  }

  private static Reason reason(Decision d, String input) {
    return d.reasons().stream().filter(r -> r.input().equals(input)).findFirst().orElseThrow();
  }

  @Test
  void aClearUptrendIsLongWithAnAtrStopAndTargetsAtOneTwoThreeR() {
    Decision d = Strategy.decide(in(105, UPTREND));
    assertThat(d.direction()).isEqualTo(Direction.LONG);
    assertThat(d.entry()).isEqualTo(105.0);
    assertThat(d.stop()).isEqualTo(102.0); // 1.5 × ATR 2 below
    assertThat(d.targets()).containsExactly(108.0, 111.0, 114.0);
    assertThat(d.horizonBars()).isEqualTo(12);
    // 0.30 + 0.15 + 0.25 + 0.15 × (62 − 50) / 20
    assertThat(d.score()).isCloseTo(0.79, within(1e-9));
    assertThat(d.reasons()).extracting(Reason::input).containsExactly("ema_stack", "price_vs_ema50", "macd", "rsi", "liquidation", "volatility");
    assertThat(d.reasons()).filteredOn(r -> r.weight() > 0 && !r.input().equals("liquidation")).extracting(Reason::push).containsOnly("long");
  }

  @Test
  void aClearDowntrendIsShortWithTheStopAbove() {
    Decision d = Strategy.decide(in(95, DOWNTREND));
    assertThat(d.direction()).isEqualTo(Direction.SHORT);
    assertThat(d.stop()).isEqualTo(98.0);
    assertThat(d.targets()).containsExactly(92.0, 89.0, 86.0);
    assertThat(d.score()).isCloseTo(0.79, within(1e-9));
    assertThat(d.reasons()).filteredOn(r -> r.weight() > 0 && !r.input().equals("liquidation")).extracting(Reason::push).containsOnly("short");
  }

  @Test
  void mixedInputsAreFlatWithoutStopOrTargets() {
    Decision d = Strategy.decide(in(100.5, MIXED));
    assertThat(d.direction()).isEqualTo(Direction.FLAT);
    assertThat(d.stop()).isNull();
    assertThat(d.targets()).isEmpty();
    assertThat(d.score()).isLessThan(Strategy.THRESHOLD);
    assertThat(d.reasons()).extracting(Reason::push).contains("neutral");
  }

  @Test
  void anOverboughtRsiLeansAgainstTheLongButDoesNotOverturnATrend() {
    IndicatorValues hot = new IndicatorValues(104.0, 102.0, 100.0, 82.0, 1.2, 0.8, 0.4, 2.0);
    Decision d = Strategy.decide(in(105, hot));
    assertThat(d.direction()).isEqualTo(Direction.LONG);
    assertThat(d.score()).isCloseTo(0.30 + 0.15 + 0.25 - 0.075, within(1e-9));
    assertThat(reason(d, "rsi").push()).isEqualTo("short");
  }

  @Test
  void withoutAnAtrThereIsNoStopSoTheSignalIsFlat() {
    IndicatorValues noAtr = new IndicatorValues(104.0, 102.0, 100.0, 62.0, 1.2, 0.8, 0.4, null);
    Decision d = Strategy.decide(in(105, noAtr));
    assertThat(d.direction()).isEqualTo(Direction.FLAT);
    assertThat(d.reasons()).extracting(Reason::input).contains("atr_14");
    // distances to clusters are measured in ATRs: without one the liquidation view is missing too
    assertThat(reason(d, "liquidation").push()).isEqualTo("missing");
  }

  @Test
  void missingInputsVoteNeutralAndSaySo() {
    IndicatorValues early = new IndicatorValues(104.0, 102.0, null, null, null, null, null, 2.0);
    Decision d = Strategy.decide(BarInputs.indicatorsOnly(105, early, false));
    assertThat(d.direction()).isEqualTo(Direction.FLAT);
    assertThat(d.reasons()).filteredOn(r -> r.push().equals("missing")).extracting(Reason::input).containsExactly("ema_stack", "price_vs_ema50", "macd", "rsi", "volatility");
  }

  @Test
  void aBarBeforeWarmUpKeepsItsDirectionAtHalfTheScore() {
    Decision cold = Strategy.decide(new BarInputs(105, UPTREND, false, 0.5, 0.5, LiquidationProximity.NONE));
    assertThat(cold.direction()).isEqualTo(Direction.LONG);
    assertThat(cold.score()).isCloseTo(0.395, within(1e-9));
    assertThat(cold.reasons()).extracting(Reason::input).contains("warm_up");
  }

  // --- liquidation clusters: magnets within 3 ATR, pull = intensity × (1 − distance / 3 ATR) ---

  @Test
  void aStrongShortLiquidationClusterJustAbovePullsPriceUpAndPushesLong() {
    // ATR 2 at close 100 is 2 %: a cluster 1 % above is half an ATR away, pull 0.8 × (1 − 0.5 / 3)
    Decision d = Strategy.decide(in(100, MIXED, new LiquidationProximity(null, null, 0.01, 0.8)));
    Reason liq = reason(d, "liquidation");
    assertThat(liq.push()).isEqualTo("long");
    assertThat(liq.contribution()).isCloseTo(0.15 * 0.8 * (1 - 0.5 / 3), within(1e-9));
    assertThat(liq.detail()).contains("short-liquidation cluster 1.00% above (0.5 ATR, intensity 0.80) pulls up");
  }

  @Test
  void aStrongLongLiquidationClusterJustBelowPullsPriceDownAndPushesShort() {
    Decision d = Strategy.decide(in(100, MIXED, new LiquidationProximity(0.02, 0.6, null, null)));
    Reason liq = reason(d, "liquidation");
    assertThat(liq.push()).isEqualTo("short");
    assertThat(liq.contribution()).isCloseTo(-0.15 * 0.6 * (1 - 1.0 / 3), within(1e-9));
    assertThat(liq.detail()).contains("long-liquidation cluster 2.00% below (1.0 ATR, intensity 0.60) pulls down");
  }

  @Test
  void aClusterBeyondThreeAtrPullsNothing() {
    Decision d = Strategy.decide(in(100, MIXED, new LiquidationProximity(0.07, 1.0, 0.061, 1.0)));
    Reason liq = reason(d, "liquidation");
    assertThat(liq.push()).isEqualTo("neutral");
    assertThat(liq.contribution()).isZero();
    assertThat(liq.detail()).contains("out of reach");
  }

  @Test
  void theNearerAndStrongerSideWinsAndEqualPullsCancel() {
    assertThat(reason(Strategy.decide(in(100, MIXED, new LiquidationProximity(0.02, 0.5, 0.02, 0.5))), "liquidation").push()).isEqualTo("neutral");
    assertThat(reason(Strategy.decide(in(100, MIXED, new LiquidationProximity(0.04, 0.9, 0.01, 0.5))), "liquidation").push()).isEqualTo("long");
    assertThat(reason(Strategy.decide(in(100, MIXED, new LiquidationProximity(0.01, 0.5, 0.01, 0.9))), "liquidation").push()).isEqualTo("long");
  }

  @Test
  void aClusterBelowCanTipANearShortIntoAShort() {
    assertThat(Strategy.decide(in(99, ALMOST_SHORT)).direction()).isEqualTo(Direction.FLAT);
    Decision d = Strategy.decide(in(99, ALMOST_SHORT, new LiquidationProximity(0.005, 0.9, null, null)));
    assertThat(d.direction()).isEqualTo(Direction.SHORT);
    assertThat(d.score()).isCloseTo(0.345 + 0.15 * 0.9 * (1 - (0.005 / (2.0 / 99)) / 3), within(1e-9));
  }

  @Test
  void withNoStrongClusterTheLiquidationViewIsNeutral() {
    Reason liq = reason(Strategy.decide(in(105, UPTREND)), "liquidation");
    assertThat(liq.push()).isEqualTo("neutral");
    assertThat(liq.detail()).isEqualTo("no strong short-liquidation cluster above; no strong long-liquidation cluster below");
  }

  // --- volatility: q = 30-bar ÷ 180-bar volatility; ≤ 1.25 as is, damped to ½ towards 2, flat from 2 ---

  @Test
  void normalVolatilityLeavesTheCompositeAlone() {
    Decision d = Strategy.decide(volatile_(105, UPTREND, 1.2));
    assertThat(d.score()).isCloseTo(0.79, within(1e-9));
    Reason vol = reason(d, "volatility");
    assertThat(vol.push()).isEqualTo("neutral");
    assertThat(vol.detail()).isEqualTo("30-bar volatility 60% is 1.20× its 180-bar level 50%: normal");
  }

  @Test
  void highVolatilityDampsTheComposite() {
    // q 1.625 is half way from 1.25 to 2: factor 0.75
    Decision d = Strategy.decide(volatile_(105, UPTREND, 1.625));
    assertThat(d.direction()).isEqualTo(Direction.LONG);
    assertThat(d.score()).isCloseTo(0.79 * 0.75, within(1e-9));
    Reason vol = reason(d, "volatility");
    assertThat(vol.push()).isEqualTo("weaker");
    assertThat(vol.contribution()).isCloseTo(-0.79 * 0.25, within(1e-9));
    assertThat(vol.detail()).contains("high, composite × 0.75");
  }

  @Test
  void highVolatilityTurnsAMarginalSignalFlat() {
    assertThat(Strategy.decide(in(105, TREND_ONLY)).direction()).isEqualTo(Direction.LONG); // 0.45
    Decision d = Strategy.decide(volatile_(105, TREND_ONLY, 1.625)); // 0.45 × 0.75 < 0.35
    assertThat(d.direction()).isEqualTo(Direction.FLAT);
    assertThat(d.score()).isCloseTo(0.3375, within(1e-9));
  }

  @Test
  void aVolatilitySpikeIsFlatWhateverTheTrend() {
    Decision d = Strategy.decide(volatile_(105, UPTREND, 2.0));
    assertThat(d.direction()).isEqualTo(Direction.FLAT);
    assertThat(d.stop()).isNull();
    assertThat(reason(d, "volatility").push()).isEqualTo("flat");
    assertThat(reason(d, "volatility").detail()).endsWith("spike, stay out");
  }

  @Test
  void lowVolatilityIsNotAReasonEitherWay() {
    Decision calm = Strategy.decide(volatile_(105, UPTREND, 0.4));
    Decision usual = Strategy.decide(volatile_(105, UPTREND, 1.0));
    assertThat(calm.direction()).isEqualTo(usual.direction());
    assertThat(calm.score()).isEqualTo(usual.score());
    assertThat(calm.stop()).isEqualTo(usual.stop());
    assertThat(reason(calm, "volatility").push()).isEqualTo("neutral");
  }

  @Test
  void unknownVolatilityIsSaidAndChangesNothing() {
    Decision d = Strategy.decide(new BarInputs(105, UPTREND, true, null, 0.5, LiquidationProximity.NONE));
    assertThat(d.score()).isCloseTo(0.79, within(1e-9));
    assertThat(reason(d, "volatility").push()).isEqualTo("missing");
    assertThat(reason(Strategy.decide(new BarInputs(105, UPTREND, true, 0.5, 0.0, LiquidationProximity.NONE)), "volatility").push()).isEqualTo("missing");
  }

  // --- data quality: stale → flat; a hole bridged (missing, out_of_range) → composite × ½ ---

  @Test
  void aStaleBarIsFlatBecauseActingOnItWouldBeLate() {
    Flag stale = new Flag(Kind.STALE, java.time.Instant.parse("2026-01-01T05:00:00Z"), "the feed's newest bar opens at 2026-01-01T04:00:00Z, 2 bar(s) behind");
    Decision d = Strategy.decide(new BarInputs(105, UPTREND, true, 0.5, 0.5, LiquidationProximity.NONE, java.util.List.of(stale)));
    assertThat(d.direction()).isEqualTo(Direction.FLAT);
    assertThat(d.stop()).isNull();
    Reason q = reason(d, "quality");
    assertThat(q.push()).isEqualTo("flat");
    assertThat(q.detail()).startsWith("stale data: ").contains("2 bar(s) behind");
  }

  @Test
  void aBarThatBridgedAHoleInTheDataHasItsCompositeHalved() {
    Flag missing = new Flag(Kind.MISSING, java.time.Instant.parse("2026-01-01T02:00:00Z"), "1 bar(s) missing before 2026-01-01T03:00:00Z");
    Decision d = Strategy.decide(new BarInputs(105, UPTREND, true, 0.5, 0.5, LiquidationProximity.NONE, java.util.List.of(missing)));
    assertThat(d.direction()).isEqualTo(Direction.LONG);
    assertThat(d.score()).isCloseTo(0.79 / 2, within(1e-9));
    Reason q = reason(d, "quality");
    assertThat(q.push()).isEqualTo("weaker");
    assertThat(q.contribution()).isCloseTo(-0.395, within(1e-9));
    assertThat(q.detail()).isEqualTo("missing: 1 bar(s) missing before 2026-01-01T03:00:00Z; composite × 0.5");
    // halved, a merely trend-backed long (0.45) no longer clears the threshold
    assertThat(Strategy.decide(new BarInputs(105, TREND_ONLY, true, 0.5, 0.5, LiquidationProximity.NONE, java.util.List.of(missing))).direction()).isEqualTo(Direction.FLAT);
  }

  @Test
  void cleanDataLeavesNoQualityReason() {
    assertThat(Strategy.decide(in(105, UPTREND)).reasons()).extracting(Reason::input).doesNotContain("quality");
  }
}
