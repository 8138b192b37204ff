package ai.zmarty.ops;

/** The statements of the operator's health checks ({@link SystemChecks}). */
final class HealthSql {
  private HealthSql() {}

  static final String VERSION = "select current_setting('server_version') as version";

  /** The newest migration Flyway applied successfully; fails when the history table is missing. */
  static final String SCHEMA_VERSION = "select max(version) as version, count(*) filter (where not success) as failed from public.zmarty_schema_history where version is not null";

  /** Which of the listed tables exist in public or pgmq schema, with the statistics' live-row count. */
  static final String TABLES =
      """
      select c.relname as name, greatest(coalesce(s.n_live_tup, 0), c.reltuples::bigint) as rows
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      left join pg_stat_user_tables s on s.relid = c.oid
      where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname = any($1::text[])
      """;

  /** Every active, unpaused pair with the open time of its newest indicator bar (null: none). */
  static final String NEWEST_BARS =
      """
      select p.symbol, p.timeframe,
             (select max(i.bar_time) from public.indicators i where i.symbol = p.symbol and i.timeframe = p.timeframe) as newest
      from (select distinct symbol, timeframe from public.watchers where active and paused_at is null) p
      """;

  /** Per pair: long/short signals and resolved ones counted again, beside the stored 'all' sample size. */
  static final String PAIR_COUNTS =
      """
      with s as (
        select symbol, timeframe, count(*) as signals, count(*) filter (where outcome is not null) as resolved,
               min(bar_time) as oldest, max(horizon_bars) as horizon
        from public.signals where direction <> 'flat' group by symbol, timeframe
      ),
      w as (select symbol, timeframe, sample_size from public.win_rate where window_name = 'all')
      select coalesce(s.symbol, w.symbol) as symbol, coalesce(s.timeframe, w.timeframe) as timeframe,
             coalesce(s.signals, 0) as signals, coalesce(s.resolved, 0) as resolved, s.oldest, coalesce(s.horizon, 0) as horizon,
             w.sample_size
      from s full join w on s.symbol = w.symbol and s.timeframe = w.timeframe
      """;
}
