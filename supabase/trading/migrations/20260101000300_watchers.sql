-- Which (symbol, timeframe) pairs the workers keep computing: a copy of the users' choices in A,
-- kept in step by the signed A→B sync. One row per user and pair; a pair is active while any
-- user's row for it is active.
create table if not exists public.watchers (
  user_id uuid not null,
  symbol text not null,
  timeframe text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, symbol, timeframe)
);

create index if not exists watchers_active_pair_idx on public.watchers (symbol, timeframe) where active;
