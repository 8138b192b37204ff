package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.market.CandleQuality.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HyperliquidMarketTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant TO = T0.plus(Duration.ofHours(6));
  /** 05:30: the 05:00 bar in the recordings is still forming. */
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

  private HyperliquidMarket market(int retries, Duration timeout) {
    return new HyperliquidMarket(vertx, new ExchangeOptions(fake.baseUrl(), timeout, retries, Duration.ofMillis(20)), NOW);
  }

  private HyperliquidMarket market() {
    return market(3, Duration.ofSeconds(2));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  @Test
  void candlesComeFromACandleSnapshotWithoutTheFormingBar() throws Exception {
    fake.thenReplay("hyperliquid/candle_snapshot_btc_1h.json");
    List<Candle> candles = await(market().candles("BTC/USDT", "1h", T0, TO));
    assertThat(candles).hasSize(5);
    assertThat(candles.get(0)).isEqualTo(new Candle(T0, 93429.0, 93471.3, 93049.4, 93231.5, 386.92354));
    assertThat(candles.get(4).openTime()).isEqualTo(T0.plus(Duration.ofHours(4)));
    assertThat(fake.seen).singleElement().satisfies(s -> {
      assertThat(s.path()).isEqualTo("/info");
      assertThat(s.json()).isEqualTo(new JsonObject("""
          {"type":"candleSnapshot","req":{"coin":"BTC","interval":"1h","startTime":1735689600000,"endTime":1735707599999}}"""));
    });
  }

  @Test
  void aWindowIsFetchedPageByPageFromTheLastOpenTime() throws Exception {
    fake.thenReplay("hyperliquid/candle_snapshot_btc_1h_page1.json").thenReplay("hyperliquid/candle_snapshot_btc_1h_page2.json");
    CandleQuality.Report report = await(market().checkedCandles("BTCUSDT", "1h", T0, TO));
    assertThat(report.candles()).extracting(Candle::openTime).containsExactly(T0, T0.plusSeconds(3600), T0.plusSeconds(7200), T0.plusSeconds(10800), T0.plusSeconds(14400));
    assertThat(report.clean()).isTrue();
    assertThat(fake.seen).hasSize(2);
    assertThat(fake.seen.get(1).json().getJsonObject("req").getLong("startTime")).isEqualTo(T0.plusSeconds(7200).toEpochMilli() + 1);
  }

  @Test
  void everyRequestReservesItsWeightAndCandlesAreChargedFromTheAnswer() throws Exception {
    AtomicLong now = new AtomicLong(0);
    WeightBudget budget = WeightBudget.hyperliquid(0);
    HyperliquidMarket m = new HyperliquidMarket(vertx, new ExchangeOptions(fake.baseUrl(), Duration.ofSeconds(2), 0, Duration.ofMillis(20)), NOW, budget, now::get, Duration.ofSeconds(5));
    fake.thenReplay("hyperliquid/candle_snapshot_btc_1h_page1.json").thenReplay("hyperliquid/candle_snapshot_btc_1h_page2.json");
    await(m.candles("BTC", "1h", T0, TO));
    assertThat(m.weightAvailable()).isEqualTo(1_200 - 2 * 20); // 3 candles per page: under 60, no extra weight
  }

  @Test
  void aSpentBudgetDelaysTheRequestInsteadOfFailing() throws Exception {
    WeightBudget budget = WeightBudget.hyperliquid(0);
    budget.reserve(1_200, 0); // a minute's weight already spent: 20 more take 1 s to refill
    HyperliquidMarket m = new HyperliquidMarket(vertx, new ExchangeOptions(fake.baseUrl(), Duration.ofSeconds(2), 0, Duration.ofMillis(20)), NOW, budget, () -> 0L, Duration.ofSeconds(5));
    fake.thenReplay("hyperliquid/candle_snapshot_btc_1h.json");
    long started = System.nanoTime();
    assertThat(await(m.candles("BTC", "1h", T0, TO))).hasSize(5);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void a429IsRetriedAfterItsRetryAfter() throws Exception {
    fake.thenReplay(429, "hyperliquid/rate_limited.txt", "Retry-After", "1").thenReplay("hyperliquid/candle_snapshot_btc_1h.json");
    assertThat(await(market().candles("BTC/USDT", "1h", T0, TO))).hasSize(5);
    assertThat(fake.seen).hasSize(2);
    assertThat(fake.seen.get(1).atMillis() - fake.seen.get(0).atMillis()).isGreaterThanOrEqualTo(950);
  }

  @Test
  void a500IsRetriedWithBackoff() throws Exception {
    fake.thenStatus(500, "internal error").thenStatus(502, "bad gateway").thenReplay("hyperliquid/candle_snapshot_btc_1h.json");
    assertThat(await(market().candles("BTC/USDT", "1h", T0, TO))).hasSize(5);
    assertThat(fake.seen).hasSize(3);
    // 20 ms, then 40 ms
    assertThat(fake.seen.get(2).atMillis() - fake.seen.get(1).atMillis()).isGreaterThanOrEqualTo(35);
  }

  @Test
  void aRequestThatTimesOutIsRetried() throws Exception {
    fake.thenSilence().thenReplay("hyperliquid/candle_snapshot_btc_1h.json");
    assertThat(await(market(3, Duration.ofMillis(300)).candles("BTC/USDT", "1h", T0, TO))).hasSize(5);
    assertThat(fake.seen).hasSize(2);
  }

  @Test
  void retriesRunOutWithAClearError() throws Exception {
    fake.thenSilence().thenSilence();
    assertThatThrownBy(() -> await(market(1, Duration.ofMillis(200)).candles("BTC/USDT", "1h", T0, TO)))
        .isInstanceOf(ExchangeException.class)
        .hasMessageStartingWith("hyperliquid /info failed: ")
        .hasMessageEndingWith("(gave up after 2 attempts)");
    fake.thenStatus(503, "unavailable").thenStatus(503, "unavailable");
    assertThatThrownBy(() -> await(market(1, Duration.ofSeconds(1)).candles("BTC/USDT", "1h", T0, TO)))
        .isInstanceOf(ExchangeException.class)
        .hasMessage("hyperliquid /info answered 503: unavailable (gave up after 2 attempts)")
        .satisfies(e -> assertThat(((ExchangeException) e).status()).isEqualTo(503));
  }

  @Test
  void malformedJsonFailsAtOnceWithoutRetrying() throws Exception {
    fake.thenReplay("hyperliquid/candle_snapshot_malformed.json");
    assertThatThrownBy(() -> await(market().candles("BTC/USDT", "1h", T0, TO)))
        .isInstanceOf(ExchangeException.class)
        .hasMessageStartingWith("hyperliquid candleSnapshot answer is malformed");
    assertThat(fake.seen).hasSize(1);
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    fake.thenStatus(422, "Failed to deserialize the JSON body into the target type");
    assertThatThrownBy(() -> await(market().candles("BTC/USDT", "1h", T0, TO))).hasMessageContaining("answered 422");
    assertThat(fake.seen).hasSize(1);
  }

  @Test
  void gapsAndImpossibleBarsAreFlaggedAndTheBadBarDropped() throws Exception {
    fake.thenReplay("hyperliquid/candle_snapshot_btc_1h_gap_and_bad_bar.json");
    CandleQuality.Report report = await(market().checkedCandles("BTC/USDT", "1h", T0, TO));
    assertThat(report.candles()).extracting(Candle::openTime).containsExactly(T0, T0.plusSeconds(3600), T0.plusSeconds(14400));
    assertThat(report.flags()).extracting(CandleQuality.Flag::kind).containsExactly(Kind.MISSING, Kind.OUT_OF_RANGE);
  }

  @Test
  void aSymbolWithNoHyperliquidCoinFailsBeforeAnyRequest() {
    assertThatThrownBy(() -> await(market().candles("ETH/BTC", "1h", T0, TO))).isInstanceOf(IllegalArgumentException.class);
    assertThat(fake.seen).isEmpty();
  }

  @Test
  void assetContextsAreReadAndKeptForFiveSeconds() throws Exception {
    AtomicLong now = new AtomicLong(0);
    HyperliquidMarket m = new HyperliquidMarket(vertx, new ExchangeOptions(fake.baseUrl(), Duration.ofSeconds(2), 0, Duration.ofMillis(20)), NOW, WeightBudget.hyperliquid(0), now::get, Duration.ofSeconds(5));
    fake.thenReplay("hyperliquid/meta_and_asset_ctxs.json").thenReplay("hyperliquid/meta_and_asset_ctxs.json");
    assertThat(await(m.assetContext("BTC"))).isEqualTo(new HyperliquidMarket.AssetContext("BTC", 0.0000125, 29345.61234, 93462.0, 2154038211.0482301, 0.00031259));
    now.set(4_999);
    assertThat(await(m.assetContext("SOL/USDT")).funding()).isEqualTo(-0.0000042);
    assertThat(fake.seen).hasSize(1);
    assertThat(fake.seen.get(0).json()).isEqualTo(new JsonObject().put("type", "metaAndAssetCtxs"));
    now.set(5_000);
    assertThat(await(m.assetContext("ETH")).markPx()).isEqualTo(3362.8);
    assertThat(fake.seen).hasSize(2);
    assertThatThrownBy(() -> await(m.assetContext("DOGE"))).hasMessage("Hyperliquid lists no coin 'DOGE'");
  }

  @Test
  void predictedFundingsAreHyperliquidsOwnVenueRatesKeptFiveSeconds() throws Exception {
    AtomicLong now = new AtomicLong(0);
    HyperliquidMarket m = new HyperliquidMarket(vertx, new ExchangeOptions(fake.baseUrl(), Duration.ofSeconds(2), 0, Duration.ofMillis(20)), NOW, WeightBudget.hyperliquid(0), now::get, Duration.ofSeconds(5));
    fake.thenReplay("hyperliquid/predicted_fundings.json").thenReplay("hyperliquid/predicted_fundings.json");
    // BTC's own rate, not Binance's or Bybit's; PURR's own venue entry is null, so PURR is left out
    assertThat(await(m.predictedFundings())).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("BTC", 0.0000125, "ETH", -0.0000031));
    assertThat(fake.seen.get(0).json()).isEqualTo(new JsonObject().put("type", "predictedFundings"));
    now.set(4_999);
    await(m.predictedFundings());
    assertThat(fake.seen).hasSize(1);
    now.set(5_000);
    await(m.predictedFundings());
    assertThat(fake.seen).hasSize(2);
  }

  @Test
  void aPredictedFundingsAnswerOfAnotherShapeIsMalformed() throws Exception {
    fake.thenStatus(200, "{\"BTC\": 1}");
    assertThatThrownBy(() -> await(market().predictedFundings())).isInstanceOf(ExchangeException.class).hasMessageContaining("predictedFundings answer is malformed");
  }

  @Test
  void openInterestInQuoteCurrencyIsCoinsTimesTheMarkPriceFromTheAssetContexts() throws Exception {
    fake.thenReplay("hyperliquid/meta_and_asset_ctxs.json");
    HyperliquidMarket m = market();
    // BTC: 29,345.61234 coins open at a mark of 93,462
    assertThat(await(m.openInterestNotional("BTC/USDT"))).isCloseTo(29345.61234 * 93462.0, org.assertj.core.api.Assertions.within(1e-3));
    assertThat(await(m.openInterestNotional("ETH/USDC"))).isPositive(); // the same answer, kept 5 s
    assertThat(fake.seen).hasSize(1);
    assertThatThrownBy(() -> await(m.openInterestNotional("DOGE/USDT"))).hasMessage("Hyperliquid lists no coin 'DOGE'");
    // the offline markets publish none
    assertThat(await(new SimulatedMarket(42, NOW).openInterestNotional("BTC/USDT"))).isNull();
  }

  @Test
  void midsAndTheOrderBookAreReadAtTheirLighterWeight() throws Exception {
    fake.thenReplay("hyperliquid/all_mids.json").thenReplay("hyperliquid/l2_book_btc.json");
    HyperliquidMarket m = market();
    var mids = await(m.allMids());
    assertThat(mids).containsEntry("BTC", 93461.5).containsEntry("SOL", 141.235).hasSize(4);
    var book = await(m.l2Book("BTC/USDT"));
    assertThat(book.coin()).isEqualTo("BTC");
    assertThat(book.time()).isEqualTo(java.time.Instant.ofEpochMilli(1763683200123L));
    assertThat(book.bids()).hasSize(3).first().isEqualTo(new HyperliquidMarket.BookLevel(93461.0, 1.23456, 4));
    assertThat(book.asks()).hasSize(2).first().isEqualTo(new HyperliquidMarket.BookLevel(93462.0, 0.81, 3));
    assertThat(fake.seen.get(0).json()).isEqualTo(new JsonObject().put("type", "allMids"));
    assertThat(fake.seen.get(1).json()).isEqualTo(new JsonObject().put("type", "l2Book").put("coin", "BTC"));
  }

  @Test
  void aPairIsListedWhenAllMidsHasItsCoin() throws Exception {
    fake.thenReplay("hyperliquid/all_mids.json").thenReplay("hyperliquid/all_mids.json");
    HyperliquidMarket market = market();
    assertThat(await(market.lists("BTC/USDT", "1h"))).isTrue();
    assertThat(await(market.lists("Z0000/USDT", "1h"))).isFalse();
    assertThat(fake.seen).hasSize(2).allSatisfy(s -> {
      assertThat(s.path()).isEqualTo("/info");
      assertThat(s.json()).isEqualTo(new io.vertx.core.json.JsonObject().put("type", "allMids"));
    });
    // a pair not quoted in USD has no Hyperliquid coin: no request needed to say no
    assertThat(await(market.lists("BTC/EUR", "1h"))).isFalse();
    assertThat(fake.seen).hasSize(2);
  }

  @Test
  void anExchangeThatCannotAnswerIsAFailureNotANo() {
    fake.thenStatus(500, "{}");
    assertThatThrownBy(() -> await(market(0, Duration.ofSeconds(2)).lists("BTC/USDT", "1h"))).hasMessageContaining("500");
  }
}
