-- The win-rate roll-up (WinRateSql.ROLL_UP) counts each pair's resolved long/short signals twice:
-- all of them for the 'all' window, then only those of the last 30 days for '30d' and '7d'. With
-- bar_time in the key (signals_resolved_rollup_idx only INCLUDEs it) the second count is a range
-- scan of the pair's newest entries instead of a filter over every one of its signals. Same
-- predicate, same columns, about the same size: it replaces signals_resolved_rollup_idx.
create index if not exists signals_resolved_window_idx
  on public.signals (symbol, timeframe, bar_time)
  include (outcome)
  where direction <> 'flat' and outcome is not null;

drop index if exists public.signals_resolved_rollup_idx;
