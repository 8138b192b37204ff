package ai.zmarty.ingest;

import ai.zmarty.bus.Addresses;
import ai.zmarty.ingest.Ingestion.Mode;
import ai.zmarty.ingest.Ingestion.Plan;
import ai.zmarty.ingest.Ingestion.Result;
import ai.zmarty.market.CandleQuality;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.Pair;
import ai.zmarty.market.Timeframe;
import ai.zmarty.queue.JobHandler;
import ai.zmarty.queue.PgmqClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * jobs of different pairs run side by side, at most {@code INGEST_CONCURRENCY} at once (the others
 * wait their turn in arrival order), which bounds the candles and rebuilt series held at a time. At
 * most {@code INGEST_KEPT_PAIRS} series are kept (default {@value #MAX_KEPT_PAIRS}), the least
 * recently ingested dropped first. A successful job ends the pair's run of dead letters ({@link
 * WatcherPauses}).
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

  private final MarketDataProvider market;
  private final IngestStore store;
  private final Clock clock;
  /** Touched on the event loop only; the series themselves in one job at a time. */
  private final Map<Pair, PairSeries> kept;
  private final Map<Pair, Future<JsonObject>> running = new HashMap<>();
  private final int concurrency;
  private final WatcherPauses pauses;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int active;
  private MessageConsumer<Object> consumer;
  private final ai.zmarty.queue.JobDrain drain;

  public IngestVerticle(Pool pool, MarketDataProvider market, PgmqClient queues, Clock clock) {
    this(pool, market, queues, clock, 4, MAX_KEPT_PAIRS, null);
  }

  /**
   * @param concurrency jobs computing at once on this node
   * @param keptPairs series kept between jobs
   * @param pauses told of each successful job (null: nobody)
   */
  public IngestVerticle(Pool pool, MarketDataProvider market, PgmqClient queues, Clock clock, int concurrency, int keptPairs, WatcherPauses pauses) {
    this.market = market;
    this.store = new IngestStore(pool, queues);
    this.drain = new ai.zmarty.queue.JobDrain(Addresses.QUEUE_INGEST_INDICATORS, queues);
    this.clock = clock;
    this.concurrency = concurrency;
    this.pauses = pauses;
    this.kept = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Pair, PairSeries> eldest) {
        return size() > keptPairs;
      }
    };
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.JOB_INGEST_INDICATORS,
        drain.tracking(JobHandler.of(Addresses.QUEUE_INGEST_INDICATORS, log, Pair::fromJson, this::ingest,
            IngestVerticle::logLine)));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return drain.stop(vertx, consumer, ai.zmarty.queue.JobDrain.GRACE);
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
    Future<JsonObject> job = previous == null ? limited(pair) : previous.transform(done -> limited(pair));
    running.put(pair, job);
    return job.andThen(done -> running.remove(pair, job));
  }

  /** Runs the job when fewer than {@code concurrency} are computing, else after the ones waiting before it. */
  private Future<JsonObject> limited(Pair pair) {
    Promise<JsonObject> done = Promise.promise();
    Runnable go = () -> {
      active++;
      Future<JsonObject> job;
      try {
        job = run(pair).compose(reply -> pauses == null ? Future.succeededFuture(reply) : pauses.succeeded(pair.symbol(), pair.timeframe().label())
            .map(reply)
            .otherwise(err -> {
              log.warn("could not end the dead-letter run of {}: {}", pair, err.toString());
              return reply;
            }));
      } catch (RuntimeException e) {
        job = Future.failedFuture(e);
      }
      job.onComplete(ar -> {
        active--;
        Runnable next = waiting.poll();
        if (next != null) {
          next.run();
        }
        done.handle(ar);
      });
    };
    if (active < concurrency) {
      go.run();
    } else {
      waiting.add(go);
    }
    return done.future();
  }

  private Future<JsonObject> run(Pair pair) {
    Timeframe tf = pair.timeframe();
    Instant now = clock.instant();
    Instant until = tf.closedUntil(now);
    PairSeries series = kept.remove(pair); // back in only once this job has stored its bars
    return store.lastStored(pair)
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
          if (result.isEmpty()) {
            keep(pair, result.series()); // nothing new: the series is as current as the store
            return Future.succeededFuture(summary(pair, loaded.bars(), result, null, null));
          }
          return openInterest(pair).compose(oi -> store.write(pair, result, oi).map(msgId -> {
            keep(pair, result.series());
            return summary(pair, loaded.bars(), result, oi, msgId);
          }));
        });
  }

  private void keep(Pair pair, PairSeries series) {
    if (series.lastOpen() != null) {
      kept.put(pair, series);
    }
  }

  /** The pair's open interest where the market publishes it; a failure falls back to the volume proxy rather than fail the job. */
  private Future<Double> openInterest(Pair pair) {
    return market.openInterestNotional(pair.symbol()).otherwise(err -> {
      log.warn("open interest of {} unavailable, liquidation clusters use traded notional: {}", pair.symbol(), err.toString());
      return null;
    });
  }

  /** What a job loaded: how many bars, what it computed from them, and the flags the source raised. */
  private record Loaded(int bars, Result result, List<CandleQuality.Flag> reported) {}

  private Future<Loaded> rebuild(Pair pair, Instant from, Instant until, Instant lastStored, String reason) {
    return market.checkedCandles(pair.symbol(), pair.timeframe().label(), from, until)
        .compose(history -> vertx.executeBlocking(
            () -> new Loaded(history.candles().size(), Ingestion.rebuild(history.candles(), pair.timeframe(), lastStored, reason), history.flags()), false));
  }

  /**
   * {@code {"symbol","timeframe","mode","rebuild_reason","bars_loaded","bars_written","warm_bars",
   * "first_bar","last_bar","quality","open_interest","compute_signals_msg_id"}}: {@code mode} is
   * {@code append} or {@code rebuild} (with why in {@code rebuild_reason}, else null); {@code
   * quality} lists every flag the job raised ({@link Quality}; those on written bars are stored
   * with them); {@code open_interest} is the notional the liquidation clusters were scaled to
   * (null: the traded-notional proxy, or nothing written); the bar times and the message id are
   * null when nothing was new.
   */
  static JsonObject summary(Pair pair, int loaded, Result result, Double openInterest, Long msgId) {
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
        .put("open_interest", openInterest)
        .put("compute_signals_msg_id", msgId);
  }
}
