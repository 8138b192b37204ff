-- The paper position book the doubling guardrails act on: one position per pair, sized as a
-- fraction of the portfolio, and every decision the guardrails took (opened, doubled, or skipped
-- with the guard that stopped it), one per signal.
create table if not exists public.paper_positions (
  symbol text not null,
  timeframe text not null,
  direction text not null check (direction in ('long', 'short')),
  size_pct double precision not null check (size_pct > 0),
  last_score double precision not null,
  last_action_at timestamptz not null,
  updated_at timestamptz not null default now(),
  primary key (symbol, timeframe)
);

create table if not exists public.doubling_decisions (
  id bigint generated always as identity primary key,
  signal_id bigint not null references public.signals (id) on delete cascade,
  symbol text not null,
  timeframe text not null,
  bar_time timestamptz not null,
  direction text not null,
  action text not null check (action in ('open', 'double', 'skip')),
  guard text check (guard in ('score_delta', 'max_position', 'cooldown', 'volatility')),
  failed_guards jsonb not null default '[]'::jsonb,
  score double precision not null,
  previous_score double precision,
  position_pct double precision not null,
  volatility double precision,
  decided_at timestamptz not null default now(),
  constraint doubling_decisions_signal_key unique (signal_id),
  constraint doubling_decisions_skip_has_guard check ((action = 'skip') = (guard is not null))
);

create index if not exists doubling_decisions_pair_idx on public.doubling_decisions (symbol, timeframe, bar_time);
