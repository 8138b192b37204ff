package ai.zmarty.signal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.ingest.IndicatorBar;
import ai.zmarty.ingest.IndicatorCalculator;
import ai.zmarty.ingest.IndicatorSeries;
import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleCsv;
import ai.zmarty.market.Timeframe;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signal for bar t uses only bars up to t. Over the last {@value #WINDOW} bars of the shipped
 * BTC/USD 4h history (after {@value #WARM_UP} bars of warm-up), every bar's 32 indicator values
 * and the strategy's decision are computed twice: on the full series (all 2,300 bars loaded
 * before any value is read) and on the series cut at t (a series that holds bars ≤ t only: bar t
 * has just been appended and nothing later exists yet). They must be identical, bit for bit; a
 * value that read a later bar would differ. A few cuts are also rebuilt from scratch as a fresh
 * series of bars 0..t, which must agree as well (bit for bit when read in the same order; read
 * at t alone, ta4j sums its windows afresh instead of stepping a running sum, which changes the
 * last binary digit of a few values and never the signal).
 */
class NoLookaheadTest {
  static final int WINDOW = 2_000;
  static final int WARM_UP = 300;

  private static List<Candle> bars;
  private static List<IndicatorBar> full;

  @BeforeAll
  static void load() {
    List<Candle> history = CandleCsv.resource("market/btc_usd_4h.csv");
    bars = history.subList(history.size() - WINDOW - WARM_UP, history.size());
    full = IndicatorCalculator.compute(bars, Timeframe.H4, 0);
  }

  @Test
  void everyBarOfTheWindowIsTheSameOnTheFullSeriesAndOnTheSeriesCutAtIt() {
    // kept whole (not bounded), so "cut at t" is exactly bars 0..t of the full series
    IndicatorSeries cut = new IndicatorSeries(Timeframe.H4, bars.size());
    int compared = 0;
    for (int t = 0; t < bars.size(); t++) {
      IndicatorBar atT = cut.append(bars.get(t));
      if (t < WARM_UP) {
        continue;
      }
      IndicatorBar onFull = full.get(t);
      assertThat(atT).as("indicators at bar %d", t).isEqualTo(onFull);
      assertThat(Strategy.decide(atT.close(), atT.values(), atT.warm())).as("signal at bar %d", t).isEqualTo(Strategy.decide(onFull.close(), onFull.values(), onFull.warm()));
      compared++;
    }
    assertThat(compared).isEqualTo(WINDOW);
    // the window is not trivially flat: the strategy takes both sides in it
    assertThat(full.subList(WARM_UP, bars.size()).stream().map(b -> Strategy.decide(b.close(), b.values(), b.warm()).direction()).distinct()).contains(Direction.LONG, Direction.SHORT, Direction.FLAT);
  }

  @Test
  void aFreshSeriesOfTheBarsUpToTAgreesWithTheFullSeriesAtT() {
    for (int t = WARM_UP; t < bars.size(); t += 499) {
      // read from bar 0 on, as the full series was: ta4j's running sums (SMA) then round alike
      List<IndicatorBar> fresh = IndicatorCalculator.compute(bars.subList(0, t + 1), Timeframe.H4, 0);
      assertThat(fresh.get(t)).as("bar %d", t).isEqualTo(full.get(t));
      // read bar t alone, the window sums are summed afresh: equal up to rounding, same signal
      IndicatorBar alone = IndicatorCalculator.compute(bars.subList(0, t + 1), Timeframe.H4, t).get(0);
      assertThat(alone.values().sma200()).isCloseTo(full.get(t).values().sma200(), org.assertj.core.api.Assertions.withinPercentage(1e-9));
      assertThat(Strategy.decide(alone.close(), alone.values(), alone.warm())).isEqualTo(Strategy.decide(full.get(t).close(), full.get(t).values(), full.get(t).warm()));
    }
  }

  @Test
  void changingLaterBarsChangesNothingBefore() {
    int t = WARM_UP + 1_000;
    List<Candle> altered = new java.util.ArrayList<>(bars.subList(0, t + 1));
    for (int i = t + 1; i < bars.size(); i++) {
      Candle c = bars.get(i);
      altered.add(new Candle(c.openTime(), c.open() * 2, c.high() * 2, c.low() * 2, c.close() * 2, c.volume() * 3));
    }
    List<IndicatorBar> other = IndicatorCalculator.compute(altered, Timeframe.H4, 0);
    assertThat(other.subList(0, t + 1)).isEqualTo(full.subList(0, t + 1));
    assertThat(other.get(t + 1)).isNotEqualTo(full.get(t + 1));
  }
}
