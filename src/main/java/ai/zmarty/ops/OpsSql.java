package ai.zmarty.ops;

/**
 * The ops package's statements, all against database B unless said: the scheduler's (its own
 * {@code scheduler_runs}, pg_cron's {@code cron.*}), the health checks' (read-only looks at every
 * database and at the workers' tables) and the nightly pipeline's (its own {@code pipeline_*}).
 * One holder for the package, as every other package keeps one.
 */
final class OpsSql {
  private OpsSql() {}

  // --- Scheduler (SchedulerVerticle, CronRuns) ------------------------------------------------

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

  // --- Health checks (SystemChecks, DataJudgement) --------------------------------------------

  static final String VERSION = "select current_setting('server_version') as version";

  /** The newest migration Flyway applied successfully; fails when the history table is missing. */
  static final String SCHEMA_VERSION = "select max(version) as version, count(*) filter (where not success) as failed from public.zmarty_schema_history where version is not null";

  /** Which of the listed tables exist in public or pgmq schema, with the statistics' live-row count. */
  static final String TABLES =
      """
      select c.relname as name, greatest(coalesce(s.n_live_tup, 0), c.reltuples::bigint) as rows
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      left join pg_stat_user_tables s on s.relid = c.oid
      where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname = any($1::text[])
      """;

  /** Every active, unpaused pair with the open time of its newest indicator bar (null: none). */
  static final String NEWEST_BARS =
      """
      select p.symbol, p.timeframe,
             (select max(i.bar_time) from public.indicators i where i.symbol = p.symbol and i.timeframe = p.timeframe) as newest
      from (select distinct symbol, timeframe from public.watchers where active and paused_at is null) p
      """;

  /** Per pair: long/short signals and resolved ones counted again, beside the stored 'all' sample size. */
  static final String PAIR_COUNTS =
      """
      with s as (
        select symbol, timeframe, count(*) as signals, count(*) filter (where outcome is not null) as resolved,
               min(bar_time) as oldest, max(horizon_bars) as horizon
        from public.signals where direction <> 'flat' group by symbol, timeframe
      ),
      w as (select symbol, timeframe, sample_size from public.win_rate where window_name = 'all')
      select coalesce(s.symbol, w.symbol) as symbol, coalesce(s.timeframe, w.timeframe) as timeframe,
             coalesce(s.signals, 0) as signals, coalesce(s.resolved, 0) as resolved, s.oldest, coalesce(s.horizon, 0) as horizon,
             w.sample_size
      from s full join w on s.symbol = w.symbol and s.timeframe = w.timeframe
      """;

  // --- Nightly pipeline (PipelineStore, NightlyPipeline) --------------------------------------

  static final String PIPELINE = "nightly";

  /** The lease row, locked for the rest of the transaction; {@code expired} by B's clock. */
  static final String LEASE_FOR_UPDATE = "select run_id, node, started_at, expires_at < now() as expired from public.pipeline_lease where pipeline = $1 for update";

  /** Takes a free lease; no row back when a concurrent start inserted first. */
  static final String LEASE_INSERT =
      "insert into public.pipeline_lease (pipeline, run_id, node, started_at, expires_at) values ($1, $2, $3, now(), now() + make_interval(secs => $4))"
          + " on conflict (pipeline) do nothing returning run_id";

  /** Takes over an expired lease (the caller holds its row lock). */
  static final String LEASE_TAKE_OVER = "update public.pipeline_lease set run_id = $2, node = $3, started_at = now(), expires_at = now() + make_interval(secs => $4) where pipeline = $1";

  /** The run of a node that died: failed, with the reason. */
  static final String ABANDON_RUN = "update public.pipeline_runs set status = 'failed', finished_at = now(), error = $2 where run_id = $1 and status = 'running'";

  static final String LEASE_RENEW = "update public.pipeline_lease set expires_at = now() + make_interval(secs => $3) where pipeline = $1 and run_id = $2 returning run_id";

  static final String LEASE_RELEASE = "delete from public.pipeline_lease where pipeline = $1 and run_id = $2";

  static final String RUN_START = "insert into public.pipeline_runs (run_id, pipeline, node, trigger, status) values ($1, $2, $3, $4, 'running') returning started_at";

  static final String RUN_FINISH = "update public.pipeline_runs set status = $2, finished_at = now(), duration_ms = $3, summary = $4, error = $5 where run_id = $1";

  static final String STEP = "insert into public.pipeline_steps (run_id, position, step, status, started_at, duration_ms, detail) values ($1, $2, $3, $4, $5, $6, $7)";

  /** The pairs the ingest step fills: every active pair that is not paused (as the scheduler enqueues). */
  static final String ACTIVE_PAIRS = "select distinct symbol, timeframe from public.watchers where active and paused_at is null order by symbol, timeframe";

  /** The pairs whose win rates and performance the last step recomputes: every pair with a long or short signal. */
  static final String SIGNAL_PAIRS = "select distinct symbol, timeframe from public.signals where direction <> 'flat' order by symbol, timeframe";

  /** What the win-rate job left behind, for the summary. */
  static final String ROLLUP_COUNTS =
      "select (select count(*) from public.win_rate) as win_rate_rows,"
          + " (select count(*) from public.performance where window_name = 'all') as performance_sources,"
          + " (select count(distinct category) from public.performance where window_name = 'all') as leaderboard_categories";

  /** The last finished run, for the metrics export. */
  static final String LAST_RUN = "select run_id, status, finished_at from public.pipeline_runs where pipeline = $1 and finished_at is not null order by finished_at desc limit 1";
}
