package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.testing.LogCapture;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.testing.TestNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code jobs.lens_enrich} worker on a real node (worker role, the real pgmq poller) against a
 * real PostgreSQL and a local Hyperliquid info API speaking its wire format. Events are written
 * with SQL as intake writes them. Three reads per message ({@code QUEUE_MAX_READS=3}), 1 s backoff.
 */
class LensEnrichTest {
  private static TestDatabases.Pair dbs;
  private static Vertx vertx;
  private static FakeHyperliquid fake;
  private static Metrics metrics;
  private static LensEvents events;

  @BeforeAll
  static void start() throws Exception {
    dbs = TestDatabases.migrated();
    vertx = Vertx.vertx();
    fake = new FakeHyperliquid().start(vertx).await(5, TimeUnit.SECONDS);
    Path profiles = Files.createTempFile("feature_profiles", ".yaml");
    String defaults = new String(LensEnrichTest.class.getClassLoader().getResourceAsStream("conf/feature_profiles.yaml").readAllBytes());
    Files.writeString(profiles, defaults + "  quality_v1:\n    timeframes: [1h]\n    ta: true\n    orderbook: true\n");
    Map<String, String> env = new HashMap<>();
    env.put("ROLES", "worker");
    env.put("MARKET_PROVIDER", "hyperliquid");
    env.put("HYPERLIQUID_BASE_URL", fake.baseUrl());
    // a request may take 10 s, but the market's share of an attempt is the handler timeout less 2 s: 4 s
    env.put("MARKET_TIMEOUT", "10s");
    env.put("QUEUE_HANDLER_TIMEOUT", "6s");
    env.put("MARKET_RETRIES", "0");
    env.put("QUEUE_NAMES", "lens_enrich");
    env.put("QUEUE_MAX_READS", "3");
    env.put("QUEUE_BACKOFF_BASE", "1s");
    env.put("QUEUE_BACKOFF_MAX", "1s");
    env.put("QUEUE_IDLE_POLL", "50ms");
    env.put("LENS_PROFILES_FILE", profiles.toString());
    ZmartyConfig config = dbs.config(env);
    metrics = Metrics.create(config.metrics());
    TestNode.start(vertx, config, metrics, dbs.chat(), dbs.trading());
    events = new LensEvents(dbs.trading());
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void clean() {
    fake.reset();
  }

  private static UUID btc(double entry, String profile) {
    return events.queue("BTC/USDT", "long", entry, Instant.now().minusSeconds(5), profile);
  }

  @Test
  void eachProfileGathersWhatItAsksForAndQueuesTheEvaluation() {
    MeterRegistry r = metrics.registry();
    double before = r.counter("zmarty.lens.enriched").count();
    UUID trend = btc(93_100, "trend_follow_v1");
    UUID perps = btc(92_900, "crypto_perps_v1");
    UUID full = btc(93_000, "full_v1");
    for (UUID id : List.of(trend, perps, full)) {
      events.awaitStatus(id, "enriched");
      assertThat(events.evaluateMessages(id)).as("one lens_evaluate message").isEqualTo(1);
      assertThat(events.stages(id)).containsExactly("enrich_started", "enriched");
      assertThat(events.event(id).getString("enriched_at")).isNotNull();
      events.awaitArchived(id, 1);
    }
    assertThat(r.counter("zmarty.lens.enriched").count() - before).isEqualTo(3);
    assertThat(r.find("zmarty.lens.enrichment.duration").timer().count()).isGreaterThanOrEqualTo(3);

    JsonObject t = events.enriched(trend);
    assertThat(t.getString("provider")).isEqualTo("hyperliquid");
    assertThat(t.getString("provider_version")).isEqualTo("info-api");
    assertThat(t.getJsonObject("ta").fieldNames()).containsExactlyInAnyOrder("15m", "1h", "4h");
    assertThat(t.getJsonObject("derivatives")).isEmpty();
    assertThat(t.getJsonObject("orderbook")).isEmpty();
    assertThat(t.getJsonObject("levels")).isEmpty();
    assertThat(t.getJsonObject("quality_flags").fieldNames()).containsExactlyInAnyOrder("ticker", "ta.15m", "ta.1h", "ta.4h");
    JsonObject ta1h = t.getJsonObject("ta").getJsonObject("1h");
    assertThat(ta1h.getInteger("bars")).isEqualTo(300);
    assertThat(ta1h.getBoolean("warm")).isTrue();
    assertThat(ta1h.getDouble("rsi_14")).isBetween(0.0, 100.0);
    assertThat(ta1h.getDouble("atr_14")).isPositive();
    for (String k : List.of("ema_9", "ema_21", "ema_50", "macd", "macd_signal", "macd_hist")) {
      assertThat(ta1h.getDouble(k)).as(k).isNotNull();
    }
    assertThat(t.getDouble("signal_age_seconds")).isBetween(4.0, 30.0);
    assertThat(t.getJsonObject("model_payload").containsKey("derivatives")).isFalse();

    JsonObject p = events.enriched(perps);
    JsonObject d = p.getJsonObject("derivatives");
    assertThat(d.getDouble("funding_1h")).isEqualTo(0.0000125);
    assertThat(d.getDouble("predicted_funding_1h")).isEqualTo(0.0000143);
    assertThat(d.getDouble("open_interest")).isEqualTo(29345.61234);
    assertThat(d.getDouble("mark_px")).isEqualTo(93_009.3);
    assertThat(d.getDouble("open_interest_usd")).isCloseTo(29345.61234 * 93_009.3, within(1e-3));
    assertThat(d.getDouble("day_notional_volume")).isEqualTo(2154038211.0482301);
    assertThat(d.getDouble("premium")).isEqualTo(0.00031259);
    assertThat(p.getJsonObject("orderbook")).isEmpty();
    assertThat(p.getJsonObject("quality_flags").getJsonArray("derivatives")).isEmpty();
    assertThat(p.getJsonObject("data_timestamps").fieldNames()).contains("ticker", "derivatives", "candles.15m", "candles.1h", "candles.4h");

    JsonObject f = events.enriched(full);
    JsonObject ticker = f.getJsonObject("market").getJsonObject("ticker");
    assertThat(ticker.getDouble("mid")).isEqualTo(93_000.0);
    assertThat(ticker.getDouble("bid")).isEqualTo(92_995.35);
    assertThat(ticker.getDouble("ask")).isEqualTo(93_004.65);
    assertThat(ticker.getDouble("spread_pct")).isCloseTo(0.01, within(1e-9));
    JsonObject book = f.getJsonObject("orderbook");
    assertThat(book.getJsonArray("bids")).hasSize(10);
    // top 10 levels: bids 1.5 + 0.25 i, asks 1.0 + 0.25 i → 26.25 against 21.25
    assertThat(book.getDouble("imbalance")).isCloseTo(5.0 / 47.5, within(1e-9));
    assertThat(f.getJsonObject("levels").fieldNames()).containsExactlyInAnyOrder("15m", "1h", "4h");
    JsonObject levels1h = f.getJsonObject("levels").getJsonObject("1h");
    assertThat(levels1h.getJsonArray("support").size() + levels1h.getJsonArray("resistance").size()).isPositive();
    f.getJsonObject("quality_flags").forEach(e -> assertThat((JsonArray) e.getValue()).as(e.getKey()).isEmpty());
    assertThat(f.getJsonObject("data_timestamps").fieldNames()).contains("ticker", "orderbook", "derivatives");
    JsonObject payload = f.getJsonObject("model_payload");
    assertThat(payload.fieldNames()).contains("profile", "signal", "ticker", "ta", "derivatives", "orderbook", "levels", "quality");
    assertThat(payload.getJsonObject("signal").getDouble("entry_price")).isEqualTo(93_000.0);
    assertThat(EnrichPayload.bytes(payload)).isLessThan(4096);
    assertThat(f.getInteger("enrichment_duration_ms")).isNotNegative();
  }

  @Test
  void eachEarlyCheckRejectsWithItsReasonAndTheMessageIsArchivedNotRetried() {
    MeterRegistry r = metrics.registry();
    double driftBefore = r.counter("zmarty.lens.enrich.rejected", "reason", "price_drift").count();
    try (LogCapture logs = new LogCapture()) {
      Instant now = Instant.now();
      Map<String, UUID> byReason = Map.of(
          "price_drift", btc(93_000 * 1.021, "full_v1"),
          "stale", events.queue("BTC/USDT", "long", 93_000, now.minus(Duration.ofMinutes(6)), "full_v1"),
          "clock_skew", events.queue("BTC/USDT", "short", 93_000, now.plusSeconds(90), "full_v1"),
          "unknown_profile", btc(93_000, "nope_v9"),
          "unknown_symbol", events.queue("DOGE/USDT", "long", 0.4, now, "full_v1"));
      byReason.forEach((reason, id) -> {
        events.awaitStatus(id, "rejected");
        events.awaitArchived(id, 1);
        assertThat(events.event(id).getString("reject_reason")).isEqualTo(reason);
        assertThat(events.lastTimeline(id, "rejected").getJsonObject("detail").getString("reason")).isEqualTo(reason);
        assertThat(events.enrichedRows(id)).isZero();
        assertThat(events.evaluateMessages(id)).isZero();
        assertThat(events.pending(id)).isZero();
      });
      assertThat(events.lastTimeline(byReason.get("price_drift"), "rejected").getJsonObject("detail").getDouble("drift_pct")).isCloseTo(2.1, within(1e-6));
      assertThat(r.counter("zmarty.lens.enrich.rejected", "reason", "price_drift").count() - driftBefore).isEqualTo(1);
      // the early checks come before the full fetch: no book or candles for a rejected signal
      assertThat(fake.count("l2Book") + fake.count("candleSnapshot")).isZero();
      UUID drift = byReason.get("price_drift");
      assertThat(logs.events()).anySatisfy(e -> {
        assertThat(e.getFormattedMessage()).contains("rejected").contains("event_id=" + drift);
      });
      // the poller's line for the same job carries it too
      ai.zmarty.testing.Eventually.await(Duration.ofSeconds(10), "the poller's job line with the event_id",
          () -> logs.events().stream().anyMatch(e -> e.getFormattedMessage().startsWith("job archived") && e.getFormattedMessage().contains("event_id=" + drift)));
    }
  }

  @Test
  void crossedBooksWideSpreadsAndFlatCandlesAreFlaggedAndGivenToTheModels() {
    fake.crossedBook = true;
    fake.flatCandles = true;
    // SOL: closed bars are kept until the next one closes, so the flat ones must not be BTC's
    UUID crossed = events.queue("SOL/USDT", "long", 150, Instant.now(), "quality_v1");
    events.awaitStatus(crossed, "enriched");
    JsonObject q = events.enriched(crossed).getJsonObject("quality_flags");
    assertThat(q.getJsonArray("ticker").getList()).contains("crossed_book");
    assertThat(q.getJsonArray("orderbook").getList()).contains("crossed_book");
    assertThat(q.getJsonArray("ta.1h").getList()).contains("atr_not_positive");
    assertThat(events.enriched(crossed).getJsonObject("model_payload").getJsonObject("quality").getJsonArray("ta.1h").getList()).contains("atr_not_positive");

    fake.crossedBook = false;
    fake.flatCandles = false;
    fake.halfSpread = 0.004; // a 0.8 % spread, over LENS_MAX_SPREAD_PCT 0.5
    UUID wide = btc(93_000, "quality_v1");
    events.awaitStatus(wide, "enriched");
    JsonObject w = events.enriched(wide).getJsonObject("quality_flags");
    assertThat(w.getJsonArray("ticker").getList()).containsExactly("spread_too_wide");
    assertThat(w.getJsonArray("ta.1h")).isEmpty();

    // ETH: Hyperliquid's own venue publishes no predicted funding for it
    UUID eth = events.queue("ETH/USDT", "short", 3_300, Instant.now(), "crypto_perps_v1");
    events.awaitStatus(eth, "enriched");
    JsonObject e = events.enriched(eth);
    assertThat(e.getJsonObject("quality_flags").getJsonArray("derivatives").getList()).containsExactly("predicted_funding_missing");
    assertThat(e.getJsonObject("derivatives").getValue("predicted_funding_1h")).isNull();
  }

  @Test
  void aProviderErrorIsRetriedWithBackoffAndTheSecondAttemptEnriches() {
    fake.fail("allMids", new FakeHyperliquid.Fault(503, "{\"error\":\"busy\"}"), 1);
    UUID id = btc(93_000, "trend_follow_v1");
    events.awaitStatus(id, "enriched");
    assertThat(events.stages(id)).containsExactly("enrich_started", "enrich_started", "enriched");
    assertThat(events.dlq(id)).isEmpty();
    assertThat(fake.count("allMids")).isEqualTo(2);
  }

  @Test
  void afterTheLastAttemptTheFailureIsADlqEntryAndARetryLaterResolvesIt() {
    double deadBefore = metrics.registry().counter("zmarty.lens.enrich.dead.lettered").count();
    fake.fail("allMids", new FakeHyperliquid.Fault(500, "{\"error\":\"internal\"}"), 3);
    UUID id = btc(93_000, "trend_follow_v1");
    events.awaitStatus(id, "failed");
    ai.zmarty.testing.Eventually.await(Duration.ofSeconds(10), "dead-lettered counted", () -> metrics.registry().counter("zmarty.lens.enrich.dead.lettered").count() - deadBefore == 1);
    events.awaitArchived(id, 1);
    assertThat(events.stages(id)).containsExactly("enrich_started", "enrich_started", "enrich_started", "dead_lettered");
    List<String> dlq = events.dlq(id);
    assertThat(dlq).hasSize(1);
    JsonObject entry = new JsonObject(dlq.get(0));
    assertThat(entry.getString("stage")).isEqualTo("enrich");
    assertThat(entry.getString("error")).contains("500");
    assertThat(entry.getJsonObject("payload")).isEqualTo(new JsonObject().put("event_id", id.toString()));
    assertThat(entry.getValue("resolved_at")).isNull();
    assertThat(events.deadLetterQueue(id)).as("not also in the generic dead-letter queue").isZero();
    assertThat(events.evaluateMessages(id)).isZero();

    // an operator's retry sends the message back; the market answers now
    events.send(id);
    events.awaitStatus(id, "enriched");
    assertThat(new JsonObject(events.dlq(id).get(0)).getValue("resolved_at")).isNotNull();
    assertThat(events.evaluateMessages(id)).isEqualTo(1);
  }

  @Test
  void aMarketThatNeverAnswersRunsOutOfTimeAndTheWorkerNotThePollerDeadLettersIt() {
    fake.fail("l2Book", new FakeHyperliquid.Fault(0, null), 3);
    UUID id = btc(93_000, "trend_follow_v1");
    events.awaitStatus(id, "failed");
    events.awaitArchived(id, 1);
    JsonObject entry = new JsonObject(events.dlq(id).get(0));
    assertThat(entry.getString("error")).containsIgnoringCase("timeout");
    assertThat(events.deadLetterQueue(id)).isZero();
    assertThat(events.lastTimeline(id, "dead_lettered").getJsonObject("detail").getInteger("attempts")).isEqualTo(3);
  }

  @Test
  void aRedeliveredOrDuplicatedMessageChangesNothingTwice() {
    UUID id = btc(93_000, "crypto_perps_v1");
    events.send(id); // two messages for one event, handled side by side
    events.awaitStatus(id, "enriched");
    events.awaitArchived(id, 2);
    List<String> stages = events.stages(id);
    assertThat(stages.stream().filter("enriched"::equals)).hasSize(1);
    JsonObject first = events.enriched(id);

    events.send(id); // a redelivery after the fact
    events.awaitArchived(id, 3);
    assertThat(events.enrichedRows(id)).isEqualTo(1);
    assertThat(events.evaluateMessages(id)).isEqualTo(1);
    assertThat(events.stages(id)).isEqualTo(stages);
    assertThat(events.enriched(id)).isEqualTo(first);
    assertThat(events.status(id)).isEqualTo("enriched");
  }
}
