package ai.zmarty.winrate;

import ai.zmarty.db.Columns;
import ai.zmarty.market.Pair;
import ai.zmarty.winrate.Resolution.OpenSignal;
import ai.zmarty.winrate.Resolution.Resolved;
import ai.zmarty.winrate.Resolution.Side;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a win-rate job reads from and writes to database B ({@link WinRateSql}). */
final class WinRateStore {
  private static final Logger log = LoggerFactory.getLogger(WinRateStore.class);

  private final Pool pool;
  private final Clock clock;

  WinRateStore(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Unresolved long and short signals by pair, oldest first, and how many were read in all. */
  record OpenSignals(Map<Pair, List<OpenSignal>> byPair, int count) {}

  /** A signal's id and how it resolved. */
  record Settled(long id, Resolved resolved) {}

  /** Up to {@code max} open signals of every pair, or of the one pair named. */
  Future<OpenSignals> openSignals(Optional<Pair> only, int max) {
    Tuple filter = Tuple.of(only.map(Pair::symbol).orElse(null), only.map(Pair::timeframeLabel).orElse(null), max);
    return pool.preparedQuery(WinRateSql.OPEN_SIGNALS).execute(filter).map(rows -> {
      Map<Pair, List<OpenSignal>> byPair = new LinkedHashMap<>();
      for (Row r : rows) {
        Pair pair;
        try {
          pair = Pair.of(r.getString("symbol"), r.getString("timeframe"));
        } catch (IllegalArgumentException e) {
          log.warn("skipping signal {} of {} {}: {}", r.getLong("id"), r.getString("symbol"), r.getString("timeframe"), e.getMessage());
          continue;
        }
        byPair.computeIfAbsent(pair, k -> new ArrayList<>()).add(openSignal(r));
      }
      return new OpenSignals(byPair, rows.size());
    });
  }

  private static OpenSignal openSignal(Row r) {
    Side side = Side.valueOf(r.getString("direction").toUpperCase(Locale.ROOT));
    Double target = r.getDouble("first_target");
    return new OpenSignal(r.getLong("id"), r.getOffsetDateTime("bar_time").toInstant(), side, r.getDouble("entry"), r.getDouble("stop"), target == null ? Double.NaN : target, r.getInteger("horizon_bars"));
  }

  /**
   * Records the outcomes, then recomputes the {@code win_rate} rows and the performance figures of
   * {@code pairs}, in one transaction; completes with the recomputed win_rate rows as the API shows them.
   */
  Future<JsonArray> store(List<Settled> settled, Set<Pair> pairs) {
    Tuple outcomes = Columns.of(settled)
        .int8(Settled::id)
        .text(s -> s.resolved().outcome().name().toLowerCase(Locale.ROOT))
        .timestamptz(s -> s.resolved().decidedAt())
        .float8(s -> s.resolved().exitPrice())
        .text(s -> s.resolved().reason().name().toLowerCase(Locale.ROOT))
        .tuple();
    Tuple byPair = pairArrays(List.copyOf(pairs)).value(clock.instant().atOffset(ZoneOffset.UTC)).tuple();
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(WinRateSql.RECORD_OUTCOMES).execute(outcomes)
                .compose(v -> conn.preparedQuery(WinRateSql.ROLL_UP).execute(byPair))
                .compose(rates -> conn.preparedQuery(WinRateSql.PERFORMANCE_ROLL_UP).execute(byPair).map(rates))
                .map(rows -> {
                  JsonArray rates = new JsonArray();
                  for (Row r : rows) {
                    rates.add(WinRateQueries.toJson(r));
                  }
                  return rates;
                }));
  }

  /** {@code $1::text[]} symbols and {@code $2::text[]} timeframes of the pairs. */
  static Columns<Pair> pairArrays(List<Pair> pairs) {
    return Columns.of(pairs).text(Pair::symbol).text(Pair::timeframeLabel);
  }
}
