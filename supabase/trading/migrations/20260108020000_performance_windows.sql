-- Per-source performance by window and by kind of source, for GET /analytics/leaderboard and
-- GET /analytics/performance. Windows as win_rate's: 'all', '30d', '7d' by signal bar time.
-- A source is identified by (source_kind, source): today kind 'strategy', one strategy on one
-- pair ('composite:BTC/USDT:4h'); an outside signal source (lens) becomes another kind with rows
-- of the same shape (docs/performance.md, "Sources and analytics"). Categories: `category` (the timeframe for strategy
-- sources) and `asset` (the symbol's base, BTC of BTC/USDT). Win rate and its Wilson interval are
-- derived from trades and wins when read, so every kind gets them the same way.
alter table public.performance add column if not exists source_kind text not null default 'strategy';
alter table public.performance add column if not exists window_name text not null default 'all';
alter table public.performance add column if not exists asset text;
update public.performance set asset = split_part(symbol, '/', 1) where asset is null;
alter table public.performance alter column asset set not null;

-- kinds that have no strategy or no timeframe (an outside source posts a symbol only)
alter table public.performance alter column strategy drop not null;
alter table public.performance alter column timeframe drop not null;

alter table public.performance drop constraint if exists performance_pkey;
alter table public.performance add constraint performance_pkey primary key (source_kind, source, window_name);
alter table public.performance add constraint performance_window_check check (window_name in ('all', '30d', '7d'));
alter table public.performance add constraint performance_kind_check check (source_kind ~ '^[a-z][a-z0-9_]{0,30}$');
alter table public.performance add constraint performance_trades_check check (trades >= 0 and wins between 0 and trades);

-- The leaderboard reads one window of one category or asset; the performance route one symbol.
drop index if exists public.performance_category_omega_idx;
create index if not exists performance_window_category_idx on public.performance (window_name, category);
create index if not exists performance_window_asset_idx on public.performance (window_name, asset);
create index if not exists performance_symbol_idx on public.performance (symbol, timeframe);
