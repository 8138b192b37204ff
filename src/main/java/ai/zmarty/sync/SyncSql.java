package ai.zmarty.sync;

/** The statements of the A→B sync: the outbox in A (relay) and the receipts and watchers in B (hook). */
final class SyncSql {
  private SyncSql() {}

  /** The channel the outbox trigger notifies with the new row's id. */
  static final String CHANNEL = "sync_outbox";

  // --- A: the outbox ---------------------------------------------------------------------------

  /** Rows still to deliver (neither delivered nor refused): {@code zmarty_sync_outbox_pending}. */
  static final String COUNT_PENDING = "select count(*) as pending from public.sync_outbox where delivered_at is null and refused_at is null";

  /**
   * Claims up to $1 due rows for $2 seconds by pushing their next attempt forward, in one statement:
   * another node's claim skips them (SKIP LOCKED while this runs, not due once committed), and a
   * node that dies mid-send leaves them to be tried again when the claim lapses. A row waits while
   * an older change to the same source row is undelivered, so each row's changes arrive in order.
   */
  static final String CLAIM_DUE =
      """
      with due as (
        select o.id
        from public.sync_outbox o
        where o.delivered_at is null and o.refused_at is null
          and o.next_attempt_at <= now()
          and not exists (
            select 1 from public.sync_outbox e
            where e.delivered_at is null and e.refused_at is null and e.row_key = o.row_key and e.id < o.id)
        order by o.id
        limit $1
        for update of o skip locked
      )
      update public.sync_outbox o
      set next_attempt_at = now() + make_interval(secs => $2::double precision)
      from due
      where o.id = due.id
      returning o.id, o.event_id, o.payload::text as body, o.attempts
      """;

  /** Rows a stopping relay was still sending: due again now (their claim given up), no attempt counted. */
  static final String GIVE_BACK = "update public.sync_outbox set next_attempt_at = now() where id = any($1) and delivered_at is null and refused_at is null";

  static final String MARK_DELIVERED =
      "update public.sync_outbox set delivered_at = now(), attempts = attempts + 1, last_error = null where id = $1";

  static final String MARK_FAILED =
      """
      update public.sync_outbox
      set attempts = attempts + 1, last_error = left($2, 2000), next_attempt_at = now() + make_interval(secs => $3::double precision)
      where id = $1 and delivered_at is null
      """;

  /** A delivery the receiver will never accept (dead): not retried, its answer kept for operators. */
  static final String MARK_REFUSED =
      "update public.sync_outbox set attempts = attempts + 1, last_error = left($2, 2000), refused_at = now() where id = $1 and delivered_at is null";

  /** Dead rows: how many, and the newest $1 with their last answer ({@code GET /admin/sync}). */
  static final String COUNT_STATES =
      """
      select count(*) filter (where delivered_at is null and refused_at is null) as pending,
             count(*) filter (where refused_at is not null) as dead,
             count(*) filter (where delivered_at is not null) as delivered
      from public.sync_outbox
      """;

  static final String LIST_DEAD =
      """
      select id, event_id, payload ->> 'type' as type, payload ->> 'table' as "table", attempts, last_error, created_at, refused_at
      from public.sync_outbox where refused_at is not null order by refused_at desc, id desc limit $1
      """;

  /**
   * Sends a dead row again: due now, with a fresh attempt count (SYNC_MAX_ATTEMPTS more tries).
   * Returns nothing when the row does not exist or is not dead.
   */
  static final String RETRY_DEAD =
      "update public.sync_outbox set refused_at = null, attempts = 0, next_attempt_at = now() where id = $1 and refused_at is not null returning id, event_id";

  static final String ROW_STATE = "select delivered_at is not null as delivered from public.sync_outbox where id = $1";

  /** Deletes up to $2 rows delivered more than $1 seconds ago; returns how many went. */
  static final String PURGE_DELIVERED =
      """
      with old as (
        select id from public.sync_outbox
        where delivered_at is not null and delivered_at < now() - make_interval(secs => $1::double precision)
        order by id limit $2
      )
      delete from public.sync_outbox o using old where o.id = old.id
      """;

  // --- B: receipts and watchers ----------------------------------------------------------------

  /** Returns the id when this delivery is new; no row when it was applied before. */
  static final String RECORD_DELIVERY = "insert into public.sync_deliveries (event_id) values ($1) on conflict do nothing returning event_id";

  /** Serialises changes to one pair, so two users adding it at once enqueue one ingest, not two. */
  static final String LOCK_PAIR = "select pg_advisory_xact_lock(hashtextextended('watchers:' || $1::text || ' ' || $2::text, 0))";

  /** Whether the scheduler enqueues the pair now: some watcher of it is active and not paused. */
  static final String PAIR_ACTIVE =
      "select exists (select 1 from public.watchers where symbol = $1 and timeframe = $2 and active and paused_at is null) as active";

  static final String ACTIVATE =
      """
      insert into public.watchers (user_id, symbol, timeframe, active) values ($1, $2, $3, true)
      on conflict (user_id, symbol, timeframe) do update set active = true, updated_at = now()
        where not public.watchers.active or public.watchers.paused_at is not null
      """;

  /** Adding a pair again resumes it for every watcher of it: the pause was the pair's, not a user's. */
  static final String RESUME_PAIR =
      """
      update public.watchers set paused_at = null, pause_reason = null, dead_letters = 0, updated_at = now()
      where symbol = $1 and timeframe = $2 and (paused_at is not null or dead_letters > 0)
      """;

  static final String DEACTIVATE =
      "update public.watchers set active = false, updated_at = now() where user_id = $1 and symbol = $2 and timeframe = $3 and active";
}
