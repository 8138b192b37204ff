package ai.zmarty.winrate;

/** The statements of the win-rate package. */
final class WinRateSql {
  private WinRateSql() {}

  /** Unresolved long and short signals, oldest first per pair; $1/$2 null means every symbol/timeframe. */
  static final String OPEN_SIGNALS =
      """
      select id, symbol, timeframe, bar_time, direction, entry::float8 as entry, stop::float8 as stop,
             (targets->>0)::float8 as first_target, horizon_bars
      from public.signals
      where outcome is null and direction <> 'flat'
        and ($1::text is null or symbol = $1)
        and ($2::text is null or timeframe = $2)
      order by symbol, timeframe, bar_time
      limit $3
      """;

  /** Records outcomes (parallel arrays); a signal resolved meanwhile by another node is left alone. */
  static final String RECORD_OUTCOMES =
      """
      update public.signals s
      set outcome = u.outcome, resolved_at = u.resolved_at, exit_price = u.exit_price::numeric, exit_reason = u.exit_reason
      from unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::float8[], $5::text[]) as u(id, outcome, resolved_at, exit_price, exit_reason)
      where s.id = u.id and s.outcome is null
      """;

  /**
   * Recomputes window 'all' of every listed pair from its signals in one statement: flat signals
   * are not trades, unresolved ones are not samples, and the rate is null without samples.
   */
  static final String ROLL_UP =
      """
      insert into public.win_rate (symbol, timeframe, window_name, wins, losses, sample_size, win_rate, computed_at)
      select s.symbol, s.timeframe, 'all',
             count(*) filter (where s.outcome = 'win'),
             count(*) filter (where s.outcome = 'loss'),
             count(s.outcome),
             case when count(s.outcome) = 0 then null
                  else round(count(*) filter (where s.outcome = 'win')::numeric / count(s.outcome), 6) end,
             now()
      from public.signals s
      join unnest($1::text[], $2::text[]) as p(symbol, timeframe) on p.symbol = s.symbol and p.timeframe = s.timeframe
      where s.direction <> 'flat'
      group by s.symbol, s.timeframe
      on conflict (symbol, timeframe, window_name) do update
        set wins = excluded.wins, losses = excluded.losses, sample_size = excluded.sample_size,
            win_rate = excluded.win_rate, computed_at = excluded.computed_at
      returning symbol, timeframe, window_name, wins, losses, sample_size, win_rate::float8 as win_rate
      """;
}
