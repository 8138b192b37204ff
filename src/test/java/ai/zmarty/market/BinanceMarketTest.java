package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.market.CandleQuality.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BinanceMarketTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant TO = T0.plus(Duration.ofHours(6));
  /** 05:30: the 05:00 kline in the recording is still forming. */
  private static final Clock NOW = Clock.fixed(T0.plus(Duration.ofMinutes(330)), ZoneOffset.UTC);

  private Vertx vertx;
  private FakeExchange fake;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = new FakeExchange().start(vertx).await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private BinanceMarket market(int retries, Duration timeout, Clock clock) {
    return new BinanceMarket(vertx, new ExchangeOptions(fake.baseUrl(), timeout, retries, Duration.ofMillis(20)), clock);
  }

  private BinanceMarket market() {
    return market(3, Duration.ofSeconds(2), NOW);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  @Test
  void klinesBecomeClosedCandles() throws Exception {
    fake.thenReplay("binance/klines_btcusdt_1h.json");
    List<Candle> candles = await(market().candles("BTC/USDT", "1h", T0, TO));
    assertThat(candles).hasSize(5);
    assertThat(candles.get(0)).isEqualTo(new Candle(T0, 93576.0, 93736.35, 93077.78, 93130.27, 416.91669119));
    assertThat(fake.seen).singleElement().satisfies(s -> {
      assertThat(s.path()).isEqualTo("/api/v3/klines");
      assertThat(s.query().get("symbol")).isEqualTo("BTCUSDT");
      assertThat(s.query().get("interval")).isEqualTo("1h");
      assertThat(s.query().get("startTime")).isEqualTo("1735689600000");
      assertThat(s.query().get("endTime")).isEqualTo("1735707599999");
      assertThat(s.query().get("limit")).isEqualTo("1000");
    });
  }

  @Test
  void aLongWindowIsFetchedInPagesOfAThousand() throws Exception {
    Clock later = Clock.fixed(T0.plus(Duration.ofHours(1200)).plusSeconds(1800), ZoneOffset.UTC);
    fake.thenReplay("binance/klines_btcusdt_1h_page1.json").thenReplay("binance/klines_btcusdt_1h_page2.json");
    CandleQuality.Report report = await(market(3, Duration.ofSeconds(2), later).checkedCandles("BTC", "1h", T0, T0.plus(Duration.ofHours(1200))));
    assertThat(report.candles()).hasSize(1_200);
    assertThat(report.clean()).isTrue();
    assertThat(report.candles().get(1_199).openTime()).isEqualTo(T0.plus(Duration.ofHours(1_199)));
    assertThat(fake.seen).hasSize(2);
    assertThat(fake.seen.get(1).query().get("startTime")).isEqualTo(Long.toString(T0.plus(Duration.ofHours(999)).toEpochMilli() + 1));
  }

  @Test
  void a429IsRetriedAfterItsRetryAfter() throws Exception {
    fake.thenReplay(429, "binance/error_429.json", "Retry-After", "1").thenReplay("binance/klines_btcusdt_1h.json");
    assertThat(await(market().candles("BTCUSDT", "1h", T0, TO))).hasSize(5);
    assertThat(fake.seen).hasSize(2);
    assertThat(fake.seen.get(1).atMillis() - fake.seen.get(0).atMillis()).isGreaterThanOrEqualTo(950);
  }

  @Test
  void aRetryAfterLongerThanAMinuteFailsInsteadOfWaiting() {
    fake.thenReplay(429, "binance/error_429.json", "Retry-After", "120");
    assertThatThrownBy(() -> await(market().candles("BTCUSDT", "1h", T0, TO)))
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("answered 429")
        .hasMessageContaining("Too many requests")
        .hasMessageEndingWith("(Retry-After 120 s is longer than we wait)");
  }

  @Test
  void a500IsRetried() throws Exception {
    fake.thenStatus(500, "").thenReplay("binance/klines_btcusdt_1h.json");
    assertThat(await(market().candles("BTC/USDT", "1h", T0, TO))).hasSize(5);
    assertThat(fake.seen).hasSize(2);
  }

  @Test
  void aRequestThatTimesOutIsRetried() throws Exception {
    fake.thenSilence().thenReplay("binance/klines_btcusdt_1h.json");
    assertThat(await(market(3, Duration.ofMillis(300), NOW).candles("BTC/USDT", "1h", T0, TO))).hasSize(5);
    assertThat(fake.seen).hasSize(2);
  }

  @Test
  void malformedJsonFailsAtOnceWithoutRetrying() {
    fake.thenReplay("binance/klines_malformed.json");
    assertThatThrownBy(() -> await(market().candles("BTC/USDT", "1h", T0, TO)))
        .isInstanceOf(ExchangeException.class)
        .hasMessageStartingWith("binance klines answer is malformed");
    assertThat(fake.seen).hasSize(1);
  }

  @Test
  void anInvalidSymbolIsNotRetried() {
    fake.thenReplay(400, "binance/error_400_invalid_symbol.json");
    assertThatThrownBy(() -> await(market().candles("NOPE/USDT", "1h", T0, TO)))
        .isInstanceOf(ExchangeException.class)
        .hasMessage("binance /api/v3/klines answered 400: {\"code\":-1121,\"msg\":\"Invalid symbol.\"}");
    assertThat(fake.seen).hasSize(1);
  }

  @Test
  void aMissingKlineIsFlagged() throws Exception {
    fake.thenReplay("binance/klines_btcusdt_1h_gap.json");
    CandleQuality.Report report = await(market().checkedCandles("BTC/USDT", "1h", T0, TO));
    assertThat(report.candles()).hasSize(4);
    assertThat(report.flags()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.MISSING);
      assertThat(f.at()).isEqualTo(T0.plus(Duration.ofHours(2)));
    });
  }

  @Test
  void anOldAnswerIsFlaggedStale() throws Exception {
    Clock muchLater = Clock.fixed(T0.plus(Duration.ofHours(9)), ZoneOffset.UTC);
    fake.thenReplay("binance/klines_btcusdt_1h.json");
    CandleQuality.Report report = await(market(3, Duration.ofSeconds(2), muchLater).checkedCandles("BTC/USDT", "1h", T0, T0.plus(Duration.ofHours(9))));
    assertThat(report.candles()).hasSize(6);
    assertThat(report.flags(Kind.STALE)).singleElement().satisfies(f -> assertThat(f.detail()).contains("3 bar(s) behind"));
  }

  @Test
  void exchangeInfoSaysWhetherASymbolTrades() throws Exception {
    fake.thenReplay("binance/exchange_info_btcusdt.json")
        .thenReplay(400, "binance/error_400_invalid_symbol.json")
        .thenReplay("binance/exchange_info_lunausdt_break.json");
    assertThat(await(market().lists("BTC/USDT", "1h"))).isTrue();
    assertThat(await(market().lists("Z0000/USDT", "1h"))).as("400 code -1121: unknown").isFalse();
    assertThat(await(market().lists("LUNA/USDT", "1h"))).as("listed but not trading").isFalse();
    assertThat(fake.seen).extracting(FakeExchange.Seen::path).containsOnly("/api/v3/exchangeInfo");
    assertThat(fake.seen).extracting(s -> s.query().get("symbol")).containsExactly("BTCUSDT", "Z0000USDT", "LUNAUSDT");
  }

  @Test
  void exchangeInfoFailingIsAFailureNotANo() {
    fake.thenStatus(503, "busy");
    assertThatThrownBy(() -> await(market(0, Duration.ofSeconds(2), NOW).lists("BTC/USDT", "1h"))).hasMessageContaining("503");
  }
}
