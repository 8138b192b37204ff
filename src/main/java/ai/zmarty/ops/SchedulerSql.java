package ai.zmarty.ops;

/** The ops package's statements: the scheduler's against database B, and the health checks' ping. */
final class SchedulerSql {
  private SchedulerSql() {}

  static final String HAS_PG_CRON = "select exists (select 1 from pg_extension where extname = 'pg_cron') as present";

  /** Scheduling the same name again replaces the job, so every ops node may run this at start. */
  static final String CRON_SCHEDULE = "select cron.schedule($1::text, $2::text, $3::text) as jobid";

  /** Removes a job this scheduler registered before and now runs in-app (its schedule changed), so it never runs twice. */
  static final String CRON_UNSCHEDULE = "select cron.unschedule(jobid) from cron.job where jobname = $1";

  /** pg_cron's command for a job: the same function the app runs, so both lock and skip alike. */
  static String cronCommand(String job, String enqueueSql) {
    return "select public.scheduler_run('" + job + "', $zq$" + enqueueSql + "$zq$)";
  }

  /** A run whose lease ran out (its node died or hung) stops blocking the job: it is marked failed. */
  static final String EXPIRE_LEASES =
      "update public.scheduler_runs set status = 'failed', finished_at = now(),"
          + " error = 'lease expired at ' || lease_until || ': node ' || coalesce(node, '?') || ' did not finish the run'"
          + " where job = $1 and status = 'running' and lease_until < now()";

  /**
   * Takes the slot and the job's one running place: a row comes back only for the one node whose
   * insert made it; none when the slot is taken or another run of the job is still running.
   */
  static final String CLAIM_SLOT =
      "insert into public.scheduler_runs (job, slot, status, trigger, started_at, lease_until, node)"
          + " values ($1, $2, 'running', $3, now(), now() + $4 * interval '1 millisecond', $5) on conflict do nothing returning slot";

  /** The run still holding the job, if any. */
  static final String RUNNING = "select slot, node, trigger, started_at from public.scheduler_runs where job = $1 and status = 'running'";

  /** A slot that could not fire because the job's previous run was still running. */
  static final String RECORD_SKIPPED =
      "insert into public.scheduler_runs (job, slot, status, trigger, started_at, finished_at, node, error)"
          + " values ($1, $2, 'skipped', 'schedule', now(), now(), $3, $4) on conflict do nothing";

  /** Runs a SQL job through the shared function (the job's lock; pg_cron's running runs skip it). */
  static final String RUN_SQL_JOB = "select public.scheduler_run($1, $2) as messages";

  static final String FINISH =
      "update public.scheduler_runs set status = $3, finished_at = now(), messages = $4, error = $5, result = $6"
          + " where job = $1 and slot = $2 and status = 'running'";

  static final String PRUNE_RUNS = "delete from public.scheduler_runs where job = $1 and fired_at < now() - interval '30 days'";

  /** The app's latest runs of a job, newest first. */
  static final String APP_RUNS =
      "select slot, trigger, status, started_at, finished_at, node, messages, error, result from public.scheduler_runs"
          + " where job = $1 order by fired_at desc limit $2";

  /** pg_cron's latest runs of a job, newest first (1.4's columns). */
  static final String CRON_RUNS =
      "select d.runid, d.status, d.return_message, d.start_time, d.end_time from cron.job_run_details d join cron.job j on j.jobid = d.jobid"
          + " where j.jobname = $1 order by d.runid desc limit $2";

  /**
   * One ingest message per distinct active pair that is not paused and has no ingest message still
   * waiting or running (when the workers fall behind, a run does not pile a second job per pair
   * on the first), set-based; also pg_cron's
   * command, so both ways of scheduling enqueue the same thing. The messages are spread over
   * {@code spreadSeconds}: the n-th of N pairs (by symbol, timeframe) becomes visible after
   * (n − 1) · spread / N whole seconds, so 1,000 pairs reach the workers a few at a time instead of
   * at once. The spread is a number this class computed from the configuration, never input.
   */
  static String enqueueIngest(long spreadSeconds) {
    return "select pgmq.send('ingest_indicators'::text, jsonb_build_object('symbol', w.symbol, 'timeframe', w.timeframe),"
        + " ((w.n - 1) * " + spreadSeconds + " / w.total)::int) as msg_id"
        + " from (select symbol, timeframe, row_number() over (order by symbol, timeframe) as n, count(*) over () as total"
        + " from (select distinct symbol, timeframe from public.watchers where active and paused_at is null"
        + " except select message->>'symbol', message->>'timeframe' from pgmq.q_ingest_indicators) d) w";
  }

  static final String ENQUEUE_WINRATE = "select pgmq.send('compute_winrate'::text, '{}'::jsonb, 0) as msg_id";

  /** The health check's round trip to a database. */
  static final String PING = "select 1";
}
