package ai.zmarty.signal;

import ai.zmarty.signal.DoublingGuard.Position;
import ai.zmarty.signal.DoublingGuard.Verdict;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
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
  static final String POSITION =
      "select direction, size_pct, last_score, last_action_at from public.paper_positions where symbol = $1 and timeframe = $2 for update";
  static final String VOLATILITY =
      "select bar_time, atr_pct::float8 as atr_pct from public.risk_metric where symbol = $1 and timeframe = $2 and bar_time = any($3::timestamptz[])";
  static final String RECORD =
      """
      insert into public.doubling_decisions (signal_id, symbol, timeframe, bar_time, direction, action, guard, failed_guards, score, previous_score, position_pct, volatility)
      select d.signal_id, $1, $2, d.bar_time, d.direction, d.action, d.guard, d.failed::jsonb, d.score, d.previous, d.position_pct, d.volatility
      from unnest($3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::float8[], $10::float8[], $11::float8[], $12::float8[])
        as d(signal_id, bar_time, direction, action, guard, failed, score, previous, position_pct, volatility)
      on conflict (signal_id) do nothing
      """;
  static final String SAVE =
      """
      insert into public.paper_positions (symbol, timeframe, direction, size_pct, last_score, last_action_at, updated_at)
      values ($1, $2, $3, $4, $5, $6, now())
      on conflict (symbol, timeframe) do update
        set direction = excluded.direction, size_pct = excluded.size_pct, last_score = excluded.last_score,
            last_action_at = excluded.last_action_at, updated_at = now()
      """;

  private final DoublingGuard guard;

  PositionBook(DoublingGuard guard) {
    this.guard = guard;
  }

  /** Decides on {@code created} (sorted by bar time); completes with the number of decisions recorded. */
  Future<Integer> decide(SqlConnection conn, String symbol, String timeframe, List<Signal> created) {
    List<Signal> trades = created.stream().filter(s -> s.direction() != Direction.FLAT).toList();
    if (trades.isEmpty()) {
      return Future.succeededFuture(0);
    }
    OffsetDateTime[] bars = trades.stream().map(s -> s.barTime().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
    return conn.preparedQuery(POSITION).execute(Tuple.of(symbol, timeframe)).compose(positionRows -> conn.preparedQuery(VOLATILITY)
        .execute(Tuple.of(symbol, timeframe, bars))
        .compose(volRows -> {
          Optional<Position> position = Optional.empty();
          for (Row r : positionRows) {
            position = Optional.of(new Position(r.getString("direction"), r.getDouble("size_pct"), r.getDouble("last_score"), r.getOffsetDateTime("last_action_at").toInstant()));
          }
          Map<java.time.Instant, Double> volatility = new HashMap<>();
          for (Row r : volRows) {
            volatility.put(r.getOffsetDateTime("bar_time").toInstant(), r.getDouble("atr_pct"));
          }
          int n = trades.size();
          Long[] ids = new Long[n];
          OffsetDateTime[] at = new OffsetDateTime[n];
          String[] direction = new String[n];
          String[] action = new String[n];
          String[] guardName = new String[n];
          String[] failed = new String[n];
          Double[] score = new Double[n];
          Double[] previous = new Double[n];
          Double[] size = new Double[n];
          Double[] vol = new Double[n];
          for (int i = 0; i < n; i++) {
            Signal s = trades.get(i);
            Double v = volatility.get(s.barTime());
            Verdict verdict = guard.decide(position, s.direction().wire(), s.score(), v, s.barTime());
            ids[i] = s.id();
            at[i] = s.barTime().atOffset(ZoneOffset.UTC);
            direction[i] = s.direction().wire();
            action[i] = verdict.action().name().toLowerCase(Locale.ROOT);
            guardName[i] = verdict.guard().orElse(null);
            failed[i] = new JsonArray(new ArrayList<>(verdict.failedGuards())).encode();
            score[i] = s.score();
            previous[i] = position.map(Position::lastScore).orElse(null);
            size[i] = verdict.position().sizePct();
            vol[i] = v;
            position = Optional.of(verdict.position());
          }
          Position last = position.orElseThrow();
          Tuple record = Tuple.tuple().addString(symbol).addString(timeframe).addArrayOfLong(ids).addArrayOfOffsetDateTime(at).addArrayOfString(direction)
              .addArrayOfString(action).addArrayOfString(guardName).addArrayOfString(failed).addArrayOfDouble(score).addArrayOfDouble(previous)
              .addArrayOfDouble(size).addArrayOfDouble(vol);
          return conn.preparedQuery(RECORD).execute(record)
              .compose(r -> conn.preparedQuery(SAVE).execute(Tuple.of(symbol, timeframe, last.direction(), last.sizePct(), last.lastScore(), last.lastActionAt().atOffset(ZoneOffset.UTC))))
              .map(n);
        }));
  }
}
