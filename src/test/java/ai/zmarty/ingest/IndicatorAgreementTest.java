package ai.zmarty.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Candle;
import ai.zmarty.market.CandleCsv;
import ai.zmarty.market.Timeframe;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link IndicatorSeries}' values on the whole shipped BTC/USD 4h history (20,695 bars, appended
 * one by one to a bounded series) against {@link ReferenceIndicators}, independent plain loops
 * seeded as TA-Lib seeds. From bar {@value #FROM} on (past ta4j's first-value seeding) every value
 * agrees within a relative {@value #RELATIVE}; the Parabolic SAR, which is not ta4j's, from the
 * second bar. The MACD line and histogram cross zero, where a relative error means nothing, so
 * theirs is relative to the close instead.
 */
class IndicatorAgreementTest {
  static final int FROM = 300;
  static final double RELATIVE = 1e-6;

  private static List<Candle> candles;
  private static double[] close;
  private static List<IndicatorBar> ta4j;

  @BeforeAll
  static void load() {
    candles = CandleCsv.resource("market/btc_usd_4h.csv");
    close = ReferenceIndicators.closes(candles);
    // bar by bar into a bounded series, as ingest and the benchmark use it
    IndicatorSeries series = new IndicatorSeries(Timeframe.H4);
    ta4j = candles.stream().map(series::append).toList();
  }

  @Test
  void theHistoryIsTheShippedFile() {
    assertThat(candles).hasSize(20_695);
    assertThat(ta4j).hasSize(20_695);
    assertThat(candles.get(0).openTime()).isEqualTo("2016-05-18T04:00:00Z");
  }

  @Test
  void emasAgreeAfterWarmUp() {
    agree("ema_9", ReferenceIndicators.ema(close, 9), IndicatorValues::ema9, false);
    agree("ema_21", ReferenceIndicators.ema(close, 21), IndicatorValues::ema21, false);
    agree("ema_50", ReferenceIndicators.ema(close, 50), IndicatorValues::ema50, false);
  }

  @Test
  void sma200Agrees() {
    agree("sma_200", ReferenceIndicators.sma(close, 200), IndicatorValues::sma200, false);
  }

  @Test
  void wildersRsiAgreesAfterWarmUp() {
    agree("rsi_14", ReferenceIndicators.rsi(close, 14), IndicatorValues::rsi14, false);
  }

  @Test
  void macdLineSignalAndHistogramAgreeAfterWarmUp() {
    double[][] m = ReferenceIndicators.macd(close, 12, 26, 9);
    agree("macd", m[0], IndicatorValues::macd, true);
    agree("macd_signal", m[1], IndicatorValues::macdSignal, true);
    agree("macd_hist", m[2], IndicatorValues::macdHist, true);
  }

  @Test
  void wildersAtrAgreesAfterWarmUp() {
    agree("atr_14", ReferenceIndicators.atr(candles, 14), IndicatorValues::atr14, false);
  }

  @Test
  void bollingerPercentBAndWidthAgree() {
    double[][] b = ReferenceIndicators.bollinger(close, 20, 2);
    agree("bb_percent_b", b[0], IndicatorValues::bbPercentB, false);
    agree("bb_width", b[1], IndicatorValues::bbWidth, false);
  }

  @Test
  void wildersParabolicSarAgreesFromTheSecondBar() {
    agree("psar", ReferenceIndicators.parabolicSar(candles, 0.02, 0.02, 0.2), IndicatorValues::psar, 1, false);
  }

  private static void agree(String name, double[] reference, Function<IndicatorValues, Double> ours, boolean relativeToClose) {
    agree(name, reference, ours, FROM, relativeToClose);
  }

  /** Asserts agreement from bar {@code from} on and prints the largest error seen, for the record. */
  private static void agree(String name, double[] reference, Function<IndicatorValues, Double> ours, int from, boolean relativeToClose) {
    double worst = 0;
    int worstAt = -1;
    for (int i = from; i < candles.size(); i++) {
      Double v = ours.apply(ta4j.get(i).values());
      assertThat(v).as("%s at bar %d", name, i).isNotNull();
      double ref = reference[i];
      assertThat(ref).as("reference %s at bar %d", name, i).isNotNaN();
      double scale = relativeToClose ? close[i] : Math.max(Math.abs(ref), 1e-12);
      double err = Math.abs(v - ref) / scale;
      if (err > worst) {
        worst = err;
        worstAt = i;
      }
    }
    System.out.printf("agreement %-13s max relative error %.3e (bar %d)%n", name, worst, worstAt);
    assertThat(worst).as("%s: largest relative error, at bar %d", name, worstAt).isLessThanOrEqualTo(RELATIVE);
  }
}
