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
}
