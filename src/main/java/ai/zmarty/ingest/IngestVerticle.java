package ai.zmarty.ingest;

import ai.zmarty.bus.Addresses;
import ai.zmarty.market.Candle;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.Pair;
import ai.zmarty.market.Timeframe;
import ai.zmarty.queue.JobHandler;
import ai.zmarty.queue.PgmqClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code jobs.ingest_indicators}: loads a pair's last closed bars, computes indicators
 * and risk metrics for the bars not stored yet ({@link Ingestion}), and in one transaction upserts
 * them and enqueues {@code compute_signals} for the pair. A redelivered job finds its bars stored
 * and writes nothing; a job that died half way left nothing behind.
 *
 * <p>Request: a queue job whose payload is {@code {"symbol":"BTC/USDT","timeframe":"1h"}}. Reply:
 * {@link #summary}. Failures: {@code BAD_REQUEST} for a bad payload, {@code INTERNAL} otherwise.
 */
public final class IngestVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(IngestVerticle.class);

  private final Pool pool;
  private final MarketDataProvider market;
  private final PgmqClient queues;
  private final Clock clock;
  private MessageConsumer<Object> consumer;

  public IngestVerticle(Pool pool, MarketDataProvider market, PgmqClient queues, Clock clock) {
    this.pool = pool;
    this.market = market;
    this.queues = queues;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.JOB_INGEST_INDICATORS,
        JobHandler.of(Addresses.QUEUE_INGEST_INDICATORS, log, Pair::fromJson, this::ingest, r -> "bars_written=" + r.getInteger("bars_written")));
    return consumer.completion();
  }

  /** Loads, computes, stores and enqueues; completes with the reply body. */
  Future<JsonObject> ingest(Pair pair) {
    Timeframe tf = pair.timeframe();
    Instant until = tf.closedUntil(clock.instant());
    Instant from = until.minus(tf.duration().multipliedBy(Ingestion.LOOKBACK_BARS));
    Future<List<Candle>> candles = market.candles(pair.symbol(), tf.label(), from, until);
    Future<Instant> lastStored = pool.preparedQuery(IngestSql.LAST_STORED).execute(Tuple.of(pair.symbol(), tf.label())).map(rows -> {
      OffsetDateTime last = rows.iterator().next().getOffsetDateTime("last");
      return last == null ? null : last.toInstant();
    });
    return Future.all(candles, lastStored)
        .compose(both -> vertx.executeBlocking(() -> Ingestion.compute(candles.result(), tf, lastStored.result()), false))
        .compose(
            result -> {
              Future<Long> stored = result.isEmpty() ? Future.succeededFuture() : store(pair, result, LiquidationMap.estimate(candles.result()));
              return stored.map(msgId -> summary(pair, candles.result().size(), result, msgId));
            });
  }

  private Future<Long> store(Pair pair, Ingestion.Result result, List<LiquidationMap.Level> clusters) {
    return pool.withTransaction(
        conn ->
            upsertIndicators(conn, pair, result.indicators())
                .compose(v -> upsertRisks(conn, pair, result.bars()))
                .compose(v -> replaceClusters(conn, pair, clusters))
                .compose(v -> queues.send(conn, Addresses.QUEUE_COMPUTE_SIGNALS, pair.toJson(), Duration.ZERO)));
  }

  private static Future<Void> replaceClusters(SqlClient conn, Pair pair, List<LiquidationMap.Level> clusters) {
    int n = clusters.size();
    String[] side = new String[n];
    Double[] price = new Double[n];
    Double[] notional = new Double[n];
    Double[] intensity = new Double[n];
    for (int i = 0; i < n; i++) {
      LiquidationMap.Level l = clusters.get(i);
      side[i] = l.side().name().toLowerCase(java.util.Locale.ROOT);
      price[i] = l.price();
      notional[i] = l.notional();
      intensity[i] = l.intensity();
    }
    return conn.preparedQuery(IngestSql.DELETE_LIQ_CLUSTERS).execute(Tuple.of(pair.symbol()))
        .compose(r -> conn.preparedQuery(IngestSql.INSERT_LIQ_CLUSTERS)
            .execute(Tuple.tuple().addString(pair.symbol()).addArrayOfString(side).addArrayOfDouble(price).addArrayOfDouble(notional).addArrayOfDouble(intensity)))
        .mapEmpty();
  }

  private static Future<Void> upsertIndicators(SqlClient conn, Pair pair, List<IndicatorBar> bars) {
    int n = bars.size();
    OffsetDateTime[] times = new OffsetDateTime[n];
    Double[] closes = new Double[n];
    String[] values = new String[n];
    Boolean[] warm = new Boolean[n];
    for (int i = 0; i < n; i++) {
      IndicatorBar b = bars.get(i);
      times[i] = utc(b.barTime());
      closes[i] = b.close();
      values[i] = b.values().toJson().encode();
      warm[i] = b.warm();
    }
    Tuple args = Tuple.tuple().addValue(pair.symbol()).addValue(pair.timeframe().label()).addValue(times).addValue(closes).addValue(values).addValue(warm);
    return conn.preparedQuery(IngestSql.UPSERT_INDICATORS).execute(args).mapEmpty();
  }

  private static Future<Void> upsertRisks(SqlClient conn, Pair pair, List<IngestedBar> bars) {
    int n = bars.size();
    OffsetDateTime[] times = new OffsetDateTime[n];
    Double[] volatility = new Double[n];
    Double[] atrPct = new Double[n];
    Double[] drawdown = new Double[n];
    Double[] score = new Double[n];
    Double[] volatilityLong = new Double[n];
    Double[] belowDistance = new Double[n];
    Double[] belowIntensity = new Double[n];
    Double[] aboveDistance = new Double[n];
    Double[] aboveIntensity = new Double[n];
    for (int i = 0; i < n; i++) {
      RiskMetric r = bars.get(i).risk();
      LiquidationProximity l = bars.get(i).liquidation();
      times[i] = utc(r.barTime());
      volatility[i] = r.volatility();
      atrPct[i] = r.atrPct();
      drawdown[i] = r.drawdown();
      score[i] = r.riskScore();
      volatilityLong[i] = r.volatilityLong();
      belowDistance[i] = l.belowDistance();
      belowIntensity[i] = l.belowIntensity();
      aboveDistance[i] = l.aboveDistance();
      aboveIntensity[i] = l.aboveIntensity();
    }
    Tuple args =
        Tuple.tuple().addValue(pair.symbol()).addValue(pair.timeframe().label()).addValue(times).addValue(volatility).addValue(atrPct).addValue(drawdown).addValue(score)
            .addValue(volatilityLong).addValue(belowDistance).addValue(belowIntensity).addValue(aboveDistance).addValue(aboveIntensity);
    return conn.preparedQuery(IngestSql.UPSERT_RISK).execute(args).mapEmpty();
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }

  /**
   * {@code {"symbol","timeframe","bars_loaded","bars_written","warm_bars","first_bar","last_bar",
   * "compute_signals_msg_id"}}; the bar times are null and the message id is null when nothing
   * was new.
   */
  static JsonObject summary(Pair pair, int loaded, Ingestion.Result result, Long msgId) {
    List<IndicatorBar> bars = result.indicators();
    return new JsonObject()
        .put("symbol", pair.symbol())
        .put("timeframe", pair.timeframe().label())
        .put("bars_loaded", loaded)
        .put("bars_written", bars.size())
        .put("warm_bars", result.warmBars())
        .put("first_bar", bars.isEmpty() ? null : bars.get(0).barTime().toString())
        .put("last_bar", bars.isEmpty() ? null : bars.get(bars.size() - 1).barTime().toString())
        .put("compute_signals_msg_id", msgId);
  }
}
