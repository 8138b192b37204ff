package ai.zmarty.ops;

/** The ops package's statements: the scheduler's against database B, and the health checks' ping. */
final class SchedulerSql {
  private SchedulerSql() {}

  static final String HAS_PG_CRON = "select exists (select 1 from pg_extension where extname = 'pg_cron') as present";

  /** Scheduling the same name again replaces the job, so every ops node may run this at start. */
  static final String CRON_SCHEDULE = "select cron.schedule($1::text, $2::text, $3::text) as jobid";

  /** Takes the slot: a row comes back only for the one node whose insert made it. */
  static final String CLAIM_SLOT = "insert into public.scheduler_runs (job, slot) values ($1, $2) on conflict do nothing returning slot";

  static final String RECORD_MESSAGES = "update public.scheduler_runs set messages = $3 where job = $1 and slot = $2";

  static final String PRUNE_RUNS = "delete from public.scheduler_runs where job = $1 and fired_at < now() - interval '30 days'";

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
