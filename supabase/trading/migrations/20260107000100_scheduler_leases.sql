-- Cron schedules (issue 11 §5). A scheduler_runs row is now one run of a job: slot is the
-- scheduled fire time in epoch milliseconds (a manual run: minus the request time, so it never
-- takes a scheduled slot). The primary key (job, slot) lets one node fire each slot; the partial
-- unique index lets one run of a job be 'running' at a time, and lease_until releases a run whose
-- node died (the next claim marks it failed).
alter table public.scheduler_runs
  add column if not exists status text not null default 'succeeded',
  add column if not exists trigger text not null default 'schedule',
  add column if not exists started_at timestamptz,
  add column if not exists finished_at timestamptz,
  add column if not exists lease_until timestamptz,
  add column if not exists node text,
  add column if not exists error text,
  add column if not exists result jsonb;

alter table public.scheduler_runs drop constraint if exists scheduler_runs_status_check;
alter table public.scheduler_runs add constraint scheduler_runs_status_check
  check (status in ('running', 'succeeded', 'failed', 'skipped'));

create unique index if not exists scheduler_runs_one_running on public.scheduler_runs (job) where status = 'running';
create index if not exists scheduler_runs_recent on public.scheduler_runs (job, fired_at desc);

-- Runs one scheduled SQL job: the command pg_cron runs (and the app, for the same job). It takes
-- the job's advisory lock for the transaction, and where pg_cron is installed it refuses to start
-- while another run of the same pg_cron job is still running in cron.job_run_details (its backend
-- alive in pg_stat_activity: a run whose backend died does not block). A refusal raises an error
-- starting 'skipped:', which pg_cron records as a failed run with that message.
create or replace function public.scheduler_run(p_job text, p_command text) returns integer
language plpgsql as $$
declare
  other record;
  n integer;
begin
  if not pg_try_advisory_xact_lock(hashtext('zmarty_scheduler'), hashtext(p_job)) then
    raise exception 'skipped: another run of % is still running', p_job;
  end if;
  if to_regclass('cron.job_run_details') is not null then
    execute 'select d.runid, d.job_pid, d.start_time from cron.job_run_details d join cron.job j on j.jobid = d.jobid'
         || ' where j.jobname = $1 and d.status in (''starting'', ''running'') and d.job_pid <> pg_backend_pid()'
         || ' and exists (select 1 from pg_stat_activity a where a.pid = d.job_pid) order by d.runid limit 1'
      into other using 'zmarty_' || p_job;
    if other.runid is not null then
      raise exception 'skipped: run % of zmarty_% (pid %) still running since %', other.runid, p_job, other.job_pid, other.start_time;
    end if;
  end if;
  execute format('select count(*)::int from (%s) s', p_command) into n;
  return n;
end $$;

-- It runs the statement it is given: only the owner (the app's and pg_cron's user) may call it, so
-- on Supabase PostgREST cannot offer it to anon or authenticated callers.
revoke all on function public.scheduler_run(text, text) from public;
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'anon') then
    execute 'revoke all on function public.scheduler_run(text, text) from anon, authenticated';
  end if;
end $$;
