package ai.zmarty.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Candle;
import ai.zmarty.market.SimulatedMarket;
import ai.zmarty.market.Timeframe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestionTest {
  private static final Instant NOW = Instant.parse("2026-02-10T12:00:00Z");

  private static List<Candle> last300() {
    Instant until = Timeframe.H1.closedUntil(NOW);
    return new SimulatedMarket(42, Clock.fixed(NOW, ZoneOffset.UTC)).bars("BTC/USDT", Timeframe.H1, until.minus(Duration.ofHours(300)), until);
  }

  /** A steady climb of 0.5 % a bar, with a small range around each close. */
  private static List<Candle> rising(int n) {
    List<Candle> out = new ArrayList<>();
    double price = 100;
    for (int i = 0; i < n; i++) {
      double next = price * 1.005;
      out.add(new Candle(Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofHours(i)), price, next * 1.001, price * 0.999, next, 10));
      price = next;
    }
    return out;
  }

  @Test
  void aNewPairIsBackfilledWithItsLast120Bars() {
    List<Candle> bars = last300();
    Ingestion.Result r = Ingestion.compute(bars, Timeframe.H1, null);
    assertThat(r.indicators()).hasSize(120);
    assertThat(r.risks()).hasSize(120);
    assertThat(r.indicators().get(0).barTime()).isEqualTo(bars.get(180).openTime());
    assertThat(r.indicators().get(119).barTime()).isEqualTo(bars.get(299).openTime()).isEqualTo("2026-02-10T11:00:00Z");
    assertThat(r.warmBars()).isEqualTo(50); // bars 250…299 have ≥ 250 bars before them
    assertThat(r.risks()).extracting(RiskMetric::barTime).isEqualTo(r.indicators().stream().map(IndicatorBar::barTime).toList());
  }

  @Test
  void laterJobsComputeOnlyTheBarsNewerThanTheNewestStored() {
    List<Candle> bars = last300();
    assertThat(Ingestion.compute(bars, Timeframe.H1, bars.get(296).openTime()).indicators()).extracting(IndicatorBar::barTime).containsExactly(bars.get(297).openTime(), bars.get(298).openTime(), bars.get(299).openTime());
    assertThat(Ingestion.compute(bars, Timeframe.H1, bars.get(299).openTime()).isEmpty()).isTrue();
    // a pair that was idle for longer than the backfill gets the backfill again, not more
    assertThat(Ingestion.compute(bars, Timeframe.H1, bars.get(10).openTime()).indicators()).hasSize(120);
  }

  @Test
  void aRisingMarketStacksTheAveragesUpwards() {
    List<IndicatorBar> bars = IndicatorCalculator.compute(rising(300), Timeframe.H1, 299);
    IndicatorValues v = bars.get(0).values();
    assertThat(v.ema9()).isGreaterThan(v.ema21());
    assertThat(v.ema21()).isGreaterThan(v.ema50());
    assertThat(v.rsi14()).isGreaterThan(70);
    assertThat(v.macd()).isPositive();
    assertThat(v.atr14()).isPositive();
    assertThat(bars.get(0).warm()).isTrue();
  }

  @Test
  void aBarsValuesDependOnlyOnBarsUpToIt() {
    List<Candle> bars = last300();
    List<IndicatorBar> full = IndicatorCalculator.compute(bars, Timeframe.H1, 200);
    List<IndicatorBar> truncated = IndicatorCalculator.compute(bars.subList(0, 251), Timeframe.H1, 200);
    assertThat(truncated).isEqualTo(full.subList(0, 51));
  }

  @Test
  void valuesDuringWarmUpAreNullOrNumbersNeverNaN() {
    List<IndicatorBar> bars = IndicatorCalculator.compute(last300(), Timeframe.H1, 0);
    assertThat(bars).hasSize(300);
    assertThat(bars.get(0).warm()).isFalse();
    for (IndicatorBar b : bars) {
      String json = b.values().toJson().encode();
      assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
    }
    IndicatorValues last = bars.get(299).values();
    assertThat(List.of(last.ema9(), last.ema21(), last.ema50(), last.rsi14(), last.macd(), last.macdSignal(), last.macdHist(), last.atr14())).doesNotContainNull();
    assertThat(last.macdHist()).isCloseTo(last.macd() - last.macdSignal(), org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void valuesSurviveTheirJsonForm() {
    IndicatorValues v = new IndicatorValues(1.0, 2.0, 3.0, 55.5, 0.1, null, -0.2, 4.0);
    assertThat(IndicatorValues.fromJson(v.toJson())).isEqualTo(v);
    assertThat(v.toJson().getString("macd_signal")).isNull();
    assertThat(v.toJson().fieldNames()).contains("ema_9", "ema_21", "ema_50", "rsi_14", "macd", "macd_signal", "macd_hist", "atr_14");
  }
}
