package ai.zmarty.winrate;

import ai.zmarty.bus.Addresses;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.Pair;
import ai.zmarty.market.Timeframe;
import ai.zmarty.queue.JobHandler;
import ai.zmarty.winrate.Resolution.Batch;
import ai.zmarty.winrate.Resolution.OpenSignal;
import ai.zmarty.winrate.Resolution.Resolved;
import ai.zmarty.winrate.Resolution.Side;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code jobs.compute_winrate}: resolves every unresolved long or short signal whose
 * horizon has passed against the candles after it ({@link Resolution}), then recomputes the
 * {@code win_rate} rows of the pairs it looked at in one set-based statement, all in one
 * transaction. Resolving is idempotent: only unresolved signals are updated, and the roll-up is
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

  private final Pool pool;
  private final MarketDataProvider market;
  private final Clock clock;
  private MessageConsumer<Object> consumer;

  public WinRateVerticle(Pool pool, MarketDataProvider market, Clock clock) {
    this.pool = pool;
    this.market = market;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.JOB_COMPUTE_WINRATE,
        JobHandler.of(Addresses.QUEUE_COMPUTE_WINRATE, log, WinRateVerticle::onlyPair, this::run, r -> "resolved=" + r.getInteger("resolved") + " pending=" + r.getInteger("pending")));
    return consumer.completion();
  }

  private record Outcomes(List<Long> ids, List<Resolved> resolved) {}

  /** {@code {}} means every pair; otherwise the one pair named. */
  private static Optional<Pair> onlyPair(JsonObject payload) {
    return payload.getValue("symbol") == null && payload.getValue("timeframe") == null ? Optional.empty() : Optional.of(Pair.fromJson(payload));
  }

  private Future<JsonObject> run(Optional<Pair> only) {
    Tuple filter = Tuple.of(only.map(Pair::symbol).orElse(null), only.map(p -> p.timeframe().label()).orElse(null), MAX_SIGNALS);
    return pool.preparedQuery(WinRateSql.OPEN_SIGNALS).execute(filter).compose(rows -> {
      Map<Pair, List<Row>> byPair = new LinkedHashMap<>();
      for (Row r : rows) {
        Pair pair;
        try {
          pair = Pair.of(r.getString("symbol"), r.getString("timeframe"));
        } catch (IllegalArgumentException e) {
          log.warn("skipping signal {} of {} {}: {}", r.getLong("id"), r.getString("symbol"), r.getString("timeframe"), e.getMessage());
          continue;
        }
        byPair.computeIfAbsent(pair, k -> new ArrayList<>()).add(r);
      }
      Set<Pair> affected = new LinkedHashSet<>(byPair.keySet());
      only.ifPresent(affected::add);
      List<Future<Outcomes>> perPair = new ArrayList<>();
      byPair.forEach((pair, signals) -> perPair.add(resolvePair(pair, signals)));
      int open = rows.size();
      return Future.all(perPair).compose(all -> {
        List<Long> ids = new ArrayList<>();
        List<Resolved> resolved = new ArrayList<>();
        for (Future<Outcomes> f : perPair) {
          ids.addAll(f.result().ids());
          resolved.addAll(f.result().resolved());
        }
        if (affected.isEmpty()) {
          return Future.succeededFuture(reply(resolved, open, new JsonArray()));
        }
        return store(ids, resolved, affected).map(rates -> reply(resolved, open, rates));
      });
    });
  }

  /** Fetches the bars after a pair's due signals and resolves them; signals the bars do not settle stay open. */
  private Future<Outcomes> resolvePair(Pair pair, List<Row> rows) {
    Timeframe tf = pair.timeframe();
    Optional<Batch> batch = Resolution.plan(rows.stream().map(WinRateVerticle::openSignal).toList(), tf.duration(), clock.instant(), MAX_BARS);
    if (batch.isEmpty()) {
      return Future.succeededFuture(new Outcomes(List.of(), List.of()));
    }
    Batch b = batch.get();
    return market.candles(pair.symbol(), tf.label(), b.from(), b.to()).map(candles -> {
      List<Long> ids = new ArrayList<>();
      List<Resolved> resolved = new ArrayList<>();
      for (OpenSignal s : b.due()) {
        Resolution.resolve(s, candles, tf.duration()).ifPresent(r -> {
          ids.add(s.id());
          resolved.add(r);
        });
      }
      return new Outcomes(ids, resolved);
    });
  }

  private static OpenSignal openSignal(Row r) {
    Side side = Side.valueOf(r.getString("direction").toUpperCase(Locale.ROOT));
    Double target = r.getDouble("first_target");
    return new OpenSignal(r.getLong("id"), r.getOffsetDateTime("bar_time").toInstant(), side, r.getDouble("entry"), r.getDouble("stop"), target == null ? Double.NaN : target, r.getInteger("horizon_bars"));
  }

  private Future<JsonArray> store(List<Long> ids, List<Resolved> resolved, Set<Pair> pairs) {
    int n = ids.size();
    Long[] idArray = ids.toArray(Long[]::new);
    String[] outcomes = new String[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    Double[] prices = new Double[n];
    String[] reasons = new String[n];
    for (int i = 0; i < n; i++) {
      Resolved r = resolved.get(i);
      outcomes[i] = r.outcome().name().toLowerCase(Locale.ROOT);
      at[i] = r.decidedAt().atOffset(ZoneOffset.UTC);
      prices[i] = r.exitPrice();
      reasons[i] = r.reason().name().toLowerCase(Locale.ROOT);
    }
    String[] symbols = pairs.stream().map(Pair::symbol).toArray(String[]::new);
    String[] timeframes = pairs.stream().map(Pair::timeframeLabel).toArray(String[]::new);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(WinRateSql.RECORD_OUTCOMES)
                .execute(Tuple.tuple().addValue(idArray).addValue(outcomes).addValue(at).addValue(prices).addValue(reasons))
                .compose(v -> conn.preparedQuery(WinRateSql.ROLL_UP).execute(Tuple.tuple().addArrayOfString(symbols).addArrayOfString(timeframes).addOffsetDateTime(clock.instant().atOffset(ZoneOffset.UTC))))
                .compose(rates -> storePerformance(conn, symbols, timeframes).map(rates))
                .map(rows -> {
                  JsonArray rates = new JsonArray();
                  for (Row r : rows) {
                    rates.add(WinRateQueries.toJson(r));
                  }
                  return rates;
                }));
  }

  /** Recomputes the performance figures of the listed pairs from all their resolved trades. */
  private static Future<Void> storePerformance(SqlConnection conn, String[] symbols, String[] timeframes) {
    return conn.preparedQuery(WinRateSql.TRADES).execute(Tuple.tuple().addArrayOfString(symbols).addArrayOfString(timeframes)).compose(rows -> {
      Map<List<String>, List<Double>> bySource = new LinkedHashMap<>();
      for (Row r : rows) {
        bySource.computeIfAbsent(List.of(r.getString("strategy"), r.getString("symbol"), r.getString("timeframe")), k -> new ArrayList<>())
            .add(Performance.tradeReturn(r.getString("direction"), r.getDouble("entry"), r.getDouble("exit_price")));
      }
      if (bySource.isEmpty()) {
        return Future.succeededFuture();
      }
      int n = bySource.size();
      String[] strategy = new String[n];
      String[] symbol = new String[n];
      String[] timeframe = new String[n];
      Integer[] trades = new Integer[n];
      Integer[] wins = new Integer[n];
      Double[][] figures = new Double[7][n];
      int i = 0;
      for (var e : bySource.entrySet()) {
        Performance p = Performance.of(e.getValue());
        strategy[i] = e.getKey().get(0);
        symbol[i] = e.getKey().get(1);
        timeframe[i] = e.getKey().get(2);
        trades[i] = p.trades();
        wins[i] = p.wins();
        Double[] f = {p.pnl(), p.profitFactor(), p.expectancy(), p.sharpe(), p.sortino(), p.omega(), p.maxDrawdown()};
        for (int k = 0; k < f.length; k++) {
          figures[k][i] = f[k];
        }
        i++;
      }
      Tuple args = Tuple.tuple().addArrayOfString(strategy).addArrayOfString(symbol).addArrayOfString(timeframe).addArrayOfInteger(trades).addArrayOfInteger(wins);
      for (Double[] column : figures) {
        args.addArrayOfDouble(column);
      }
      return conn.preparedQuery(WinRateSql.UPSERT_PERFORMANCE).execute(args).mapEmpty();
    });
  }

  private static JsonObject reply(List<Resolved> resolved, int open, JsonArray rates) {
    long wins = resolved.stream().filter(r -> r.outcome() == Resolution.Outcome.WIN).count();
    return new JsonObject()
        .put("resolved", resolved.size())
        .put("wins", wins)
        .put("losses", resolved.size() - wins)
        .put("pending", open - resolved.size())
        .put("win_rates", rates);
  }
}
