-- Strategy output: at most one signal per symbol, timeframe and bar, whatever the retries.
create table if not exists public.signals (
  id bigint generated always as identity primary key,
  symbol text not null,
  timeframe text not null,
  bar_time timestamptz not null,
  strategy text not null default 'composite',
  direction text not null check (direction in ('long', 'short', 'flat')),
  score numeric not null check (score between 0 and 1),
  entry numeric not null,
  stop numeric,
  targets jsonb not null default '[]'::jsonb,
  reasons jsonb not null default '[]'::jsonb,
  horizon_bars integer not null default 12,
  outcome text check (outcome in ('win', 'loss')),
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  constraint signals_symbol_timeframe_bar_key unique (symbol, timeframe, bar_time)
);

create index if not exists signals_unresolved_idx on public.signals (symbol, timeframe, bar_time) where outcome is null;

-- Win rate per symbol, timeframe and window, recomputed set-based from signals.
create table if not exists public.win_rate (
  symbol text not null,
  timeframe text not null,
  window_name text not null default 'all',
  wins integer not null default 0,
  losses integer not null default 0,
  sample_size integer not null default 0,
  win_rate numeric,
  computed_at timestamptz not null default now(),
  primary key (symbol, timeframe, window_name)
);
