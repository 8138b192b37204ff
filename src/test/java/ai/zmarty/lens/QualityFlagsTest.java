package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.LensEnrichConfig;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.market.Candle;
import ai.zmarty.market.LiveMarket;
import ai.zmarty.market.LiveMarket.Level;
import ai.zmarty.market.Timeframe;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityFlagsTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:30Z");
  private static final LensEnrichConfig CONFIG = ZmartyConfig.from(RawConfig.load(Map.of("LENS_STALE_TICKER", "10s", "LENS_STALE_BOOK", "20s", "LENS_STALE_DERIVATIVES", "1m"))).lensEnrich();
  private static final FeatureProfile FULL = new FeatureProfile("full", List.of(Timeframe.H1), true, true, true, true);
  private final QualityFlags quality = new QualityFlags(CONFIG);

  private static LiveMarket.Book book(double bid, double ask, Instant at) {
    return new LiveMarket.Book(at, List.of(new Level(bid, 1)), List.of(new Level(ask, 1)));
  }

  private static MarketSnapshot snapshot(LiveMarket.Quote q, LiveMarket.Book b, LiveMarket.Derivatives d, List<Candle> hourly) {
    return new MarketSnapshot("test", "1", q, b, d, Map.of(Timeframe.H1, hourly), NOW);
  }

  private static List<Candle> hourly(int n, Instant lastOpen) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> new Candle(lastOpen.minus(Duration.ofHours(n - 1 - i)), 100, 101, 99, 100, 1)).toList();
  }

  @Test
  void cleanDataRaisesNoFlag() {
    LiveMarket.Derivatives d = new LiveMarket.Derivatives(0.0001, 0.0001, 10, 100, 1e6, 0.0001, NOW);
    List<Candle> bars = hourly(300, Instant.parse("2026-01-10T11:00:00Z"));
    MarketSnapshot s = snapshot(new LiveMarket.Quote(100, NOW), book(99.99, 100.01, NOW), d, bars);
    JsonObject ta = new JsonObject().put("1h", EnrichTa.of(Timeframe.H1, bars).put("rsi_14", 50.0).put("atr_14", 2.0));
    JsonObject flags = quality.assess(FULL, s, ta);
    assertThat(flags.fieldNames()).containsExactlyInAnyOrder("ticker", "orderbook", "derivatives", "ta.1h", "levels.1h");
    flags.forEach(e -> assertThat(((io.vertx.core.json.JsonArray) e.getValue()).isEmpty()).as(e.getKey()).isTrue());
  }

  @Test
  void aCrossedBookIsOutOfRangeOnTheTickerAndTheBook() {
    MarketSnapshot s = snapshot(new LiveMarket.Quote(100, NOW), book(100.02, 100.01, NOW), null, List.of());
    assertThat(quality.ticker(s).getList()).containsExactly("crossed_book");
    assertThat(quality.book(s.book(), NOW).getList()).containsExactly("crossed_book");
  }

  @Test
  void aSpreadWiderThanTheLimitIsFlagged() {
    // 0.6 % of the mid against LENS_MAX_SPREAD_PCT 0.5
    assertThat(quality.ticker(snapshot(new LiveMarket.Quote(100, NOW), book(99.7, 100.3, NOW), null, List.of())).getList()).containsExactly("spread_too_wide");
    assertThat(quality.ticker(snapshot(new LiveMarket.Quote(100, NOW), book(99.75, 100.25, NOW), null, List.of())).getList()).isEmpty();
    assertThat(quality.ticker(snapshot(new LiveMarket.Quote(100, NOW), null, null, List.of())).getList()).containsExactly("no_bid_ask");
  }

  @Test
  void eachDataTypeHasItsOwnStaleThreshold() {
    assertThat(quality.ticker(snapshot(new LiveMarket.Quote(100, NOW.minusSeconds(11)), book(99.99, 100.01, NOW), null, List.of())).getList()).containsExactly("stale");
    assertThat(quality.ticker(snapshot(new LiveMarket.Quote(100, NOW.minusSeconds(10)), book(99.99, 100.01, NOW), null, List.of())).getList()).isEmpty();
    assertThat(quality.book(book(99.99, 100.01, NOW.minusSeconds(21)), NOW).getList()).containsExactly("stale");
    assertThat(quality.book(book(99.99, 100.01, NOW.minusSeconds(20)), NOW).getList()).isEmpty();
    assertThat(quality.derivatives(new LiveMarket.Derivatives(0, 0.0, 1, 1, 1, 0.0, NOW.minusSeconds(61)), NOW).getList()).containsExactly("stale");
    // candles: the last closed 1h bar closed more than 2 bars (LENS_STALE_CANDLE_BARS) ago
    assertThat(quality.candles(Timeframe.H1, hourly(10, Instant.parse("2026-01-10T09:00:00Z")), NOW).getList()).containsExactly("stale");
    assertThat(quality.candles(Timeframe.H1, hourly(10, Instant.parse("2026-01-10T10:00:00Z")), NOW).getList()).isEmpty();
  }

  @Test
  void missingComponentsAreFlaggedMissing() {
    assertThat(quality.book(null, NOW).getList()).containsExactly("missing");
    assertThat(quality.derivatives(null, NOW).getList()).containsExactly("missing");
    assertThat(quality.candles(Timeframe.H1, List.of(), NOW).getList()).containsExactly("missing");
    assertThat(quality.derivatives(new LiveMarket.Derivatives(0, null, 1, 1, 1, null, NOW), NOW).getList()).containsExactly("predicted_funding_missing");
  }

  @Test
  void rsiOutsideZeroToHundredAtrNotPositiveAndTooFewBarsAreFlagged() {
    List<Candle> bars = hourly(300, Instant.parse("2026-01-10T11:00:00Z"));
    assertThat(quality.ta(Timeframe.H1, bars, new JsonObject().put("warm", true).put("rsi_14", 100.5).put("atr_14", 1.0), NOW).getList()).containsExactly("rsi_out_of_range");
    assertThat(quality.ta(Timeframe.H1, bars, new JsonObject().put("warm", true).put("rsi_14", -0.1).put("atr_14", 0.0), NOW).getList()).containsExactly("rsi_out_of_range", "atr_not_positive");
    assertThat(quality.ta(Timeframe.H1, bars, new JsonObject().put("warm", true).put("rsi_14", 100.0).put("atr_14", -1.0), NOW).getList()).containsExactly("atr_not_positive");
    List<Candle> few = hourly(40, Instant.parse("2026-01-10T11:00:00Z"));
    assertThat(quality.ta(Timeframe.H1, few, EnrichTa.of(Timeframe.H1, few), NOW).getList()).contains("insufficient_history");
  }
}
