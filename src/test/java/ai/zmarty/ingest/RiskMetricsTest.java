package ai.zmarty.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskMetricsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Daily bars that only have a close (open = high = low = close). */
  private static List<Candle> closes(double... closes) {
    List<Candle> out = new ArrayList<>();
    for (int i = 0; i < closes.length; i++) {
      out.add(new Candle(T0.plus(Duration.ofDays(i)), closes[i], closes[i], closes[i], closes[i], 1));
    }
    return out;
  }

  @Test
  void volatilityIsTheSampleStdOfLogReturnsAnnualisedForTheTimeframe() {
    // log returns ln 1.1, ln 0.9, ln 1.1: mean 0.028420, sample std 0.1158573
    List<Candle> bars = closes(100, 110, 99, 108.9);
    RiskMetric daily = RiskMetrics.at(bars, 3, 5.0, Timeframe.D1);
    assertThat(daily.volatility()).isCloseTo(0.1158573 * Math.sqrt(365), within(1e-6)).isCloseTo(2.2134502, within(1e-6));
    RiskMetric hourly = RiskMetrics.at(bars, 3, 5.0, Timeframe.H1);
    assertThat(hourly.volatility()).isCloseTo(0.1158573 * Math.sqrt(8760), within(1e-5));
  }

  @Test
  void drawdownIsTheDeepestFallFromAPeakInTheWindow() {
    assertThat(RiskMetrics.at(closes(100, 110, 99, 108.9), 3, null, Timeframe.D1).drawdown()).isCloseTo(0.1, within(1e-12)); // 110 → 99
    assertThat(RiskMetrics.at(closes(100, 120, 90, 130, 117), 4, null, Timeframe.D1).drawdown()).isCloseTo(0.25, within(1e-12)); // 120 → 90, not 130 → 117
    assertThat(RiskMetrics.at(closes(100, 101, 102), 2, null, Timeframe.D1).drawdown()).isZero();
  }

  @Test
  void atrPctIsAtrOverTheClose() {
    assertThat(RiskMetrics.at(closes(100, 110, 99, 108.9), 3, 5.0, Timeframe.D1).atrPct()).isCloseTo(5 / 108.9, within(1e-12));
    assertThat(RiskMetrics.at(closes(100, 110, 99, 108.9), 3, null, Timeframe.D1).atrPct()).isNull();
  }

  @Test
  void riskScoreWeighsVolatilityAtrAndDrawdownAndSaturatesEachTerm() {
    // wild: volatility 221 % caps its half at 0.5; atr 4.59 % · √365 / 2 = 0.4386 → 0.1097; drawdown 10 % / 25 % → 0.1
    assertThat(RiskMetrics.at(closes(100, 110, 99, 108.9), 3, 5.0, Timeframe.D1).riskScore()).isCloseTo(0.7096475, within(1e-6));
    // calm: volatility 21.95 % → 0.0732; atr 1.19 % → 0.0284; drawdown 0.99 % → 0.0099
    assertThat(RiskMetrics.at(closes(100, 101, 100, 101), 3, 1.2, Timeframe.D1).riskScore()).isCloseTo(0.1114445, within(1e-6));
    // flat market: nothing moves, no risk
    assertThat(RiskMetrics.at(closes(100, 100, 100, 100), 3, 0.0, Timeframe.D1).riskScore()).isZero();
  }

  @Test
  void theWindowIsTheLastThirtyReturns() {
    double[] c = new double[50];
    for (int i = 0; i < 50; i++) {
      c[i] = i < 10 ? 100 + (i % 2) * 30 : 100; // violent early bars, then flat
    }
    RiskMetric late = RiskMetrics.at(closes(c), 49, null, Timeframe.D1);
    assertThat(late.volatility()).isZero();
    assertThat(late.drawdown()).isZero();
    RiskMetric early = RiskMetrics.at(closes(c), 9, null, Timeframe.D1);
    assertThat(early.volatility()).isPositive();
  }

  @Test
  void aBarWithoutHistoryHasNoVolatility() {
    RiskMetric first = RiskMetrics.at(closes(100, 110), 0, null, Timeframe.D1);
    assertThat(first.volatility()).isZero();
    assertThat(first.drawdown()).isZero();
  }

  @Test
  void theLongVolatilityIsTheSameMeasureOverTheLast180Returns() {
    double[] c = new double[400];
    for (int i = 0; i < 400; i++) {
      c[i] = i < 150 ? 100 + (i % 2) * 30 : 100 + (i % 2); // violent bars long ago, then quiet ones
    }
    RiskMetric now = RiskMetrics.at(closes(c), 399, null, Timeframe.D1);
    // the violent bars are outside both windows: the norm is the short figure (up to the sample's mean)
    assertThat(now.volatilityLong()).isCloseTo(now.volatility(), org.assertj.core.api.Assertions.withinPercentage(2));
    RiskMetric afterCalm = RiskMetrics.at(closes(c), 200, null, Timeframe.D1);
    // 30 quiet returns, but the 180-bar norm still holds the violent ones
    assertThat(afterCalm.volatilityLong()).isGreaterThan(afterCalm.volatility() * 5);
    assertThat(RiskMetrics.at(closes(c), 200, null, Timeframe.D1)).isEqualTo(RiskMetrics.at(closes(java.util.Arrays.copyOf(c, 201)), 200, null, Timeframe.D1));
  }
}
