-- The win-rate roll-up reads only resolved long/short signals and only these columns: an
-- index-only scan instead of a pass over the whole table.
create index if not exists signals_resolved_rollup_idx
  on public.signals (symbol, timeframe)
  include (bar_time, outcome)
  where direction <> 'flat' and outcome is not null;
