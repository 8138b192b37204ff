package ai.zmarty.ingest;

/** The statements of the ingest package; a batch of bars travels as parallel arrays through unnest. */
final class IngestSql {
  private IngestSql() {}

  /** The newest stored bar of a pair: the kept series is appended to only when it ends with this bar. */
  static final String LAST_STORED =
      "select bar_time, close::float8 as close from public.indicators where symbol = $1 and timeframe = $2 order by bar_time desc limit 1";

  static final String UPSERT_INDICATORS =
      """
      insert into public.indicators (symbol, timeframe, bar_time, close, values, warm, quality, computed_at)
      select $1, $2, b.bar_time, b.close::numeric, b.vals::jsonb, b.warm, b.quality::jsonb, now()
      from unnest($3::timestamptz[], $4::float8[], $5::text[], $6::boolean[], $7::text[]) as b(bar_time, close, vals, warm, quality)
      on conflict (symbol, timeframe, bar_time) do update
        set close = excluded.close, values = excluded.values, warm = excluded.warm, quality = excluded.quality, computed_at = excluded.computed_at
      """;

  /** A risk_metric row also carries the bar's 180-bar volatility and its nearest estimated liquidation clusters. */
  static final String UPSERT_RISK =
      """
      insert into public.risk_metric (symbol, timeframe, bar_time, volatility, atr_pct, drawdown, risk_score, volatility_long,
                                      liq_below_distance, liq_below_intensity, liq_above_distance, liq_above_intensity, computed_at)
      select $1, $2, r.bar_time, r.volatility::numeric, r.atr_pct::numeric, r.drawdown::numeric, r.risk_score::numeric, r.volatility_long::numeric,
             r.below_distance::numeric, r.below_intensity::numeric, r.above_distance::numeric, r.above_intensity::numeric, now()
      from unnest($3::timestamptz[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[])
        as r(bar_time, volatility, atr_pct, drawdown, risk_score, volatility_long, below_distance, below_intensity, above_distance, above_intensity)
      on conflict (symbol, timeframe, bar_time) do update
        set volatility = excluded.volatility, atr_pct = excluded.atr_pct, drawdown = excluded.drawdown,
            risk_score = excluded.risk_score, volatility_long = excluded.volatility_long,
            liq_below_distance = excluded.liq_below_distance, liq_below_intensity = excluded.liq_below_intensity,
            liq_above_distance = excluded.liq_above_distance, liq_above_intensity = excluded.liq_above_intensity,
            computed_at = excluded.computed_at
      """;

  /** A symbol's estimated liquidation clusters are replaced as a whole at each ingest. */
  static final String DELETE_LIQ_CLUSTERS = "delete from public.liq_clusters where symbol = $1";

  /** $6: the notional's basis, {@code volume} or {@code open_interest}. */
  static final String INSERT_LIQ_CLUSTERS =
      """
      insert into public.liq_clusters (symbol, side, price_bin, notional, intensity, basis, updated_at)
      select $1, l.side, l.price::numeric, l.notional::numeric, l.intensity::numeric, $6, now()
      from unnest($2::text[], $3::float8[], $4::float8[], $5::float8[]) as l(side, price, notional, intensity)
      on conflict (symbol, side, price_bin) do update
        set notional = excluded.notional, intensity = excluded.intensity, basis = excluded.basis, updated_at = excluded.updated_at
      """;

  /** A symbol's estimated liquidation clusters, strongest first. */
  /** The newest $3 closes of a pair, oldest first (GET /candles). */
  static final String CLOSES =
      """
      select bar_time, close from (
        select bar_time, close::float8 as close from public.indicators where symbol = $1 and timeframe = $2 order by bar_time desc limit $3
      ) newest order by bar_time
      """;

  static final String LIQ_CLUSTERS =
      """
      select side, price_bin::float8 as price, notional::float8 as notional, intensity::float8 as intensity, basis, updated_at
      from public.liq_clusters where symbol = $1
      order by intensity desc, price_bin
      """;

  /**
   * One more dead-lettered ingest of the pair ($1, $2) in a row; at $3 in a row its active watchers
   * are paused with reason $4. Returns the rows paused by this statement (now() is the
   * transaction's time, so paused_at = now() marks them).
   */
  static final String COUNT_DEAD_LETTER =
      """
      update public.watchers
      set dead_letters = dead_letters + 1,
          paused_at = case when paused_at is null and dead_letters + 1 >= $3 then now() else paused_at end,
          pause_reason = case when paused_at is null and dead_letters + 1 >= $3 then left($4, 1000) else pause_reason end,
          updated_at = now()
      where symbol = $1 and timeframe = $2 and active
      returning user_id, dead_letters, coalesce(paused_at = now(), false) as paused_now
      """;

  /** A successful ingest ends the pair's run of dead letters. */
  static final String RESET_DEAD_LETTERS =
      "update public.watchers set dead_letters = 0 where symbol = $1 and timeframe = $2 and active and dead_letters > 0";
}
