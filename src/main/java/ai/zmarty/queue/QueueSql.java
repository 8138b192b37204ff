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

  static final String ARCHIVE = "select pgmq.archive($1::text, $2::bigint) as done";

  static final String DELETE = "select pgmq.delete($1::text, $2::bigint) as done";

  static final String SET_VT = "select msg_id from pgmq.set_vt($1::text, $2::bigint, $3::integer)";

  static final String METRICS_ALL =
      "select queue_name, queue_length, queue_visible_length, total_messages, oldest_msg_age_sec from pgmq.metrics_all() order by queue_name";

  /** Per queue: depth, messages ready now, and the age of the oldest ready one (seconds, null when none). */
  static final String WAITING = "select queue_name, queue_length, waiting, oldest_wait_sec from public.queue_waiting()";
}
