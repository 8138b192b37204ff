-- What the ingest worker derives from candles. Every key is (symbol, timeframe, bar) so a job
-- that runs twice overwrites its own rows instead of adding new ones.
create table if not exists public.indicators (
  symbol text not null,
  timeframe text not null,
  bar_time timestamptz not null,
  close numeric not null,
  values jsonb not null,
  warm boolean not null default false,
  computed_at timestamptz not null default now(),
  primary key (symbol, timeframe, bar_time)
);

create table if not exists public.risk_metric (
  symbol text not null,
  timeframe text not null,
  bar_time timestamptz not null,
  volatility numeric not null,
  atr_pct numeric,
  drawdown numeric,
  risk_score numeric check (risk_score between 0 and 1),
  computed_at timestamptz not null default now(),
  primary key (symbol, timeframe, bar_time)
);

create table if not exists public.liq_clusters (
  symbol text not null,
  side text not null check (side in ('long', 'short')),
  price_bin numeric not null,
  notional numeric not null,
  intensity numeric not null default 0,
  updated_at timestamptz not null default now(),
  primary key (symbol, side, price_bin)
);
