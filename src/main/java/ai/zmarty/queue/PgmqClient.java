package ai.zmarty.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue package's one public entry for database B's pgmq queues. Every call is a single
 * statement, except {@link #deadLetter} which moves a message in one transaction.
 */
public final class PgmqClient {
  private final Pool pool;

  public PgmqClient(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** Enqueues {@code message}, readable after {@code delay} (rounded down to whole seconds). */
  public Future<Long> send(String queue, JsonObject message, Duration delay) {
    return send(pool, queue, message, delay);
  }

  public Future<Long> send(String queue, JsonObject message) {
    return send(queue, message, Duration.ZERO);
  }

  /** Enqueues inside the caller's transaction, so the message exists only if the caller commits. */
  public Future<Long> send(SqlClient client, String queue, JsonObject message, Duration delay) {
    return client
        .preparedQuery(QueueSql.SEND)
        .execute(Tuple.of(queue, message, (int) delay.toSeconds()))
        .map(rows -> rows.iterator().next().getLong("msg_id"));
  }

  /** Up to {@code qty} visible messages, each hidden for {@code visibility} from now, with the queue's depth. */
  public Future<List<QueueMessage>> read(String queue, Duration visibility, int qty) {
    return read(queue, visibility, qty, true);
  }

  /** The same; without {@code withDepth} each message's {@code queueDepth} is -1 (no count over the queue). */
  public Future<List<QueueMessage>> read(String queue, Duration visibility, int qty, boolean withDepth) {
    return pool
        .preparedQuery(withDepth ? QueueSql.READ : QueueSql.READ_NO_DEPTH)
        .execute(Tuple.of(queue, (int) Math.max(1, visibility.toSeconds()), qty))
        .map(PgmqClient::messages);
  }

  public Future<Boolean> archive(String queue, long msgId) {
    return pool.preparedQuery(QueueSql.ARCHIVE).execute(Tuple.of(queue, msgId)).map(rows -> rows.iterator().next().getBoolean("done"));
  }

  /** Archives {@code msgIds} in one statement; how many were archived (an id no longer in the queue is skipped). */
  public Future<Integer> archive(String queue, List<Long> msgIds) {
    return pool.preparedQuery(QueueSql.ARCHIVE_MANY).execute(Tuple.tuple().addString(queue).addArrayOfLong(msgIds.toArray(Long[]::new))).map(RowSet::size);
  }

  /** Makes every insert into {@code queue} notify {@link #INSERT_CHANNEL}; false when the queue does not exist. */
  public Future<Boolean> enableNotify(String queue) {
    return pool.preparedQuery(QueueSql.ENABLE_NOTIFY).execute(Tuple.of(queue)).map(rows -> rows.iterator().next().getBoolean("enabled"));
  }

  /** The channel each insert into a queue notifies (after {@link #enableNotify}), the queue's name in lower case as payload. */
  public static final String INSERT_CHANNEL = QueueSql.INSERT_CHANNEL;

  public Future<Boolean> delete(String queue, long msgId) {
    return pool.preparedQuery(QueueSql.DELETE).execute(Tuple.of(queue, msgId)).map(rows -> rows.iterator().next().getBoolean("done"));
  }

  /** Hides a message until {@code delay} from now; false when it no longer exists. */
  public Future<Boolean> setVisibleAfter(String queue, long msgId, Duration delay) {
    return pool.preparedQuery(QueueSql.SET_VT).execute(Tuple.of(queue, msgId, (int) delay.toSeconds())).map(rows -> rows.size() > 0);
  }

  /**
   * Moves a message to {@code deadLetterQueue} with its last error, in one transaction: it ends up
   * in exactly one of the two queues whatever fails.
   */
  public Future<Long> deadLetter(String queue, QueueMessage message, String deadLetterQueue, String error) {
    return deadLetter(queue, message, deadLetterQueue, error, null);
  }

  /** The same, running {@code hook} (when not null) in the same transaction. */
  public Future<Long> deadLetter(String queue, QueueMessage message, String deadLetterQueue, String error, DeadLetterHook hook) {
    JsonObject letter =
        new JsonObject()
            .put("queue", queue)
            .put("msg_id", message.msgId())
            .put("read_ct", message.readCount())
            .put("enqueued_at", message.enqueuedAt().toString())
            .put("failed_at", OffsetDateTime.now().toString())
            .put("error", error)
            .put("message", message.message())
            .put("headers", message.headers());
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(QueueSql.DELETE)
                .execute(Tuple.of(queue, message.msgId()))
                .compose(
                    deleted ->
                        deleted.iterator().next().getBoolean("done")
                            ? send(conn, deadLetterQueue, letter, Duration.ZERO)
                                .compose(id -> hook == null ? Future.succeededFuture(id) : hook.deadLettered(conn, message.message(), error).map(id))
                            : Future.failedFuture(new IllegalStateException("message " + message.msgId() + " is no longer in " + queue))));
  }

  public Future<List<QueueMetrics>> metricsAll() {
    return pool.query(QueueSql.METRICS_ALL)
        .execute()
        .map(
            rows -> {
              List<QueueMetrics> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(new QueueMetrics(r.getString("queue_name"), r.getLong("queue_length"), r.getLong("queue_visible_length"), r.getLong("total_messages"), r.getInteger("oldest_msg_age_sec")));
              }
              return out;
            });
  }

  /** How long each queue's oldest ready message has waited for a worker (for /healthz). */
  public Future<List<QueueWait>> waiting() {
    return pool.query(QueueSql.WAITING)
        .execute()
        .map(rows -> {
          List<QueueWait> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new QueueWait(r.getString("queue_name"), r.getLong("queue_length"), r.getLong("waiting"), r.getInteger("oldest_wait_sec")));
          }
          return out;
        });
  }

  private static List<QueueMessage> messages(RowSet<Row> rows) {
    List<QueueMessage> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Object headers = r.getValue("headers");
      out.add(
          new QueueMessage(
              r.getLong("msg_id"),
              r.getInteger("read_ct"),
              r.getOffsetDateTime("enqueued_at"),
              r.getOffsetDateTime("vt"),
              asObject(r.getValue("message")),
              headers instanceof JsonObject h ? h : new JsonObject(),
              r.getLong("queue_depth")));
    }
    return out;
  }

  /** pgmq allows any jsonb; a non-object payload is wrapped so handlers always get an object. */
  private static JsonObject asObject(Object value) {
    if (value instanceof JsonObject o) {
      return o;
    }
    return new JsonObject().put("value", value);
  }
}
