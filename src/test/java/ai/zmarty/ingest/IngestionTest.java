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

  private static List<Candle> history(int bars) {
    Instant until = Timeframe.H1.closedUntil(NOW);
    return new SimulatedMarket(42, Clock.fixed(NOW, ZoneOffset.UTC)).bars("BTC/USDT", Timeframe.H1, until.minus(Duration.ofHours(bars)), until);
  }

  private static List<Candle> last300() {
    return history(300);
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
  void aNewPairIsRebuiltFromItsHistoryAndBackfilledWithItsLast120Bars() {
    List<Candle> bars = history(Ingestion.HISTORY_BARS);
    Ingestion.Result r = Ingestion.rebuild(bars, Timeframe.H1, null, "cold");
    assertThat(r.mode()).isEqualTo(Ingestion.Mode.REBUILD);
    assertThat(r.bars()).hasSize(120);
    assertThat(r.bars().get(0).barTime()).isEqualTo(bars.get(880).openTime());
    assertThat(r.bars().get(119).barTime()).isEqualTo(bars.get(999).openTime()).isEqualTo("2026-02-10T11:00:00Z");
    // 880 bars or more before each: every written bar is warm
    assertThat(r.warmBars()).isEqualTo(120);
    assertThat(r.risks()).extracting(RiskMetric::barTime).isEqualTo(r.indicators().stream().map(IndicatorBar::barTime).toList());
    assertThat(r.series().lastOpen()).isEqualTo(bars.get(999).openTime());
    assertThat(r.series().appended()).isEqualTo(1_000);
  }

  @Test
  void aRebuildWritesOnlyTheBarsNewerThanTheNewestStored() {
    List<Candle> bars = history(Ingestion.HISTORY_BARS);
    assertThat(Ingestion.rebuild(bars, Timeframe.H1, bars.get(996).openTime(), "x").bars()).extracting(IngestedBar::barTime)
        .containsExactly(bars.get(997).openTime(), bars.get(998).openTime(), bars.get(999).openTime());
    assertThat(Ingestion.rebuild(bars, Timeframe.H1, bars.get(999).openTime(), "x").isEmpty()).isTrue();
    // a pair that was idle for longer than the backfill gets the backfill again, not more
    assertThat(Ingestion.rebuild(bars, Timeframe.H1, bars.get(10).openTime(), "x").bars()).hasSize(120);
  }

  @Test
  void aKeptSeriesIsAppendedToWhenTheStoreEndsWithItsNewestBar() {
    List<Candle> bars = history(1_003);
    Ingestion.Result rebuilt = Ingestion.rebuild(bars.subList(0, 1_000), Timeframe.H1, null, "cold");
    PairSeries kept = rebuilt.series();
    Candle newest = bars.get(999);
    Instant until = bars.get(1_002).openTime().plus(Duration.ofHours(1));

    Ingestion.Plan plan = Ingestion.plan(kept, new Ingestion.Stored(newest.openTime(), newest.close()), until, Timeframe.H1);
    assertThat(plan.mode()).isEqualTo(Ingestion.Mode.APPEND);
    assertThat(plan.from()).isEqualTo(bars.get(1_000).openTime());

    Ingestion.Result appended = Ingestion.append(kept, bars.subList(1_000, 1_003));
    assertThat(appended.mode()).isEqualTo(Ingestion.Mode.APPEND);
    assertThat(appended.bars()).extracting(IngestedBar::barTime).containsExactly(bars.get(1_000).openTime(), bars.get(1_001).openTime(), bars.get(1_002).openTime());
    assertThat(kept.lastOpen()).isEqualTo(bars.get(1_002).openTime());
  }

  @Test
  void theStoreDecidesWhetherTheKeptSeriesIsCurrent() {
    List<Candle> bars = history(1_010);
    PairSeries kept = Ingestion.rebuild(bars.subList(0, 1_000), Timeframe.H1, null, "cold").series();
    Candle newest = bars.get(999);
    Instant until = bars.get(1_009).openTime().plus(Duration.ofHours(1));
    java.util.function.Function<Ingestion.Plan, String> reason = p -> p.mode() + " " + p.reason();

    assertThat(reason.apply(Ingestion.plan(null, new Ingestion.Stored(newest.openTime(), newest.close()), until, Timeframe.H1))).startsWith("REBUILD cold");
    assertThat(reason.apply(Ingestion.plan(kept, null, until, Timeframe.H1))).startsWith("REBUILD nothing stored");
    // another node ingested the pair since: the store is ahead of the kept series
    assertThat(reason.apply(Ingestion.plan(kept, new Ingestion.Stored(bars.get(1_003).openTime(), 1), until, Timeframe.H1))).contains("REBUILD the newest stored bar");
    // the store is behind (rows removed, or this node's write failed)
    assertThat(reason.apply(Ingestion.plan(kept, new Ingestion.Stored(bars.get(990).openTime(), bars.get(990).close()), until, Timeframe.H1))).contains("is not the kept newest");
    // the same bar time with other data
    assertThat(reason.apply(Ingestion.plan(kept, new Ingestion.Stored(newest.openTime(), newest.close() * 1.01), until, Timeframe.H1))).contains("REBUILD the stored close");
    // idle for longer than one job writes
    assertThat(reason.apply(Ingestion.plan(kept, new Ingestion.Stored(newest.openTime(), newest.close()), newest.openTime().plus(Duration.ofHours(122)), Timeframe.H1))).contains("REBUILD 121 bars closed since");
    // every rebuild loads the last 1,000 bars
    assertThat(Ingestion.plan(null, null, until, Timeframe.H1).from()).isEqualTo(until.minus(Duration.ofHours(1_000)));
  }

  @Test
  void barsThatDoNotFollowTheKeptSeriesAreRefusedAndLeaveItAsItWas() {
    List<Candle> bars = history(1_005);
    PairSeries kept = Ingestion.rebuild(bars.subList(0, 1_000), Timeframe.H1, null, "cold").series();
    assertThat(Ingestion.append(kept, List.of(bars.get(1_001), bars.get(1_002)))).isNull(); // bar 1,000 missing
    assertThat(Ingestion.append(kept, List.of(bars.get(1_000), bars.get(1_002)))).isNull(); // a hole inside
    assertThat(kept.lastOpen()).isEqualTo(bars.get(999).openTime());
    assertThat(kept.appended()).isEqualTo(1_000);
    assertThat(Ingestion.append(kept, List.of()).isEmpty()).isTrue();
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
