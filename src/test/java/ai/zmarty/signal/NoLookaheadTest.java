package ai.zmarty.signal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.ingest.IndicatorBar;
import ai.zmarty.ingest.IndicatorCalculator;
import ai.zmarty.ingest.IndicatorSeries;
import ai.zmarty.ingest.IngestedBar;
import ai.zmarty.ingest.PairSeries;
import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleCsv;
import ai.zmarty.market.Timeframe;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signal for bar t uses only bars up to t. Over the last {@value #WINDOW} bars of the shipped
 * BTC/USD 4h history (after {@value #WARM_UP} bars of warm-up), every bar's inputs — the 32
 * indicator values, the risk metric with the 180-bar volatility, the liquidation proximity — and
 * the strategy's decision are computed twice: on the full history (all 2,300 bars loaded before
 * any value is read, the risk and liquidation functions handed the whole list) and on the history
 * cut at t (bar t has just been appended and nothing later exists yet). They must be identical,
 * bit for bit; a value that read a later bar would differ. The worker's and the backtest's bounded
 * {@link PairSeries} must give the same inputs and decision too. A few cuts are also rebuilt from scratch as a fresh
 * series of bars 0..t, which must agree as well (bit for bit when read in the same order; read
 * at t alone, ta4j sums its windows afresh instead of stepping a running sum, which changes the
 * last binary digit of a few values and never the signal).
 */
class NoLookaheadTest {
  static final int WINDOW = 2_000;
  static final int WARM_UP = 300;

  private static List<Candle> bars;
  private static List<IndicatorBar> full;
  private static List<IngestedBar> fullInputs;

  @BeforeAll
  static void load() {
    List<Candle> history = CandleCsv.resource("market/btc_usd_4h.csv");
    bars = history.subList(history.size() - WINDOW - WARM_UP, history.size());
    full = IndicatorCalculator.compute(bars, Timeframe.H4, 0);
    fullInputs = new java.util.ArrayList<>();
    for (int t = 0; t < bars.size(); t++) {
      // the whole history is handed over: reading past t would be possible, and must not happen
      fullInputs.add(PairSeries.derive(bars, t, full.get(t), Timeframe.H4));
    }
  }

  private static Decision decide(IngestedBar bar) {
    return Strategy.decide(BarInputs.of(bar));
  }

  @Test
  void everyBarOfTheWindowIsTheSameOnTheFullSeriesAndOnTheSeriesCutAtIt() {
    // kept whole (not bounded), so "cut at t" is exactly bars 0..t of the full series
    IndicatorSeries cut = new IndicatorSeries(Timeframe.H4, bars.size());
    // what the ingest worker and the backtest keep: bounded indicators, the last candles for risk and liquidations
    PairSeries worker = new PairSeries(Timeframe.H4);
    int compared = 0;
    for (int t = 0; t < bars.size(); t++) {
      IndicatorBar atT = cut.append(bars.get(t));
      IngestedBar kept = worker.append(bars.get(t));
      if (t < WARM_UP) {
        continue;
      }
      IngestedBar cutInputs = PairSeries.derive(bars.subList(0, t + 1), t, atT, Timeframe.H4);
      IngestedBar onFull = fullInputs.get(t);
      assertThat(atT).as("indicators at bar %d", t).isEqualTo(onFull.indicators());
      assertThat(cutInputs.risk()).as("risk and volatility at bar %d", t).isEqualTo(onFull.risk());
      assertThat(cutInputs.liquidation()).as("liquidation proximity at bar %d", t).isEqualTo(onFull.liquidation());
      assertThat(kept.risk()).as("kept risk at bar %d", t).isEqualTo(onFull.risk());
      assertThat(kept.liquidation()).as("kept liquidation proximity at bar %d", t).isEqualTo(onFull.liquidation());
      Decision expected = decide(onFull);
      assertThat(decide(cutInputs)).as("signal at bar %d", t).isEqualTo(expected);
      assertThat(decide(kept)).as("kept signal at bar %d", t).isEqualTo(expected);
      compared++;
    }
    assertThat(compared).isEqualTo(WINDOW);
    List<Decision> decisions = fullInputs.subList(WARM_UP, bars.size()).stream().map(NoLookaheadTest::decide).toList();
    // the window is not trivially flat: the strategy takes both sides in it
    assertThat(decisions.stream().map(Decision::direction).distinct()).contains(Direction.LONG, Direction.SHORT, Direction.FLAT);
    // and the new inputs are at work in it: clusters push both ways, volatility damps some bars (no spike in this window)
    List<Reason> reasons = decisions.stream().flatMap(d -> d.reasons().stream()).toList();
    assertThat(reasons.stream().filter(r -> r.input().equals("liquidation")).map(Reason::push).distinct()).contains("long", "short");
    assertThat(reasons.stream().filter(r -> r.input().equals("volatility")).map(Reason::push).distinct()).contains("neutral", "weaker");
    // the history misses a bar in this window: the bar after the hole carries it
    assertThat(reasons.stream().filter(r -> r.input().equals("quality")).map(Reason::detail)).singleElement().asString().startsWith("missing: 1 bar(s) missing before");
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
      assertThat(decide(PairSeries.derive(bars.subList(0, t + 1), t, alone, Timeframe.H4))).isEqualTo(decide(fullInputs.get(t)));
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
    for (int i = t - 5; i <= t; i++) {
      assertThat(PairSeries.derive(altered, i, other.get(i), Timeframe.H4)).as("inputs of bar %d", i).isEqualTo(fullInputs.get(i));
    }
    assertThat(PairSeries.derive(altered, t + 1, other.get(t + 1), Timeframe.H4).liquidation()).isNotEqualTo(fullInputs.get(t + 1).liquidation());
  }
}
