package ai.zmarty.queue;

/** The pgmq statements this package runs (pgmq 1.5.1 API: the extension or our own migration). */
final class QueueSql {
  private QueueSql() {}

  static final String SEND = "select pgmq.send($1::text, $2::jsonb, $3::integer) as msg_id";

  /**
   * Reads a batch, with the queue's depth at that moment (its messages, read ones included). The
   * uncorrelated scalar subquery runs once per batch, and only when the read returned messages.
   */
  static final String READ =
      "select msg_id, read_ct, enqueued_at, vt, message, headers, (select m.queue_length from pgmq.metrics($1::text) m) as queue_depth from pgmq.read($1::text, $2::integer, $3::integer)";

  /** The same read without the depth: the poller measures a queue's depth at most once a second (a count over the queue). */
  static final String READ_NO_DEPTH =
      "select msg_id, read_ct, enqueued_at, vt, message, headers, -1::bigint as queue_depth from pgmq.read($1::text, $2::integer, $3::integer)";

  static final String ARCHIVE = "select pgmq.archive($1::text, $2::bigint) as done";

  /** Archives many messages in one statement; a row per message archived (those still in the queue). */
  static final String ARCHIVE_MANY = "select archived from pgmq.archive($1::text, $2::bigint[]) as archived";

  /** Puts the insert-notification trigger on a queue (migration 20260109070000); false when the queue does not exist. */
  static final String ENABLE_NOTIFY = "select public.queue_enable_notify($1::text) as enabled";

  /** The channel every queue insert notifies, with the queue's name in lower case as the payload. */
  static final String INSERT_CHANNEL = "pgmq_insert";

  static final String DELETE = "select pgmq.delete($1::text, $2::bigint) as done";

  static final String SET_VT = "select msg_id from pgmq.set_vt($1::text, $2::bigint, $3::integer)";

  static final String METRICS_ALL =
      "select queue_name, queue_length, queue_visible_length, total_messages, oldest_msg_age_sec from pgmq.metrics_all() order by queue_name";

  /** Per queue: depth, messages ready now, and the age of the oldest ready one (seconds, null when none). */
  static final String WAITING = "select queue_name, queue_length, waiting, oldest_wait_sec from public.queue_waiting()";

  /** Per queue: depth, ready, in flight, delayed, oldest age, archived in the last minute, total ever sent (the admin dashboard). */
  static final String ADMIN_STATS =
      "select queue_name, queue_length, waiting, in_flight, delayed, oldest_age_sec, done_last_minute, total_messages from public.admin_queue_stats()";

  /**
   * The dead letters grouped by the queue they came from and their last error: count, first and
   * last failure, the newest payload as an example, and the newest {@code $2} letters (id, payload).
   */
  static final String DEAD_LETTER_GROUPS =
      "select letter->>'queue' as queue, letter->>'error' as error, count(*) as count,"
          + " min(coalesce((letter->>'failed_at')::timestamptz, enqueued_at)) as first_seen,"
          + " max(coalesce((letter->>'failed_at')::timestamptz, enqueued_at)) as last_seen,"
          + " (array_agg(letter->'message' order by msg_id desc))[1] as example,"
          + " to_jsonb((array_agg(jsonb_build_object('id', msg_id, 'message', letter->'message', 'read_ct', letter->'read_ct') order by msg_id desc))[1:$2]) as letters"
          + " from public.dead_letters($1) group by 1, 2 order by last_seen desc limit 100";

  /** The ids of one group's letters (same origin queue and error). */
  static final String DEAD_LETTER_GROUP_IDS =
      "select coalesce(array_agg(msg_id), '{}') as ids from public.dead_letters($1) where letter->>'queue' = $2 and letter->>'error' = $3";

  /** Moves letters back to their queues in one transaction; a row per letter moved. */
  static final String REDRIVE = "select msg_id, queue_name, new_msg_id from public.dead_letters_redrive($1::text, $2::bigint[])";

  /** Discards letters into the dead-letter queue's archive (kept there, out of the queue). */
  static final String DISCARD = "select count(*) as n from pgmq.archive($1::text, $2::bigint[])";

  static final String PAUSE = "insert into public.queue_pauses (queue_name, paused_by) values ($1, $2) on conflict (queue_name) do update set paused_at = now(), paused_by = excluded.paused_by returning paused_at";

  static final String RESUME = "delete from public.queue_pauses where queue_name = $1 returning queue_name";

  static final String PAUSED = "select queue_name, paused_at, paused_by from public.queue_pauses order by queue_name";

  static final String QUEUE_EXISTS = "select exists (select 1 from pgmq.meta where queue_name = $1) as present";
}
