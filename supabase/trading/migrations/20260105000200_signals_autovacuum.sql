-- The win-rate roll-up (WinRateSql.ROLL_UP) reads each pair's resolved signals with an index-only
-- scan of signals_resolved_rollup_idx. That scan skips the table only on pages the visibility map
-- marks all-visible, which only VACUUM sets; pages changed since (new signals, resolved outcomes)
-- are read from the table row by row. With the default thresholds autovacuum waits until a fifth
-- of the table is new or changed, so a large signals table could carry that much unvacuumed;
-- vacuum it after 2 % instead (each run reads only the pages changed since the last one) and
-- refresh its statistics after 5 %.
alter table public.signals set (
  autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.02,
  autovacuum_analyze_scale_factor = 0.05
);
