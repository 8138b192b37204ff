-- Win rates carry their Wilson 95 % interval, so a 70 % over 10 signals is not read like a 70 %
-- over 1,000. Windows: 'all', '30d' and '7d' (by signal bar time).
alter table public.win_rate add column if not exists ci_low numeric;
alter table public.win_rate add column if not exists ci_high numeric;

-- Performance per signal source (strategy on one symbol and timeframe), for the leaderboard.
create table if not exists public.performance (
  source text primary key,
  category text not null,
  strategy text not null,
  symbol text not null,
  timeframe text not null,
  trades integer not null,
  wins integer not null,
  pnl double precision not null,
  profit_factor double precision,
  expectancy double precision,
  sharpe double precision,
  sortino double precision,
  omega double precision,
  max_drawdown double precision not null,
  computed_at timestamptz not null default now()
);

create index if not exists performance_category_omega_idx on public.performance (category, omega desc nulls last);
