package ai.zmarty.winrate;

import ai.zmarty.bus.Addresses;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.Pair;
import ai.zmarty.market.Timeframe;
import ai.zmarty.queue.JobHandler;
import ai.zmarty.winrate.Resolution.Batch;
import ai.zmarty.winrate.Resolution.OpenSignal;
import ai.zmarty.winrate.WinRateStore.Settled;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code jobs.compute_winrate}: resolves every unresolved long or short signal whose
 * horizon has passed against the candles after it ({@link Resolution}), then recomputes the
 * {@code win_rate} rows of the pairs it looked at in one set-based statement, all in one
 * transaction. {@link WinRateStore} reads and writes; this verticle fetches the candles and
 * resolves. Resolving is idempotent: only unresolved signals are updated, and the roll-up is
 * recomputed from scratch.
 *
 * <p>Request: a queue job whose payload is {@code {}} (every pair) or {@code {"symbol",
 * "timeframe"}}. Reply: {@code {"resolved","wins","losses","pending","win_rates":[{"symbol",
 * "timeframe","window","wins","losses","sample_size","win_rate"}]}} where {@code pending} counts
 * the open signals left for a later run. Failures: {@code BAD_REQUEST} for a bad payload, {@code
 * INTERNAL} otherwise.
 */
public final class WinRateVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(WinRateVerticle.class);
  /** Open signals looked at per job; the rest wait for the next one. */
  static final int MAX_SIGNALS = 5_000;
  /** Candles fetched per pair per job. */
  static final int MAX_BARS = 4_000;

  private final WinRateStore store;
  private final MarketDataProvider market;
  private final Clock clock;
  private MessageConsumer<Object> consumer;
  private final ai.zmarty.queue.JobDrain drain;

  public WinRateVerticle(Pool pool, MarketDataProvider market, Clock clock) {
    this.store = new WinRateStore(pool, clock);
    this.drain = new ai.zmarty.queue.JobDrain(Addresses.QUEUE_COMPUTE_WINRATE, new ai.zmarty.queue.PgmqClient(pool));
    this.market = market;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.JOB_COMPUTE_WINRATE,
        drain.tracking(JobHandler.of(Addresses.QUEUE_COMPUTE_WINRATE, log, WinRateVerticle::onlyPair, this::run, r -> "resolved=" + r.getInteger("resolved") + " pending=" + r.getInteger("pending"))));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return drain.stop(vertx, consumer, ai.zmarty.queue.JobDrain.GRACE);
  }

  /** {@code {}} means every pair; otherwise the one pair named. */
  private static Optional<Pair> onlyPair(JsonObject payload) {
    return payload.getValue("symbol") == null && payload.getValue("timeframe") == null ? Optional.empty() : Optional.of(Pair.fromJson(payload));
  }

  private Future<JsonObject> run(Optional<Pair> only) {
    return store.openSignals(only, MAX_SIGNALS).compose(open -> {
      Set<Pair> affected = new LinkedHashSet<>(open.byPair().keySet());
      only.ifPresent(affected::add);
      List<Future<List<Settled>>> perPair = new ArrayList<>();
      open.byPair().forEach((pair, signals) -> perPair.add(resolvePair(pair, signals)));
      return Future.all(perPair).compose(all -> {
        List<Settled> settled = new ArrayList<>();
        perPair.forEach(f -> settled.addAll(f.result()));
        if (affected.isEmpty()) {
          return Future.succeededFuture(reply(settled, open.count(), new JsonArray()));
        }
        return store.store(settled, affected).map(rates -> {
          JsonArray pairs = new JsonArray();
          affected.forEach(p -> pairs.add(p.toJson()));
          vertx.eventBus().publish(Addresses.EVENTS_WINRATE_UPDATED, new JsonObject().put("pairs", pairs));
          return reply(settled, open.count(), rates);
        });
      });
    });
  }

  /** Fetches the bars after a pair's due signals and resolves them; signals the bars do not settle stay open. */
  private Future<List<Settled>> resolvePair(Pair pair, List<OpenSignal> signals) {
    Timeframe tf = pair.timeframe();
    Optional<Batch> batch = Resolution.plan(signals, tf.duration(), clock.instant(), MAX_BARS);
    if (batch.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Batch b = batch.get();
    return market.candles(pair.symbol(), tf.label(), b.from(), b.to()).map(candles -> {
      List<Settled> settled = new ArrayList<>();
      for (OpenSignal s : b.due()) {
        Resolution.resolve(s, candles, tf.duration()).ifPresent(r -> settled.add(new Settled(s.id(), r)));
      }
      return settled;
    });
  }

  private static JsonObject reply(List<Settled> settled, int open, JsonArray rates) {
    long wins = settled.stream().filter(s -> s.resolved().outcome() == Resolution.Outcome.WIN).count();
    return new JsonObject()
        .put("resolved", settled.size())
        .put("wins", wins)
        .put("losses", settled.size() - wins)
        .put("pending", open - settled.size())
        .put("win_rates", rates);
  }
}
