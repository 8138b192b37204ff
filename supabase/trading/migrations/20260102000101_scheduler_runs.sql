-- The in-app scheduler's cluster-wide lock: a period's slot (epoch milliseconds / period) is
-- fired by the one node whose insert of (job, slot) takes the row, in the same transaction as the
-- messages it enqueues. Unused where pg_cron runs the schedules.
create table if not exists public.scheduler_runs (
  job text not null,
  slot bigint not null,
  fired_at timestamptz not null default now(),
  messages integer,
  primary key (job, slot)
);
