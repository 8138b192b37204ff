package ai.zmarty.signal;

import ai.zmarty.bus.Addresses;
import ai.zmarty.db.Columns;
import ai.zmarty.ingest.IndicatorValues;
import ai.zmarty.ingest.LiquidationProximity;
import ai.zmarty.ingest.Quality;
import io.vertx.core.json.JsonArray;
import ai.zmarty.market.Pair;
import ai.zmarty.outbox.EventOutbox;
import ai.zmarty.queue.JobHandler;
import ai.zmarty.queue.PgmqClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code jobs.compute_signals}: runs {@link Strategy} over a pair's stored indicator bars
 * that have no signal yet (the newest {@value #MAX_BARS}), inserts the signals in one statement
 * that skips bars already signalled, and writes an {@code events.signal.created} event for each row
 * it actually inserted to the event outbox in the same transaction (published after commit), so a
 * redelivered job neither duplicates rows nor repeats events, and a crash loses none. When it
 * inserted any, it enqueues {@code compute_winrate} for the pair in the same transaction, so win
 * rates follow new signals instead of waiting for the hourly schedule, and runs the new signals
 * through the doubling guardrails of the paper position book ({@link PositionBook}).
 *
 * <p>Request: a queue job whose payload is {@code {"symbol","timeframe"}}. Reply: {@code
 * {"symbol","timeframe","considered","created","long","short","flat"}} (the direction counts are
 * of the created signals). Failures: {@code BAD_REQUEST} for a bad payload, {@code INTERNAL} otherwise.
 */
public final class SignalVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SignalVerticle.class);
  static final int MAX_BARS = 120;

  private final Pool pool;
  private final PgmqClient queues;
  private final PositionBook book;
  private MessageConsumer<Object> consumer;
  private final ai.zmarty.queue.JobDrain drain;

  public SignalVerticle(Pool pool, PgmqClient queues, DoublingGuard guard) {
    this.pool = pool;
    this.drain = new ai.zmarty.queue.JobDrain(Addresses.QUEUE_COMPUTE_SIGNALS, queues);
    this.queues = queues;
    this.book = new PositionBook(guard);
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.JOB_COMPUTE_SIGNALS,
        drain.tracking(JobHandler.of(Addresses.QUEUE_COMPUTE_SIGNALS, log, Pair::fromJson, this::compute, r -> "created=" + r.getInteger("created"))));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return drain.stop(vertx, consumer, ai.zmarty.queue.JobDrain.GRACE);
  }

  private Future<JsonObject> compute(Pair pair) {
    return pool.preparedQuery(SignalSql.BARS_WITHOUT_SIGNAL)
        .execute(Tuple.of(pair.symbol(), pair.timeframe().label(), MAX_BARS))
        .compose(
            bars -> {
              if (bars.size() == 0) {
                return Future.succeededFuture(reply(pair, 0, List.of()));
              }
              return insert(pair, bars).map(created -> reply(pair, bars.size(), created));
            });
  }

  /** A stored bar and the strategy's decision on it. */
  private record Decided(Instant barTime, Decision decision) {}

  private Future<List<Signal>> insert(Pair pair, RowSet<Row> bars) {
    List<Decided> decided = new ArrayList<>(bars.size());
    for (Row bar : bars) {
      decided.add(new Decided(bar.getOffsetDateTime("bar_time").toInstant(), Strategy.decide(inputs(bar))));
    }
    Tuple args = Columns.of(decided).value(pair.symbol()).value(pair.timeframeLabel()).value(Strategy.NAME)
        .timestamptz(Decided::barTime)
        .text(d -> d.decision().direction().wire())
        .float8(d -> d.decision().score())
        .float8(d -> d.decision().entry())
        .float8(d -> d.decision().stop())
        .text(d -> Signal.targetsJson(d.decision().targets()).encode())
        .text(d -> Signal.reasonsJson(d.decision().reasons()).encode())
        .int4(d -> d.decision().horizonBars())
        .tuple();
    // New signals and the win-rate job that will resolve the old enough ones commit together.
    return pool.withTransaction(conn -> conn.preparedQuery(SignalSql.INSERT_NEW).execute(args).compose(rows -> {
      List<Signal> created = new ArrayList<>(rows.size());
      rows.forEach(r -> created.add(Signal.fromRow(r)));
      created.sort(Comparator.comparing(Signal::barTime));
      if (created.isEmpty()) {
        return Future.succeededFuture(created);
      }
      // Each new signal's event commits with it (the event outbox publishes it after commit).
      return EventOutbox.addAll(conn, Addresses.EVENTS_SIGNAL_CREATED, created.stream().map(Signal::toJson).toList())
          .compose(v -> book.decide(conn, pair, created))
          .compose(decisions -> queues.send(conn, Addresses.QUEUE_COMPUTE_WINRATE, pair.toJson(), Duration.ZERO))
          .map(created);
    }));
  }

  /** A row of {@link SignalSql#BARS_WITHOUT_SIGNAL} as the strategy's inputs. */
  static BarInputs inputs(Row bar) {
    LiquidationProximity liquidation =
        new LiquidationProximity(bar.getDouble("liq_below_distance"), bar.getDouble("liq_below_intensity"), bar.getDouble("liq_above_distance"), bar.getDouble("liq_above_intensity"));
    Object quality = bar.getValue("quality");
    return new BarInputs(
        bar.getDouble("close"), IndicatorValues.fromJson((JsonObject) bar.getValue("values")), bar.getBoolean("warm"), bar.getDouble("volatility"), bar.getDouble("volatility_long"), liquidation,
        Quality.fromJson(quality instanceof JsonArray a ? a : null));
  }

  private static JsonObject reply(Pair pair, int considered, List<Signal> created) {
    return new JsonObject()
        .put("symbol", pair.symbol())
        .put("timeframe", pair.timeframe().label())
        .put("considered", considered)
        .put("created", created.size())
        .put("long", created.stream().filter(s -> s.direction() == Direction.LONG).count())
        .put("short", created.stream().filter(s -> s.direction() == Direction.SHORT).count())
        .put("flat", created.stream().filter(s -> s.direction() == Direction.FLAT).count());
  }
}
