package ai.zmarty.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's view of database B's queues and controls over them (the admin dashboard): queue
 * statistics, dead letters grouped by origin queue and error, moving letters back to their queue
 * or discarding them, and pausing or resuming a queue cluster-wide ({@code queue_pauses}, honoured
 * by every poller).
 */
public final class QueueAdmin {
  /** Letters listed per dead-letter group (the count covers them all). */
  public static final int LETTERS_PER_GROUP = 20;

  private final Pool pool;
  private final String deadLetterQueue;

  public QueueAdmin(Pool pool, String deadLetterQueue) {
    this.pool = pool;
    this.deadLetterQueue = deadLetterQueue;
  }

  public String deadLetterQueue() {
    return deadLetterQueue;
  }

  /** Per queue: {queue, depth, waiting, in_flight, delayed, oldest_age_sec, done_last_minute, total_messages}. */
  public Future<List<JsonObject>> stats() {
    return pool.query(QueueSql.ADMIN_STATS).execute().map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new JsonObject().put("queue", r.getString("queue_name")).put("depth", r.getLong("queue_length")).put("waiting", r.getLong("waiting"))
            .put("in_flight", r.getLong("in_flight")).put("delayed", r.getLong("delayed")).put("oldest_age_sec", r.getInteger("oldest_age_sec"))
            .put("done_last_minute", r.getLong("done_last_minute")).put("total_messages", r.getLong("total_messages")));
      }
      return out;
    });
  }

  /** The dead letters by {queue, error}: {queue, error, count, first_seen, last_seen, example, letters: [{id, message, read_ct}]}, newest group first. */
  public Future<List<JsonObject>> deadLetterGroups() {
    return pool.preparedQuery(QueueSql.DEAD_LETTER_GROUPS).execute(Tuple.of(deadLetterQueue, LETTERS_PER_GROUP)).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new JsonObject().put("queue", r.getString("queue")).put("error", r.getString("error")).put("count", r.getLong("count"))
            .put("first_seen", r.getOffsetDateTime("first_seen").toInstant().toString()).put("last_seen", r.getOffsetDateTime("last_seen").toInstant().toString())
            .put("example", r.getValue("example")).put("letters", r.getValue("letters") instanceof JsonArray a ? a : new JsonArray()));
      }
      return out;
    });
  }

  /** Moves letters {@code ids} back to the queues they came from; a {msg_id, queue, new_msg_id} per letter moved (ids no longer there are skipped). */
  public Future<List<JsonObject>> redrive(List<Long> ids) {
    return pool.withTransaction(conn -> conn.preparedQuery(QueueSql.REDRIVE).execute(Tuple.of(deadLetterQueue, (Object) ids.toArray(Long[]::new)))).map(QueueAdmin::moved);
  }

  /** Moves one group's letters back (those present when this runs). */
  public Future<List<JsonObject>> redriveGroup(String queue, String error) {
    return groupIds(queue, error).compose(this::redrive);
  }

  /** Discards one group's letters into the dead-letter queue's archive; how many. */
  public Future<Long> discardGroup(String queue, String error) {
    return groupIds(queue, error).compose(ids -> ids.isEmpty() ? Future.succeededFuture(0L)
        : pool.preparedQuery(QueueSql.DISCARD).execute(Tuple.of(deadLetterQueue, (Object) ids.toArray(Long[]::new))).map(rows -> rows.iterator().next().getLong("n")));
  }

  private Future<List<Long>> groupIds(String queue, String error) {
    return pool.preparedQuery(QueueSql.DEAD_LETTER_GROUP_IDS).execute(Tuple.of(deadLetterQueue, queue, error)).map(rows -> {
      Long[] ids = rows.iterator().next().getArrayOfLongs("ids");
      return ids == null ? List.of() : List.of(ids);
    });
  }

  private static List<JsonObject> moved(RowSet<Row> rows) {
    List<JsonObject> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new JsonObject().put("msg_id", r.getLong("msg_id")).put("queue", r.getString("queue_name")).put("new_msg_id", r.getLong("new_msg_id")));
    }
    return out;
  }

  public Future<Boolean> exists(String queue) {
    return pool.preparedQuery(QueueSql.QUEUE_EXISTS).execute(Tuple.of(queue)).map(rows -> rows.iterator().next().getBoolean("present"));
  }

  /** Pauses {@code queue} for every poller ({@code by}: who asked); the pollers learn it from the table and from {@code ops.queue.control}. */
  public Future<Void> pause(String queue, String by) {
    return pool.preparedQuery(QueueSql.PAUSE).execute(Tuple.of(queue, by)).mapEmpty();
  }

  /** Resumes {@code queue}; false when it was not paused. */
  public Future<Boolean> resume(String queue) {
    return pool.preparedQuery(QueueSql.RESUME).execute(Tuple.of(queue)).map(rows -> rows.size() > 0);
  }

  /** The paused queues: {queue, paused_at, paused_by}. */
  public Future<List<JsonObject>> paused() {
    return pool.query(QueueSql.PAUSED).execute().map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new JsonObject().put("queue", r.getString("queue_name")).put("paused_at", r.getOffsetDateTime("paused_at").toInstant().toString()).put("paused_by", r.getString("paused_by")));
      }
      return out;
    });
  }
}
