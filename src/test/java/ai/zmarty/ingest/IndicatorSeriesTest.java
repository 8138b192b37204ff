package ai.zmarty.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleCsv;
import ai.zmarty.market.Timeframe;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndicatorSeriesTest {
  private static final List<Candle> BTC = CandleCsv.resource("market/btc_usd_4h.csv").subList(0, 1_000);

  @Test
  void everyIndicatorHasAValueOnceWarmAndTheJsonCarriesEveryKey() {
    IndicatorSeries s = new IndicatorSeries(Timeframe.H4);
    IndicatorBar last = null;
    for (Candle c : BTC) {
      last = s.append(c);
    }
    assertThat(last.warm()).isTrue();
    assertThat(last.barsBefore()).isEqualTo(999);
    assertThat(last.values().toJson().fieldNames()).containsExactlyInAnyOrderElementsOf(IndicatorValues.KEYS).hasSize(32);
    assertThat(last.values().toJson().stream().map(e -> e.getValue())).doesNotContainNull();
    assertThat(IndicatorValues.fromJson(last.values().toJson())).isEqualTo(last.values());
  }

  @Test
  void valuesStayInTheirRanges() {
    IndicatorSeries s = new IndicatorSeries(Timeframe.H4);
    for (int i = 0; i < BTC.size(); i++) {
      IndicatorBar b = s.append(BTC.get(i));
      if (i < 300) {
        continue;
      }
      IndicatorValues v = b.values();
      for (Double pct : List.of(v.rsi14(), v.stochK(), v.stochD(), v.mfi14(), v.aroonUp25(), v.aroonDown25(), v.adx14())) {
        assertThat(pct).isBetween(-1e-9, 100 + 1e-9);
      }
      assertThat(v.williamsR14()).isBetween(-100.0, 0.0);
      assertThat(v.cmf20()).isBetween(-1.0, 1.0);
      assertThat(v.donchianLower()).isLessThanOrEqualTo(v.donchianMiddle());
      assertThat(v.donchianMiddle()).isLessThanOrEqualTo(v.donchianUpper());
      assertThat(b.close()).isBetween(v.donchianLower(), v.donchianUpper());
      assertThat(v.bbWidth()).isPositive();
    }
  }

  @Test
  void aBoundedSeriesKeepsComputingPastItsBound() {
    IndicatorSeries bounded = new IndicatorSeries(Timeframe.H4, 300);
    IndicatorSeries whole = new IndicatorSeries(Timeframe.H4, BTC.size());
    for (Candle c : BTC) {
      IndicatorValues a = bounded.append(c).values();
      IndicatorValues b = whole.append(c).values();
      // the window and recursive indicators do not care what was dropped ...
      assertThat(a.ema50()).isEqualTo(b.ema50());
      assertThat(a.sma200()).isEqualTo(b.sma200());
      assertThat(a.atr14()).isEqualTo(b.atr14());
      assertThat(a.ichimokuSenkouB()).isEqualTo(b.ichimokuSenkouB());
      assertThat(a.psar()).isEqualTo(b.psar());
    }
    // the oldest kept bar still has the value it got when it was appended
    assertThat(bounded.valuesAt(700).values().psar()).isNotNull().isEqualTo(whole.valuesAt(700).values().psar());
    assertThat(bounded.appended()).isEqualTo(1_000);
    assertThat(bounded.lastOpen()).isEqualTo(BTC.get(999).openTime());
    assertThatThrownBy(() -> bounded.valuesAt(10)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aBarMustFollowTheLastOne() {
    IndicatorSeries s = new IndicatorSeries(Timeframe.H4);
    s.append(BTC.get(1));
    assertThatThrownBy(() -> s.append(BTC.get(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not follow");
    assertThatThrownBy(() -> s.append(BTC.get(0))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IndicatorSeries(Timeframe.H4, 100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void obvIsStoredAsItsTwentyBarChangeWhichDoesNotDependOnWhereTheSeriesStarted() {
    IndicatorSeries early = new IndicatorSeries(Timeframe.H4);
    IndicatorSeries late = new IndicatorSeries(Timeframe.H4);
    IndicatorValues a = null;
    IndicatorValues b = null;
    for (int i = 0; i < BTC.size(); i++) {
      a = early.append(BTC.get(i)).values();
      if (i >= 600) {
        b = late.append(BTC.get(i)).values();
      }
    }
    // the signed volume of the last 20 bars: + when the close rose, − when it fell
    double signed = 0;
    for (int i = BTC.size() - 20; i < BTC.size(); i++) {
      signed += Math.signum(BTC.get(i).close() - BTC.get(i - 1).close()) * BTC.get(i).volume();
    }
    assertThat(a.obvChange20()).isCloseTo(signed, org.assertj.core.api.Assertions.withinPercentage(1e-7));
    assertThat(b.obvChange20()).isCloseTo(a.obvChange20(), org.assertj.core.api.Assertions.withinPercentage(1e-7));
  }
}
