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
   * Recomputes windows 'all', '30d' and '7d' (by signal bar time, measured back from $3 = now) of
   * every listed pair in one statement from its resolved signals: flat signals are not trades,
   * unresolved ones are not samples. A window without samples has a null rate and the interval
   * [0, 1] (greatest/least skip the nulls). The interval is Wilson's at 95 % (z = 1.96), the same
   * formula as {@link Wilson}.
   *
   * <p>Why it is written this way (bench/signals/README.md has the measurements):
   * <ul>
   *   <li>{@code bounds} is MATERIALIZED: inlined, {@code $3 - interval '30 days'} is a stable
   *       (time-zone dependent) expression that PostgreSQL would compute again in every FILTER
   *       for every signal, four times a signal;
   *   <li>each pair is counted in LATERAL subqueries, index-only scans of its range of {@code
   *       signals_resolved_window_idx} (symbol, timeframe, bar_time), instead of joining every
   *       signal to the pair list and grouping by the pair's text columns;
   *   <li>'all' is one count over the pair's whole range; '30d' and '7d' come from a second scan
   *       of only its last 30 days (bar_time is in the index key), not from filters on every signal;
   *   <li>{@code distinct}: a pair listed twice is still counted and upserted once.
   * </ul>
   * An index-only scan skips the table only where the visibility map is set, i.e. once the table
   * has been vacuumed: autovacuum keeps it so (thresholds for signals in migration 20260105000200).
   */
  static final String ROLL_UP =
      """
      with bounds as materialized (
        select $3::timestamptz - interval '30 days' as d30, $3::timestamptz - interval '7 days' as d7
      ),
      pairs as (
        select distinct symbol, timeframe from unnest($1::text[], $2::text[]) as u(symbol, timeframe)
      ),
      agg as (
        select p.symbol, p.timeframe, a.w_all, a.n_all, r.w_30, r.n_30, r.w_7, r.n_7
        from pairs p
        cross join bounds b
        cross join lateral (
          select count(*) filter (where s.outcome = 'win') as w_all, count(*) as n_all
          from public.signals s
          where s.symbol = p.symbol and s.timeframe = p.timeframe and s.direction <> 'flat' and s.outcome is not null
        ) as a
        cross join lateral (
          select count(*) filter (where s.outcome = 'win') as w_30, count(*) as n_30,
                 count(*) filter (where s.bar_time >= b.d7 and s.outcome = 'win') as w_7,
                 count(*) filter (where s.bar_time >= b.d7) as n_7
          from public.signals s
          where s.symbol = p.symbol and s.timeframe = p.timeframe and s.bar_time >= b.d30
            and s.direction <> 'flat' and s.outcome is not null
        ) as r
      ),
      windows as (
        select a.symbol, a.timeframe, v.window_name, v.wins, v.n, v.wins::float8 / nullif(v.n, 0) as p, nullif(v.n, 0)::float8 as m
        from agg a
        cross join lateral (values ('all', a.w_all, a.n_all), ('30d', a.w_30, a.n_30), ('7d', a.w_7, a.n_7)) as v(window_name, wins, n)
      )
      insert into public.win_rate (symbol, timeframe, window_name, wins, losses, sample_size, win_rate, ci_low, ci_high, computed_at)
      select symbol, timeframe, window_name, wins, n - wins, n,
             round(p::numeric, 6),
             round(greatest(0, (p + 3.8416 / (2 * m) - 1.96 * sqrt(p * (1 - p) / m + 3.8416 / (4 * m * m))) / (1 + 3.8416 / m))::numeric, 6),
             round(least(1, (p + 3.8416 / (2 * m) + 1.96 * sqrt(p * (1 - p) / m + 3.8416 / (4 * m * m))) / (1 + 3.8416 / m))::numeric, 6),
             now()
      from windows
      on conflict (symbol, timeframe, window_name) do update
        set wins = excluded.wins, losses = excluded.losses, sample_size = excluded.sample_size,
            win_rate = excluded.win_rate, ci_low = excluded.ci_low, ci_high = excluded.ci_high, computed_at = excluded.computed_at
      returning symbol, timeframe, window_name, wins, losses, sample_size, win_rate, ci_low, ci_high
      """;

  /** The resolved trades of the listed pairs, in the order they were taken, for the performance figures. */
  static final String TRADES =
      """
      select s.strategy, s.symbol, s.timeframe, s.direction, s.entry::float8 as entry, s.exit_price::float8 as exit_price
      from public.signals s
      join unnest($1::text[], $2::text[]) as p(symbol, timeframe) on p.symbol = s.symbol and p.timeframe = s.timeframe
      where s.outcome is not null and s.direction <> 'flat' and s.exit_price is not null
      order by s.strategy, s.symbol, s.timeframe, s.bar_time
      """;

  static final String UPSERT_PERFORMANCE =
      """
      insert into public.performance (source, category, strategy, symbol, timeframe, trades, wins, pnl, profit_factor, expectancy, sharpe, sortino, omega, max_drawdown, computed_at)
      select u.strategy || ':' || u.symbol || ':' || u.timeframe, u.timeframe, u.strategy, u.symbol, u.timeframe,
             u.trades, u.wins, u.pnl, u.profit_factor, u.expectancy, u.sharpe, u.sortino, u.omega, u.max_drawdown, now()
      from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[])
        as u(strategy, symbol, timeframe, trades, wins, pnl, profit_factor, expectancy, sharpe, sortino, omega, max_drawdown)
      on conflict (source) do update
        set trades = excluded.trades, wins = excluded.wins, pnl = excluded.pnl, profit_factor = excluded.profit_factor,
            expectancy = excluded.expectancy, sharpe = excluded.sharpe, sortino = excluded.sortino, omega = excluded.omega,
            max_drawdown = excluded.max_drawdown, computed_at = excluded.computed_at
      """;

  /** The top $1 sources by Omega in each category (timeframe); sources without an Omega come last. */
  static final String LEADERBOARD =
      """
      select source, category, strategy, symbol, timeframe, trades, wins, pnl, profit_factor, expectancy, sharpe, sortino, omega, max_drawdown, rank
      from (
        select p.*, row_number() over (partition by category order by omega desc nulls last, trades desc, source) as rank
        from public.performance p
      ) ranked
      where rank <= $1
      order by category, rank
      """;

  /** The win_rate rows of the pairs in the arrays $1 (symbols) and $2 (timeframes). */
  static final String FOR_PAIRS =
      """
      select w.symbol, w.timeframe, w.window_name, w.wins, w.losses, w.sample_size, w.win_rate, w.ci_low, w.ci_high, w.computed_at
      from unnest($1::text[], $2::text[]) as p(symbol, timeframe)
      join win_rate w on w.symbol = p.symbol and w.timeframe = p.timeframe
      order by w.symbol, w.timeframe, w.window_name
      """;
}
