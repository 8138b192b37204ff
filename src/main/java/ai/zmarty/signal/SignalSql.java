package ai.zmarty.signal;

/** The statements of the signal package. */
final class SignalSql {
  private SignalSql() {}

  /**
   * Stored indicator bars of a pair that have no signal yet, newest first ($3: how many at most),
   * with their quality flags and the bar's volatility and liquidation proximity from risk_metric
   * (null when missing).
   */
  static final String BARS_WITHOUT_SIGNAL =
      """
      select i.bar_time, i.close::float8 as close, i.values, i.warm, i.quality,
             r.volatility::float8 as volatility, r.volatility_long::float8 as volatility_long,
             r.liq_below_distance::float8 as liq_below_distance, r.liq_below_intensity::float8 as liq_below_intensity,
             r.liq_above_distance::float8 as liq_above_distance, r.liq_above_intensity::float8 as liq_above_intensity
      from public.indicators i
      left join public.risk_metric r on r.symbol = i.symbol and r.timeframe = i.timeframe and r.bar_time = i.bar_time
      where i.symbol = $1 and i.timeframe = $2
        and not exists (
          select 1 from public.signals s
          where s.symbol = i.symbol and s.timeframe = i.timeframe and s.bar_time = i.bar_time)
      order by i.bar_time desc
      limit $3
      """;

  /**
   * Inserts a batch (parallel arrays) and returns only the rows that were new: a bar that already
   * has a signal, say from a redelivered job or a second node, is skipped by the unique key.
   */
  static final String INSERT_NEW =
      """
      insert into public.signals (symbol, timeframe, bar_time, strategy, direction, score, entry, stop, targets, reasons, horizon_bars)
      select $1, $2, x.bar_time, $3, x.direction, x.score::numeric, x.entry::numeric, x.stop::numeric, x.targets::jsonb, x.reasons::jsonb, x.horizon
      from unnest($4::timestamptz[], $5::text[], $6::float8[], $7::float8[], $8::float8[], $9::text[], $10::text[], $11::integer[])
        as x(bar_time, direction, score, entry, stop, targets, reasons, horizon)
      order by x.bar_time
      on conflict (symbol, timeframe, bar_time) do nothing
      returning id, symbol, timeframe, bar_time, strategy, direction, score::float8 as score, entry::float8 as entry,
                stop::float8 as stop, targets, reasons, horizon_bars, created_at
      """;

  /** Up to $3 newest signals of each pair of the arrays $1 (symbols) and $2 (timeframes), newest first within a pair. */
  static final String LATEST_OF_PAIRS =
      """
      select s.symbol, s.timeframe, s.bar_time, s.direction, s.score, s.entry, s.stop, s.targets, s.reasons, s.created_at
      from unnest($1::text[], $2::text[]) as p(symbol, timeframe)
      cross join lateral (
        select * from signals x where x.symbol = p.symbol and x.timeframe = p.timeframe
        order by x.bar_time desc limit $3
      ) s
      order by s.symbol, s.timeframe, s.bar_time desc
      """;

  /** The pair's paper position, locked for the doubling decision. */
  static final String LOCK_POSITION =
      "select direction, size_pct, last_score, last_action_at from public.paper_positions where symbol = $1 and timeframe = $2 for update";

  /** The ATR ÷ close of the given bars ($3). */
  static final String BAR_VOLATILITY =
      "select bar_time, atr_pct::float8 as atr_pct from public.risk_metric where symbol = $1 and timeframe = $2 and bar_time = any($3::timestamptz[])";

  /** Doubling decisions as parallel arrays, once per signal. */
  static final String RECORD_DECISIONS =
      """
      insert into public.doubling_decisions (signal_id, symbol, timeframe, bar_time, direction, action, guard, failed_guards, score, previous_score, position_pct, volatility)
      select d.signal_id, $1, $2, d.bar_time, d.direction, d.action, d.guard, d.failed::jsonb, d.score, d.previous, d.position_pct, d.volatility
      from unnest($3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::float8[], $10::float8[], $11::float8[], $12::float8[])
        as d(signal_id, bar_time, direction, action, guard, failed, score, previous, position_pct, volatility)
      on conflict (signal_id) do nothing
      """;

  /** The pair's paper position after the decisions. */
  static final String SAVE_POSITION =
      """
      insert into public.paper_positions (symbol, timeframe, direction, size_pct, last_score, last_action_at, updated_at)
      values ($1, $2, $3, $4, $5, $6, now())
      on conflict (symbol, timeframe) do update
        set direction = excluded.direction, size_pct = excluded.size_pct, last_score = excluded.last_score,
            last_action_at = excluded.last_action_at, updated_at = now()
      """;
}
