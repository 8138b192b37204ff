-- The nightly pipeline (`zmarty nightly`, or the scheduler's `ops.nightly.run`): one row per run
-- and one per step, so an operator (and the Prometheus export) can see what ran last night, how
-- long each step took and what failed. status: running, success, partial, failed.
create table if not exists public.pipeline_runs (
  run_id uuid primary key,
  pipeline text not null default 'nightly',
  node text not null,
  trigger text not null,
  status text not null check (status in ('running', 'success', 'partial', 'failed')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  duration_ms bigint,
  summary jsonb not null default '{}'::jsonb,
  error text
);

create index if not exists pipeline_runs_finished_idx on public.pipeline_runs (pipeline, finished_at desc);

create table if not exists public.pipeline_steps (
  run_id uuid not null references public.pipeline_runs (run_id) on delete cascade,
  position integer not null,
  step text not null,
  status text not null check (status in ('success', 'failed', 'skipped')),
  started_at timestamptz not null,
  duration_ms bigint not null,
  detail jsonb not null default '{}'::jsonb,
  primary key (run_id, position)
);

-- One run at a time in the whole cluster: the holder's row, renewed while it runs. A run whose
-- node died stops renewing; once expires_at has passed, the next start takes the lease over.
create table if not exists public.pipeline_lease (
  pipeline text primary key,
  run_id uuid not null,
  node text not null,
  started_at timestamptz not null,
  expires_at timestamptz not null
);
