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

  /**
   * Recomputes the performance figures (docs/performance.md) of every strategy source on the
   * listed pairs ($1 symbols, $2 timeframes) for the windows 'all', '30d' and '7d' (by signal bar
   * time, back from $3 = now), in one statement, the same formulas as {@link Performance#of}: each
   * resolved long/short signal is a trade with return r; profit factor and Omega(0) Σr⁺ ÷ Σ|r⁻|,
   * Sharpe mean ÷ sample std, Sortino mean ÷ √(Σmin(r,0)² ÷ n), max drawdown on the equity curve
   * Π(1 + r) taken as a running sum of ln(1 + r) (a trade losing everything, r ≤ −1, sends it to
   * −∞: drawdown 1). Wins are outcome 'win', as in win_rate. Every window of a source with any
   * trade gets a row, one without trades in the window with trades 0 and null ratios, so a window
   * that emptied never keeps stale figures.
   *
   * <p>Why it is written this way: each pair's trades are read in a LATERAL subquery (its range of
   * the signals index, symbol and timeframe fixed), so the running sums and peaks sort a few
   * thousand rows in memory per pair instead of every trade at once, and are aggregated there per
   * strategy; the three windows share that one pass (a window's sums and peaks are FILTERed to its
   * rows, which are the pair's newest since the windows end now) and become rows only at the end,
   * three per source. The two {@code offset 0} keep PostgreSQL from pulling the subqueries up:
   * pulled up, r and ln(1 + r) were computed again in every expression that uses them, about
   * thirty times a trade (3.2 s instead of 0.6 s for 100,000 trades on a loaded machine).
   */
  static final String PERFORMANCE_ROLL_UP =
      """
      with bounds as materialized (
        select $3::timestamptz - interval '30 days' as d30, $3::timestamptz - interval '7 days' as d7
      ),
      pairs as (
        select distinct symbol, timeframe from unnest($1::text[], $2::text[]) as u(symbol, timeframe)
      ),
      sums as (
        select p.symbol, p.timeframe, a.*
        from pairs p
        cross join bounds b
        cross join lateral (
          select c.strategy,
                 count(*) as n_all, count(*) filter (where c.win) as w_all, sum(c.r) as s_all, sum(greatest(c.r, 0)) as g_all,
                 sum(greatest(-c.r, 0)) as l_all, stddev_samp(c.r) as sd_all, sum(least(c.r, 0) ^ 2) as d_all, max(c.dd_all) as dd_all,
                 count(*) filter (where c.in_30) as n_30, count(*) filter (where c.in_30 and c.win) as w_30, sum(c.r) filter (where c.in_30) as s_30,
                 sum(greatest(c.r, 0)) filter (where c.in_30) as g_30, sum(greatest(-c.r, 0)) filter (where c.in_30) as l_30,
                 stddev_samp(c.r) filter (where c.in_30) as sd_30, sum(least(c.r, 0) ^ 2) filter (where c.in_30) as d_30, max(c.dd_30) as dd_30,
                 count(*) filter (where c.in_7) as n_7, count(*) filter (where c.in_7 and c.win) as w_7, sum(c.r) filter (where c.in_7) as s_7,
                 sum(greatest(c.r, 0)) filter (where c.in_7) as g_7, sum(greatest(-c.r, 0)) filter (where c.in_7) as l_7,
                 stddev_samp(c.r) filter (where c.in_7) as sd_7, sum(least(c.r, 0) ^ 2) filter (where c.in_7) as d_7, max(c.dd_7) as dd_7
          from (
            select e.strategy, e.win, e.r, e.in_30, e.in_7,
                   1 - exp(e.e_all - greatest(0, max(e.e_all) over w)) as dd_all,
                   1 - exp(e.e_30 - greatest(0, max(e.e_30) filter (where e.in_30) over w)) as dd_30,
                   1 - exp(e.e_7 - greatest(0, max(e.e_7) filter (where e.in_7) over w)) as dd_7
            from (
              select t.strategy, t.bar_time, t.win, t.r, t.in_30, t.in_7,
                     sum(t.lr) over w as e_all, sum(t.lr) filter (where t.in_30) over w as e_30, sum(t.lr) filter (where t.in_7) over w as e_7
              from (
                select u.*, case when u.r <= -1 then '-Infinity'::float8 else ln(1 + u.r) end as lr
                from (
                  select s.strategy, s.bar_time, s.outcome = 'win' as win, s.bar_time >= b.d30 as in_30, s.bar_time >= b.d7 as in_7,
                         (case s.direction when 'long' then s.exit_price::float8 - s.entry::float8 else s.entry::float8 - s.exit_price::float8 end) / s.entry::float8 as r
                  from public.signals s
                  where s.symbol = p.symbol and s.timeframe = p.timeframe and s.direction <> 'flat' and s.outcome is not null and s.exit_price is not null
                  offset 0
                ) as u
                offset 0
              ) as t
              window w as (partition by t.strategy order by t.bar_time rows unbounded preceding)
            ) as e
            window w as (partition by e.strategy order by e.bar_time rows unbounded preceding)
          ) as c
          group by c.strategy
        ) as a
      )
      insert into public.performance (source_kind, source, window_name, category, asset, strategy, symbol, timeframe,
                                      trades, wins, pnl, profit_factor, expectancy, sharpe, sortino, omega, max_drawdown, computed_at)
      select 'strategy', x.strategy || ':' || x.symbol || ':' || x.timeframe, v.window_name, x.timeframe, split_part(x.symbol, '/', 1), x.strategy, x.symbol, x.timeframe,
             v.n, v.w, coalesce(v.s, 0), v.g / nullif(v.l, 0), v.s / nullif(v.n, 0), (v.s / nullif(v.n, 0)) / nullif(v.sd, 0),
             (v.s / nullif(v.n, 0)) / nullif(sqrt(v.d / nullif(v.n, 0)), 0), v.g / nullif(v.l, 0), coalesce(v.dd, 0), now()
      from sums x
      cross join lateral (
        values ('all', x.n_all, x.w_all, x.s_all, x.g_all, x.l_all, x.sd_all, x.d_all, x.dd_all),
               ('30d', x.n_30, x.w_30, x.s_30, x.g_30, x.l_30, x.sd_30, x.d_30, x.dd_30),
               ('7d', x.n_7, x.w_7, x.s_7, x.g_7, x.l_7, x.sd_7, x.d_7, x.dd_7)
      ) as v(window_name, n, w, s, g, l, sd, d, dd)
      on conflict (source_kind, source, window_name) do update
        set trades = excluded.trades, wins = excluded.wins, pnl = excluded.pnl, profit_factor = excluded.profit_factor,
            expectancy = excluded.expectancy, sharpe = excluded.sharpe, sortino = excluded.sortino, omega = excluded.omega,
            max_drawdown = excluded.max_drawdown, computed_at = excluded.computed_at
      """;

  /** The columns of a performance row that the analytics routes show. */
  private static final String FIGURES =
      "source_kind, source, window_name, category, asset, strategy, symbol, timeframe, trades, wins, pnl, profit_factor, expectancy, sharpe, sortino, omega, max_drawdown, computed_at";

  /**
   * The leaderboard of one window ($1) by one metric ($2: omega, sharpe, sortino, profit_factor,
   * win_rate), optionally of one timeframe ($3) or asset ($4). Within each category (timeframe:
   * per-trade figures of different bar lengths do not compare), sources with at least $5 trades
   * and a defined metric are ranked, best first (ties: more trades, then the name); the others
   * follow unranked, most trades first. At most $6 of each per category.
   */
  static final String LEADERBOARD =
      """
      with scored as (
        select p.*, case $2::text when 'omega' then p.omega when 'sharpe' then p.sharpe when 'sortino' then p.sortino
                                  when 'profit_factor' then p.profit_factor when 'win_rate' then p.wins::float8 / nullif(p.trades, 0) end as score
        from public.performance p
        where p.window_name = $1 and ($3::text is null or p.category = $3) and ($4::text is null or p.asset = $4)
      ),
      placed as (
        select s.*, (s.trades >= $5 and s.score is not null) as ranked,
               row_number() over (partition by s.category, (s.trades >= $5 and s.score is not null)
                                  order by case when s.trades >= $5 then s.score end desc nulls last, s.trades desc, s.source_kind, s.source) as place
        from scored s
      )
      select %s, score, ranked, place
      from placed
      where place <= $6
      order by category, ranked desc, place
      """.formatted(FIGURES);

  /** Every window of every source on symbol $1, optionally of timeframe $2 only. */
  static final String PERFORMANCE_OF =
      """
      select %s
      from public.performance
      where symbol = $1 and ($2::text is null or timeframe = $2)
      order by source_kind, source, case window_name when 'all' then 0 when '30d' then 1 else 2 end
      """.formatted(FIGURES);

  /** The win_rate rows of the pairs in the arrays $1 (symbols) and $2 (timeframes). */
  static final String FOR_PAIRS =
      """
      select w.symbol, w.timeframe, w.window_name, w.wins, w.losses, w.sample_size, w.win_rate, w.ci_low, w.ci_high, w.computed_at
      from unnest($1::text[], $2::text[]) as p(symbol, timeframe)
      join win_rate w on w.symbol = p.symbol and w.timeframe = p.timeframe
      order by w.symbol, w.timeframe, w.window_name
      """;
}
