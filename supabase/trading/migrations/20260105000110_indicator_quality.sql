-- Candle quality flags stored with the bar they affect, not only logged: a JSON array of
-- {"kind": "missing" | "stale" | "out_of_range", "at": bar open time, "detail": "..."}; empty when
-- the data was clean. The signal strategy reads them (a stale bar is flat, a bar that bridged a hole
-- is damped). The partial index answers "which bars were flagged" without reading the clean ones.
alter table public.indicators add column if not exists quality jsonb not null default '[]'::jsonb;

create index if not exists indicators_flagged_idx on public.indicators (symbol, timeframe, bar_time)
  where quality <> '[]'::jsonb;
