package ai.zmarty.ingest;

import ai.zmarty.bus.Addresses;
import ai.zmarty.ingest.Ingestion.Mode;
import ai.zmarty.ingest.Ingestion.Plan;
import ai.zmarty.ingest.Ingestion.Result;
import ai.zmarty.ingest.Ingestion.Stored;
import ai.zmarty.market.CandleQuality;
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
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code jobs.ingest_indicators}: keeps each pair's {@link PairSeries} in memory, appends
 * the bars that closed since the last job (or rebuilds from history when the store says the kept
 * series is not current: {@link Ingestion}), and in one transaction upserts the new bars'
 * indicators and risk metrics, replaces the pair's liquidation clusters and enqueues {@code
 * compute_signals}. A redelivered job finds its bars stored and writes nothing; a job that died
 * half way left nothing behind, and its node drops the kept series so the next job rebuilds.
 *
 * <p>Jobs of one pair run one after another on a node (the series is not shared between threads);
 * jobs of different pairs run side by side. At most {@value #MAX_KEPT_PAIRS} series are kept, the
 * least recently ingested dropped first.
 *
 * <p>Request: a queue job whose payload is {@code {"symbol":"BTC/USDT","timeframe":"1h"}}. Reply:
 * {@link #summary}. Failures: {@code BAD_REQUEST} for a bad payload, {@code INTERNAL} otherwise.
 */
public final class IngestVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(IngestVerticle.class);
  /**
   * Series kept per node (~0.75 MB each, so ~150 MB at most); a dropped one costs a rebuild
   * (~0.13 s of CPU) on the pair's next job here.
   */
  static final int MAX_KEPT_PAIRS = 200;

  private final Pool pool;
  private final MarketDataProvider market;
  private final PgmqClient queues;
  private final Clock clock;
  /** Touched on the event loop only; the series themselves in one job at a time. */
  private final Map<Pair, PairSeries> kept =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Pair, PairSeries> eldest) {
          return size() > MAX_KEPT_PAIRS;
        }
      };
  private final Map<Pair, Future<JsonObject>> running = new HashMap<>();
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
        JobHandler.of(Addresses.QUEUE_INGEST_INDICATORS, log, Pair::fromJson, this::ingest,
            IngestVerticle::logLine));
    return consumer.completion();
  }

  /** The figures of a reply worth the job's log line. */
  static String logLine(JsonObject r) {
    StringBuilder line = new StringBuilder("bars_written=" + r.getInteger("bars_written") + " mode=" + r.getString("mode"));
    if (r.getString("rebuild_reason") != null) {
      line.append(" rebuild_reason=\"").append(r.getString("rebuild_reason")).append('"');
    }
    io.vertx.core.json.JsonArray quality = r.getJsonArray("quality");
    if (quality != null && !quality.isEmpty()) {
      line.append(" quality=").append(quality.encode());
    }
    return line.toString();
  }

  /** Runs the job after the pair's previous one on this node, whatever became of it; completes with the reply body. */
  Future<JsonObject> ingest(Pair pair) {
    Future<JsonObject> previous = running.get(pair);
    Future<JsonObject> job = previous == null ? run(pair) : previous.transform(done -> run(pair));
    running.put(pair, job);
    return job.andThen(done -> running.remove(pair, job));
  }

  private Future<JsonObject> run(Pair pair) {
    Timeframe tf = pair.timeframe();
    Instant now = clock.instant();
    Instant until = tf.closedUntil(now);
    PairSeries series = kept.remove(pair); // back in only once this job has stored its bars
    return lastStored(pair)
        .compose(stored -> {
          Plan plan = Ingestion.plan(series, stored, until, tf);
          Instant last = stored == null ? null : stored.barTime();
          if (plan.mode() == Mode.REBUILD) {
            return rebuild(pair, plan.from(), until, last, plan.reason());
          }
          Future<CandleQuality.Report> fresh = plan.from().isBefore(until)
              ? market.checkedCandles(pair.symbol(), tf.label(), plan.from(), until)
              : Future.succeededFuture(new CandleQuality.Report(List.of(), List.of()));
          return fresh
              .compose(report -> vertx.executeBlocking(() -> Ingestion.append(series, report.candles()), false)
                  .map(appended -> appended == null ? null : new Loaded(report.candles().size(), appended, report.flags())))
              .compose(loaded -> loaded != null ? Future.succeededFuture(loaded)
                  : rebuild(pair, until.minus(tf.duration().multipliedBy(Ingestion.HISTORY_BARS)), until, last, Ingestion.gap(series.lastOpen())));
        })
        .compose(loaded -> {
          Result result = Ingestion.withQuality(loaded.result(), loaded.reported(), until, now);
          Future<Long> stored = result.isEmpty() ? Future.succeededFuture() : store(pair, result);
          return stored.map(msgId -> {
            if (result.series().lastOpen() != null) {
              kept.put(pair, result.series());
            }
            return summary(pair, loaded.bars(), result, msgId);
          });
        });
  }

  /** What a job loaded: how many bars, what it computed from them, and the flags the source raised. */
  private record Loaded(int bars, Result result, List<CandleQuality.Flag> reported) {}

  private Future<Loaded> rebuild(Pair pair, Instant from, Instant until, Instant lastStored, String reason) {
    return market.checkedCandles(pair.symbol(), pair.timeframe().label(), from, until)
        .compose(history -> vertx.executeBlocking(
            () -> new Loaded(history.candles().size(), Ingestion.rebuild(history.candles(), pair.timeframe(), lastStored, reason), history.flags()), false));
  }

  private Future<Stored> lastStored(Pair pair) {
    return pool.preparedQuery(IngestSql.LAST_STORED).execute(Tuple.of(pair.symbol(), pair.timeframe().label())).map(rows -> {
      for (Row r : rows) {
        return new Stored(r.getOffsetDateTime("bar_time").toInstant(), r.getDouble("close"));
      }
      return null;
    });
  }

  private Future<Long> store(Pair pair, Result result) {
    List<LiquidationMap.Level> clusters = result.series().clusters();
    return pool.withTransaction(
        conn ->
            upsertIndicators(conn, pair, result.bars())
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
      side[i] = l.side().name().toLowerCase(Locale.ROOT);
      price[i] = l.price();
      notional[i] = l.notional();
      intensity[i] = l.intensity();
    }
    return conn.preparedQuery(IngestSql.DELETE_LIQ_CLUSTERS).execute(Tuple.of(pair.symbol()))
        .compose(r -> conn.preparedQuery(IngestSql.INSERT_LIQ_CLUSTERS)
            .execute(Tuple.tuple().addString(pair.symbol()).addArrayOfString(side).addArrayOfDouble(price).addArrayOfDouble(notional).addArrayOfDouble(intensity)))
        .mapEmpty();
  }

  private static Future<Void> upsertIndicators(SqlClient conn, Pair pair, List<IngestedBar> bars) {
    int n = bars.size();
    OffsetDateTime[] times = new OffsetDateTime[n];
    Double[] closes = new Double[n];
    String[] values = new String[n];
    Boolean[] warm = new Boolean[n];
    String[] quality = new String[n];
    for (int i = 0; i < n; i++) {
      IndicatorBar b = bars.get(i).indicators();
      times[i] = utc(b.barTime());
      closes[i] = b.close();
      values[i] = b.values().toJson().encode();
      warm[i] = b.warm();
      quality[i] = Quality.toJson(bars.get(i).quality()).encode();
    }
    Tuple args = Tuple.tuple().addValue(pair.symbol()).addValue(pair.timeframe().label()).addValue(times).addValue(closes).addValue(values).addValue(warm).addValue(quality);
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
   * {@code {"symbol","timeframe","mode","rebuild_reason","bars_loaded","bars_written","warm_bars",
   * "first_bar","last_bar","quality","compute_signals_msg_id"}}: {@code mode} is {@code append} or
   * {@code rebuild} (with why in {@code rebuild_reason}, else null); {@code quality} lists every
   * flag the job raised ({@link Quality}; those on written bars are stored with them); the bar
   * times and the message id are null when nothing was new.
   */
  static JsonObject summary(Pair pair, int loaded, Result result, Long msgId) {
    List<IngestedBar> bars = result.bars();
    return new JsonObject()
        .put("symbol", pair.symbol())
        .put("timeframe", pair.timeframe().label())
        .put("mode", result.mode().wire())
        .put("rebuild_reason", result.reason())
        .put("bars_loaded", loaded)
        .put("bars_written", bars.size())
        .put("warm_bars", result.warmBars())
        .put("first_bar", bars.isEmpty() ? null : bars.get(0).barTime().toString())
        .put("last_bar", bars.isEmpty() ? null : bars.get(bars.size() - 1).barTime().toString())
        .put("quality", Quality.toJson(result.flags()))
        .put("compute_signals_msg_id", msgId);
  }
}
