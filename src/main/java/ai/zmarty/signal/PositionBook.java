package ai.zmarty.signal;

import ai.zmarty.db.Columns;
import ai.zmarty.market.Pair;
import ai.zmarty.signal.DoublingGuard.Position;
import ai.zmarty.signal.DoublingGuard.Verdict;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The paper position book in database B: runs each new long/short signal of a pair, in bar order,
 * through the {@link DoublingGuard} and records every decision, inside the caller's transaction
 * (the one that inserted the signals), so a redelivered job decides nothing twice.
 */
final class PositionBook {

  private final DoublingGuard guard;

  PositionBook(DoublingGuard guard) {
    this.guard = guard;
  }

  /** One signal's decision and what the book knew when it was taken. */
  private record Decided(Signal signal, Verdict verdict, Double previousScore, Double volatility) {}

  /** Decides on {@code created} (sorted by bar time); completes with the number of decisions recorded. */
  Future<Integer> decide(SqlConnection conn, Pair pair, List<Signal> created) {
    List<Signal> trades = created.stream().filter(s -> s.direction() != Direction.FLAT).toList();
    if (trades.isEmpty()) {
      return Future.succeededFuture(0);
    }
    String symbol = pair.symbol();
    String timeframe = pair.timeframeLabel();
    OffsetDateTime[] bars = trades.stream().map(s -> s.barTime().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
    return conn.preparedQuery(SignalSql.LOCK_POSITION).execute(Tuple.of(symbol, timeframe)).compose(positionRows -> conn.preparedQuery(SignalSql.BAR_VOLATILITY)
        .execute(Tuple.of(symbol, timeframe, bars))
        .compose(volRows -> {
          Optional<Position> position = Optional.empty();
          for (Row r : positionRows) {
            position = Optional.of(new Position(r.getString("direction"), r.getDouble("size_pct"), r.getDouble("last_score"), r.getOffsetDateTime("last_action_at").toInstant()));
          }
          Map<Instant, Double> volatility = new HashMap<>();
          for (Row r : volRows) {
            volatility.put(r.getOffsetDateTime("bar_time").toInstant(), r.getDouble("atr_pct"));
          }
          List<Decided> decided = new ArrayList<>(trades.size());
          for (Signal s : trades) {
            Double v = volatility.get(s.barTime());
            Verdict verdict = guard.decide(position, s.direction().wire(), s.score(), v, s.barTime());
            decided.add(new Decided(s, verdict, position.map(Position::lastScore).orElse(null), v));
            position = Optional.of(verdict.position());
          }
          Position last = position.orElseThrow();
          Tuple record = Columns.of(decided).value(symbol).value(timeframe)
              .int8(d -> d.signal().id())
              .timestamptz(d -> d.signal().barTime())
              .text(d -> d.signal().direction().wire())
              .text(d -> d.verdict().action().name().toLowerCase(Locale.ROOT))
              .text(d -> d.verdict().guard().orElse(null))
              .text(d -> new JsonArray(new ArrayList<>(d.verdict().failedGuards())).encode())
              .float8(d -> d.signal().score())
              .float8(Decided::previousScore)
              .float8(d -> d.verdict().position().sizePct())
              .float8(Decided::volatility)
              .tuple();
          return conn.preparedQuery(SignalSql.RECORD_DECISIONS).execute(record)
              .compose(r -> conn.preparedQuery(SignalSql.SAVE_POSITION).execute(Tuple.of(symbol, timeframe, last.direction(), last.sizePct(), last.lastScore(), last.lastActionAt().atOffset(ZoneOffset.UTC))))
              .map(decided.size());
        }));
  }
}
