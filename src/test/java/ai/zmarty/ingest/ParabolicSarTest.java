package ai.zmarty.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleCsv;
import ai.zmarty.market.Timeframe;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ParabolicSar} against Wilder's rules: small hand-worked cases, the worksheet reference
 * of {@link ReferenceIndicators#parabolicSar} on the shipped BTC and ETH 4h histories, the rule
 * that the SAR never enters the last two bars' range, and how fast two series started at
 * different bars come to agree.
 */
class ParabolicSarTest {
  static final double RELATIVE = 1e-6;
  private static final List<Candle> BTC = CandleCsv.resource("market/btc_usd_4h.csv");
  private static final List<Candle> ETH = CandleCsv.resource("market/eth_usd_4h.csv");

  private static double[] run(ParabolicSar sar, double[][] highLow) {
    double[] out = new double[highLow.length];
    for (int i = 0; i < highLow.length; i++) {
      out[i] = sar.next(highLow[i][0], highLow[i][1]);
    }
    return out;
  }

  private static double[] run(List<Candle> candles, int from, int to) {
    ParabolicSar sar = new ParabolicSar();
    double[] out = new double[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = sar.next(candles.get(i).high(), candles.get(i).low());
    }
    return out;
  }

  @Test
  void aRiseAcceleratesThenALowThroughTheSarReversesToTheOldExtremeHeldOutOfTheLastTwoBars() {
    double[][] bars = {{10, 9}, {11, 9.5}, {12, 10}, {13, 11}, {12.5, 9.3}, {12, 11}, {12.95, 10}};
    double[] sar = run(new ParabolicSar(), bars);
    assertThat(sar[0]).as("no SAR on the first bar").isNaN();
    // bar 1 rose (no −DM): long, starting at bar 0's low; EP 11, AF 0.02
    assertThat(sar[1]).isEqualTo(9.0);
    // 9 + 0.02 × (11 − 9); then a new high 12: AF 0.04
    assertThat(sar[2]).isCloseTo(9.04, within(1e-12));
    // 9.04 + 0.04 × (12 − 9.04); then a new high 13: AF 0.06
    assertThat(sar[3]).isCloseTo(9.1584, within(1e-12));
    // 9.1584 + 0.06 × (13 − 9.1584) = 9.388896 ≥ low 9.3: short, the SAR is the old EP 13
    assertThat(sar[4]).isEqualTo(13.0);
    // 13 + 0.02 × (9.3 − 13) = 12.926 would be under bar 3's high 13: held at 13
    assertThat(sar[5]).isEqualTo(13.0);
    // 12.926 (bars 4 and 5 reach 12.5); high 12.95 reaches it: long, at the old EP 9.3
    assertThat(sar[6]).isEqualTo(9.3);
  }

  @Test
  void theSecondBarIsShortOnlyWhenItsLowFellMoreThanItsHighRose() {
    // low fell 1, high fell: short, starting at bar 0's high
    assertThat(run(new ParabolicSar(), new double[][] {{10, 9}, {9.8, 8}})[1]).isEqualTo(10.0);
    // low fell 0.5, high rose 0.5: a tie is long at bar 0's low 9, which bar 1's low 8.5 breaks at
    // once: short at the EP, bar 1's high (a short start would have broken upwards at 8.5)
    assertThat(run(new ParabolicSar(), new double[][] {{10, 9}, {10.5, 8.5}})[1]).isEqualTo(10.5);
    // low fell 0.5, high rose 0.6: long, and the same break
    assertThat(run(new ParabolicSar(), new double[][] {{10, 9}, {10.6, 8.5}})[1]).isEqualTo(10.6);
  }

  @Test
  void theAccelerationStopsAtTwoTenths() {
    List<double[]> rising = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rising.add(new double[] {100 + i, 99 + i});
    }
    double[] sar = run(new ParabolicSar(), rising.toArray(double[][]::new));
    for (int i = 20; i < 40; i++) {
      // a new high each bar and AF at its maximum: the SAR closes 0.2 of its gap to the previous high
      double expected = sar[i - 1] + ParabolicSar.MAXIMUM * (rising.get(i - 1)[0] - sar[i - 1]);
      assertThat(sar[i]).as("bar %d", i).isCloseTo(Math.min(expected, 97.0 + i), within(1e-9));
    }
  }

  @Test
  void equalsWildersWorksheetOnEveryBarOfTheShippedHistories() {
    for (List<Candle> history : List.of(BTC, ETH)) {
      double[] reference = ReferenceIndicators.parabolicSar(history, 0.02, 0.02, 0.2);
      double[] ours = run(history, 0, history.size());
      assertThat(ours[0]).isNaN();
      double worst = 0;
      for (int i = 1; i < history.size(); i++) {
        assertThat(reference[i]).as("reference at bar %d", i).isFinite();
        worst = Math.max(worst, Math.abs(ours[i] - reference[i]) / Math.abs(reference[i]));
      }
      System.out.printf("psar vs worksheet over %,d bars: max relative error %.3e%n", history.size(), worst);
      assertThat(worst).isLessThanOrEqualTo(RELATIVE);
    }
  }

  @Test
  void theSarNeverEntersTheRangeOfTheBarOrTheOneBefore() {
    double[] sar = run(BTC, 0, BTC.size());
    int longs = 0;
    int shorts = 0;
    for (int i = 2; i < BTC.size(); i++) {
      double lowest = Math.min(BTC.get(i).low(), BTC.get(i - 1).low());
      double highest = Math.max(BTC.get(i).high(), BTC.get(i - 1).high());
      if (sar[i] <= lowest) {
        longs++;
      } else {
        assertThat(sar[i]).as("bar %d: neither under both lows nor over both highs", i).isGreaterThanOrEqualTo(highest);
        shorts++;
      }
    }
    assertThat(longs).isGreaterThan(5_000);
    assertThat(shorts).isGreaterThan(5_000);
  }

  @Test
  void twoSeriesStartedFiveHundredBarsApartAgreeOnceBothAreWarm() {
    IndicatorSeries early = new IndicatorSeries(Timeframe.H4);
    IndicatorSeries late = new IndicatorSeries(Timeframe.H4);
    int start = 500;
    int warmFrom = start + IndicatorCalculator.WARM_BARS;
    int differing = 0;
    for (int i = 0; i < BTC.size(); i++) {
      Double a = early.append(BTC.get(i)).values().psar();
      if (i < start) {
        continue;
      }
      Double b = late.append(BTC.get(i)).values().psar();
      if (i >= warmFrom) {
        assertThat(b).as("bar %d", i).isEqualTo(a);
      } else if (b != null && !b.equals(a)) {
        differing++;
      }
    }
    // before that, a series that starts later has its own trend start: the true guarantee is "once warm"
    System.out.printf("psar: a series started at bar %d differed on %d of its first %d bars%n", start, differing, IndicatorCalculator.WARM_BARS);
    assertThat(differing).isPositive();
  }

  @Test
  void fromAnyStartInTheShippedHistoriesTheSarMatchesTheWholeHistorysWithinTheWarmUp() {
    for (List<Candle> history : List.of(BTC, ETH)) {
      double[] whole = run(history, 0, history.size());
      int worst = 0;
      int worstStart = -1;
      int span = IndicatorCalculator.WARM_BARS * 2;
      for (int start = 1; start + span <= history.size(); start++) {
        double[] late = run(history, start, start + span);
        int agreesFrom = span;
        while (agreesFrom > 0 && late[agreesFrom - 1] == whole[start + agreesFrom - 1]) {
          agreesFrom--;
        }
        if (agreesFrom > worst) {
          worst = agreesFrom;
          worstStart = start;
        }
      }
      System.out.printf("psar: from any start, equal to the whole history's after at most %d bars (start %d)%n", worst, worstStart);
      assertThat(worst).isLessThanOrEqualTo(IndicatorCalculator.WARM_BARS);
    }
  }
}
