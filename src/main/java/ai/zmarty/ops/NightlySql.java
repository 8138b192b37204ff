package ai.zmarty.ops;

/** The nightly pipeline's statements against database B ({@link PipelineStore}, {@link NightlyPipeline}). */
final class NightlySql {
  private NightlySql() {}

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
      "select (select count(*) from public.win_rate) as win_rate_rows, (select count(*) from public.performance) as performance_sources,"
          + " (select count(distinct category) from public.performance) as leaderboard_categories";

  /** The last finished run, for the metrics export. */
  static final String LAST_RUN = "select run_id, status, finished_at from public.pipeline_runs where pipeline = $1 and finished_at is not null order by finished_at desc limit 1";
}
