-- The per-source performance roll-up (WinRateSql.PERFORMANCE_ROLL_UP) reads, per pair, every
-- resolved long/short trade with its strategy, direction, entry and exit price. Without an index
-- holding those columns it was a bitmap heap scan: the signal job writes every pair's bars side by
-- side, so a pair's N trades sit on N different table pages, and a recompute of every pair visited
-- each page of the table once per pair on it (857,142 page visits for 1,000,000 signals, ~49 per
-- page). Once the table outgrew shared_buffers, most of those visits went to the operating system,
-- and the statement's time grew far faster than the table (bench/signals/README.md: 38–65 s for
-- 1,000,000 signals against about 1 s for 100,000).
--
-- This index holds every column the statement reads, in its order within a pair (strategy, then
-- bar time), so the statement is an index-only scan of the pair's range: reads grow with the
-- trades, not with the table. Same predicate as the statement (exit_price known), so no win-rate
-- statement picks it by mistake: WinRateSql.ROLL_UP counts signals without an exit price too and
-- keeps signals_resolved_window_idx.
--
-- Like every index-only scan here, it skips the table only on pages the visibility map marks
-- all-visible: autovacuum keeps signals so (thresholds in migration 20260105000200).
create index if not exists signals_performance_idx
  on public.signals (symbol, timeframe, strategy, bar_time)
  include (direction, entry, exit_price, outcome)
  where direction <> 'flat' and outcome is not null and exit_price is not null;
