package ai.zmarty.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.db.Pools;
import ai.zmarty.ingest.IngestVerticle;
import ai.zmarty.market.SimulatedMarket;
import ai.zmarty.outbox.EventPublisherVerticle;
import ai.zmarty.queue.Job;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.signal.DoublingGuard;
import ai.zmarty.signal.SignalVerticle;
import ai.zmarty.testing.Eventually;
import ai.zmarty.testing.Sql;
import ai.zmarty.testing.TestDatabases;
import ai.zmarty.winrate.WinRateVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker pipeline over the real event bus and a real database B: ingest → signals → win
 * rates, each job sent as the pgmq poller would send it. The market's clock is fixed, so every
 * run sees the same closed bars. Each test uses its own symbol in the class's database.
 */
@ExtendWith(VertxExtension.class)
class WorkerPipelineTest {
  static final Instant NOW = Instant.parse("2026-02-10T12:34:00Z");
  private static TestDatabases.Pair dbs;
  private Pool pool;

  @BeforeAll
  static void database() {
    dbs = TestDatabases.migrated();
  }

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    pool = Pools.create(vertx, dbs.trading(), 4, "test");
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    SimulatedMarket market = new SimulatedMarket(42, clock);
    vertx.deployVerticle(new IngestVerticle(pool, market, new PgmqClient(pool), clock)).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new SignalVerticle(pool, new PgmqClient(pool), DoublingGuard.of(dbs.config().guardrails()))).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new WinRateVerticle(pool, market, clock)).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new EventPublisherVerticle(pool, Pools.connectOptions(dbs.trading(), "test-listen"), Duration.ofMillis(200))).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
  }

  static JsonObject job(String queue, JsonObject payload) {
    return new Job(queue, 1, 1, NOW.toString(), payload).toJson();
  }

  static JsonObject pair(String symbol) {
    return new JsonObject().put("symbol", symbol).put("timeframe", "1h");
  }

  private static JsonObject request(Vertx vertx, String queue, JsonObject payload) throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.job(queue), job(queue, payload)).await(20, TimeUnit.SECONDS).body();
  }

  private long count(String sql) {
    return Sql.count(dbs.trading(), sql);
  }

  @Test
  void ingestStoresIndicatorsAndRiskOnceAndEnqueuesSignals(Vertx vertx) throws Exception {
    JsonObject reply = request(vertx, Addresses.QUEUE_INGEST_INDICATORS, pair("btc/usdt"));

    assertThat(reply.getString("symbol")).isEqualTo("BTC/USDT");
    assertThat(reply.getString("mode")).isEqualTo("rebuild");
    assertThat(reply.getString("rebuild_reason")).startsWith("cold");
    assertThat(reply.getInteger("bars_loaded")).isEqualTo(1_000);
    assertThat(reply.getInteger("bars_written")).isEqualTo(120);
    assertThat(reply.getInteger("warm_bars")).isEqualTo(120); // each had ≥ 880 bars before it
    assertThat(reply.getString("last_bar")).isEqualTo("2026-02-10T11:00:00Z"); // the 12:00 bar is still open at 12:34
    assertThat(count("select count(*) from indicators where symbol = 'BTC/USDT' and timeframe = '1h'")).isEqualTo(120);
    assertThat(count("select count(*) from indicators where symbol = 'BTC/USDT' and warm")).isEqualTo(120);
    assertThat(count("select count(*) from indicators where symbol = 'BTC/USDT' and (values->>'ema_50') is not null and (values->>'atr_14') is not null")).isEqualTo(120);
    assertThat(count("select count(*) from risk_metric where symbol = 'BTC/USDT' and risk_score between 0 and 1 and volatility > 0")).isEqualTo(120);
    // the strategy's volatility norm and liquidation proximity, per bar
    assertThat(count("select count(*) from risk_metric where symbol = 'BTC/USDT' and volatility_long > 0")).isEqualTo(120);
    assertThat(count("select count(*) from risk_metric where symbol = 'BTC/USDT' and liq_below_distance > 0 and liq_below_intensity between 0.25 and 1 and liq_above_distance > 0")).isPositive();
    String enqueued = "select count(*) from pgmq.q_compute_signals where message = '{\"symbol\":\"BTC/USDT\",\"timeframe\":\"1h\"}'::jsonb";
    assertThat(count(enqueued)).isEqualTo(1);
    assertThat(reply.getLong("compute_signals_msg_id")).isNotNull();

    String fingerprint = "select md5(string_agg(bar_time::text || close::text || values::text || warm::text, ',' order by bar_time)) from indicators where symbol = 'BTC/USDT'";
    String before = Sql.one(dbs.trading(), fingerprint);
    JsonObject again = request(vertx, Addresses.QUEUE_INGEST_INDICATORS, pair("BTC/USDT"));

    assertThat(again.getString("mode")).as("the kept series ends with the stored newest bar").isEqualTo("append");
    assertThat(again.getInteger("bars_written")).isZero();
    assertThat(again.getValue("compute_signals_msg_id")).isNull();
    assertThat(count("select count(*) from indicators where symbol = 'BTC/USDT'")).isEqualTo(120);
    assertThat(count("select count(*) from risk_metric where symbol = 'BTC/USDT'")).isEqualTo(120);
    assertThat(Sql.one(dbs.trading(), fingerprint)).isEqualTo(before);
    assertThat(count("select count(*) from liq_clusters where symbol = 'BTC/USDT'")).as("liquidation clusters estimated").isPositive();
    assertThat(count("select count(*) from liq_clusters where symbol = 'BTC/USDT' and side = 'long' and price_bin >= (select close from indicators where symbol = 'BTC/USDT' order by bar_time desc limit 1)"))
        .as("no long liquidation level above the last close: price traded through them").isZero();
    assertThat(count(enqueued)).isEqualTo(1);
  }

  @Test
  void signalsAreCreatedOnceAndEachIsAnnounced(Vertx vertx) throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    AtomicInteger barriers = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_SIGNAL_CREATED, m -> {
      if ("ETH/USDT".equals(m.body().getString("symbol"))) {
        events.add(m.body());
      } else if (m.body().getBoolean("test_barrier", false)) {
        barriers.incrementAndGet();
      }
    }).completion().await(5, TimeUnit.SECONDS);
    request(vertx, Addresses.QUEUE_INGEST_INDICATORS, pair("ETH/USDT"));

    JsonObject reply = request(vertx, Addresses.QUEUE_COMPUTE_SIGNALS, pair("ETH/USDT"));

    assertThat(reply.getInteger("considered")).isEqualTo(120);
    assertThat(reply.getInteger("created")).isEqualTo(120);
    assertThat(reply.getInteger("long") + reply.getInteger("short") + reply.getInteger("flat")).isEqualTo(120);
    assertThat(reply.getInteger("long") + reply.getInteger("short")).isPositive();
    assertThat(count("select count(*) from signals where symbol = 'ETH/USDT'")).isEqualTo(120);
    String winRateJobs = "select count(*) from pgmq.q_compute_winrate where message = '{\"symbol\":\"ETH/USDT\",\"timeframe\":\"1h\"}'::jsonb";
    assertThat(count(winRateJobs)).as("new signals enqueue their win-rate job").isEqualTo(1);
    Eventually.await(Duration.ofSeconds(5), "120 events", () -> events.size() == 120);
    List<String> ids = Sql.column(dbs.trading(), "select id from signals where symbol = 'ETH/USDT' order by bar_time");
    assertThat(events.stream().map(e -> Long.toString(e.getLong("id"))).toList()).isEqualTo(ids);
    // entry is the close of the signal's own bar: the strategy saw nothing later
    assertThat(count("select count(*) from signals s join indicators i using (symbol, timeframe, bar_time) where s.symbol = 'ETH/USDT' and s.entry = i.close")).isEqualTo(120);
    JsonObject aLong = events.stream().filter(e -> e.getString("direction").equals("long")).findFirst().orElseThrow();
    assertThat(aLong.getDouble("stop")).isLessThan(aLong.getDouble("entry"));
    assertThat(aLong.getJsonArray("targets")).hasSize(3);
    assertThat(aLong.getJsonArray("reasons").getJsonObject(0).fieldNames()).contains("input", "push", "weight");
    assertThat(aLong.getJsonArray("reasons").stream().map(r -> ((JsonObject) r).getString("input")).toList()).contains("ema_stack", "macd", "liquidation", "volatility");
    assertThat(count("select count(*) from signals where symbol = 'ETH/USDT' and reasons @> '[{\"input\": \"volatility\"}]' and reasons @> '[{\"input\": \"liquidation\"}]'")).isEqualTo(120);
    assertThat(aLong.getInteger("horizon_bars")).isEqualTo(12);

    // at-least-once delivery: the same job again, and ingest again, add nothing
    request(vertx, Addresses.QUEUE_INGEST_INDICATORS, pair("ETH/USDT"));
    JsonObject again = request(vertx, Addresses.QUEUE_COMPUTE_SIGNALS, pair("ETH/USDT"));
    assertThat(again.getInteger("created")).isZero();
    // the rerun wrote no event: once the outbox has published everything, a marker published after
    // that reaches the consumer after any event of the rerun would have
    Eventually.await(Duration.ofSeconds(10), "the event outbox drained", () -> Sql.count(dbs.trading(), "select count(*) from event_outbox where published_at is null") == 0);
    assertThat(Sql.count(dbs.trading(), "select count(*) from event_outbox where body ->> 'symbol' = 'ETH/USDT'")).as("one event per signal, none for the rerun").isEqualTo(120);
    vertx.eventBus().publish(Addresses.EVENTS_SIGNAL_CREATED, new JsonObject().put("test_barrier", true));
    Eventually.await(Duration.ofSeconds(5), "the marker", () -> barriers.get() == 1);
    assertThat(events).hasSize(120);
    assertThat(count("select count(*) from signals where symbol = 'ETH/USDT'")).isEqualTo(120);
    assertThat(count("select count(*) from indicators where symbol = 'ETH/USDT'")).isEqualTo(120);
    assertThat(count(winRateJobs)).as("a rerun that adds no signal enqueues no win-rate job").isEqualTo(1);
  }

  @Test
  void winRatesCountTheResolvedLongAndShortSignals(Vertx vertx) throws Exception {
    request(vertx, Addresses.QUEUE_INGEST_INDICATORS, pair("SOL/USDT"));
    request(vertx, Addresses.QUEUE_COMPUTE_SIGNALS, pair("SOL/USDT"));

    JsonObject reply = request(vertx, Addresses.QUEUE_COMPUTE_WINRATE, new JsonObject());

    String resolved = "select count(*) from signals where symbol = 'SOL/USDT' and direction <> 'flat' and outcome is not null";
    long samples = count(resolved);
    assertThat(samples).isPositive();
    assertThat(reply.getInteger("resolved")).isGreaterThanOrEqualTo((int) samples);
    JsonObject row = rate(reply.getJsonArray("win_rates"), "SOL/USDT");
    assertThat(row.getInteger("sample_size")).isEqualTo((int) samples);
    assertThat(row.getInteger("wins") + row.getInteger("losses")).isEqualTo((int) samples);
    assertThat(row.getDouble("win_rate")).isCloseTo((double) row.getInteger("wins") / samples, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(count("select sample_size from win_rate where symbol = 'SOL/USDT' and timeframe = '1h' and window_name = 'all'")).isEqualTo(samples);
    assertThat(count("select wins from win_rate where symbol = 'SOL/USDT' and window_name = 'all'")).isEqualTo(count("select count(*) from signals where symbol = 'SOL/USDT' and outcome = 'win'"));
    // every long or short whose 12 bars after it have closed is resolved; the newer ones are not, and flats never are
    Instant due = NOW.minus(Duration.ofHours(13));
    assertThat(count("select count(*) from signals where symbol = 'SOL/USDT' and direction <> 'flat' and outcome is null and bar_time <= '" + due + "'")).isZero();
    assertThat(count("select count(*) from signals where symbol = 'SOL/USDT' and outcome is not null and bar_time > '" + due + "'")).isZero();
    assertThat(count("select count(*) from signals where symbol = 'SOL/USDT' and direction = 'flat' and outcome is not null")).isZero();
    assertThat(count("select count(*) from signals where symbol = 'SOL/USDT' and outcome is not null and (resolved_at is null or exit_reason is null or exit_price is null)")).isZero();

    String snapshot = "select wins || '/' || losses || '/' || sample_size from win_rate where symbol = 'SOL/USDT' and window_name = 'all'";
    String before = Sql.one(dbs.trading(), snapshot);
    JsonObject again = request(vertx, Addresses.QUEUE_COMPUTE_WINRATE, pair("SOL/USDT"));
    assertThat(again.getInteger("resolved")).isZero();
    assertThat(rate(again.getJsonArray("win_rates"), "SOL/USDT").getInteger("sample_size")).isEqualTo((int) samples);
    assertThat(Sql.one(dbs.trading(), snapshot)).isEqualTo(before);
    assertThat(count("select count(*) from win_rate where symbol = 'SOL/USDT'")).as("one row per window: all, 30d, 7d").isEqualTo(3);
  }

  @Test
  void aPairWithoutResolvedSignalsHasNoRateYet(Vertx vertx) throws Exception {
    Sql.exec(dbs.trading(), "insert into signals (symbol, timeframe, bar_time, direction, score, entry, stop, targets) values ('NEW/USDT', '1h', '" + NOW.minus(Duration.ofHours(2)) + "', 'long', 0.5, 10, 9, '[11, 12, 13]')");
    JsonObject reply = request(vertx, Addresses.QUEUE_COMPUTE_WINRATE, pair("NEW/USDT"));
    JsonObject row = rate(reply.getJsonArray("win_rates"), "NEW/USDT");
    assertThat(row.getInteger("sample_size")).isZero();
    assertThat(row.getValue("win_rate")).isNull();
    assertThat(reply.getInteger("pending")).isEqualTo(1);
    assertThat(Sql.one(dbs.trading(), "select coalesce(win_rate::text, 'null') from win_rate where symbol = 'NEW/USDT' and window_name = 'all'")).isEqualTo("null");
  }

  @Test
  void aWinRateJobAnnouncesThePairsItRecomputedAfterItsCommit(Vertx vertx) throws Exception {
    Sql.exec(dbs.trading(), "insert into signals (symbol, timeframe, bar_time, direction, score, entry, stop, targets) values ('ANN/USDT', '1h', '" + NOW.minus(Duration.ofHours(2)) + "', 'long', 0.5, 10, 9, '[11, 12, 13]')");
    List<JsonObject> announced = new CopyOnWriteArrayList<>();
    List<String> committedWhenAnnounced = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_WINRATE_UPDATED, m -> {
      committedWhenAnnounced.add(Sql.one(dbs.trading(), "select count(*)::text from win_rate where symbol = 'ANN/USDT'"));
      announced.add(m.body());
    }).completion().await(5, TimeUnit.SECONDS);

    request(vertx, Addresses.QUEUE_COMPUTE_WINRATE, pair("ANN/USDT"));

    Eventually.await(Duration.ofSeconds(5), "the win-rate event", () -> !announced.isEmpty());
    assertThat(announced.getFirst().getJsonArray("pairs")).contains(new JsonObject().put("symbol", "ANN/USDT").put("timeframe", "1h"));
    assertThat(committedWhenAnnounced.getFirst()).as("the event follows the commit: readers see the new rows").isEqualTo("3");
  }

  @Test
  void badPayloadsAreRefusedAsBadRequests(Vertx vertx) {
    assertBadRequest(vertx, Addresses.JOB_INGEST_INDICATORS, job(Addresses.QUEUE_INGEST_INDICATORS, new JsonObject().put("symbol", "BTC/USDT").put("timeframe", "7h")), "unknown timeframe");
    assertBadRequest(vertx, Addresses.JOB_INGEST_INDICATORS, job(Addresses.QUEUE_INGEST_INDICATORS, new JsonObject().put("timeframe", "1h")), "symbol is missing");
    assertBadRequest(vertx, Addresses.JOB_COMPUTE_SIGNALS, new JsonObject().put("symbol", "BTC/USDT"), "queue job");
    assertBadRequest(vertx, Addresses.JOB_COMPUTE_WINRATE, job(Addresses.QUEUE_COMPUTE_WINRATE, new JsonObject().put("symbol", "BTC/USDT")), "timeframe is missing");
    assertBadRequest(vertx, Addresses.JOB_COMPUTE_SIGNALS, job(Addresses.QUEUE_COMPUTE_SIGNALS, new JsonObject().put("symbol", "DROP TABLE;").put("timeframe", "1h")), "not a symbol");
  }

  private static void assertBadRequest(Vertx vertx, String address, JsonObject body, String fragment) {
    assertThatThrownBy(() -> vertx.eventBus().request(address, body).await(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(ErrorCode.BAD_REQUEST.failureCode()))
        .hasMessageContaining(fragment);
  }

  private static JsonObject rate(JsonArray rates, String symbol) {
    return rates.stream().map(JsonObject.class::cast).filter(r -> r.getString("symbol").equals(symbol)).findFirst().orElseThrow(() -> new AssertionError("no win rate for " + symbol + " in " + rates));
  }
}
