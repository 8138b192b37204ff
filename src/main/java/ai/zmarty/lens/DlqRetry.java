package ai.zmarty.lens;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.queue.PgmqClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a dead letter back to its stage's queue. One transaction: the entry locked, the message
 * enqueued, {@code retry_count + 1} and {@code last_retry_at}, a failed event put back to the status
 * its stage starts from, and a {@code retried} timeline row; a retry that fails leaves none of it.
 * {@code resolved_at} is set by the stage's worker once the event gets through it.
 */
public final class DlqRetry {
  private static final Logger log = LoggerFactory.getLogger(DlqRetry.class);

  private final Pool pool;
  private final PgmqClient queues;
  private final String node;

  public DlqRetry(Pool pool, PgmqClient queues, String node) {
    this.pool = pool;
    this.queues = queues;
    this.node = node;
  }

  /** The retried entry; fails with a NOT_FOUND (unknown, or another source's) or CONFLICT (resolved) code. */
  public Future<JsonObject> retry(long id, Optional<String> onlySource) {
    return pool.withTransaction(conn -> conn.preparedQuery(IntakeSql.DLQ_LOCK).execute(Tuple.of(id, onlySource.orElse(null))).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ErrorCode.NOT_FOUND.exception("no dead letter " + id));
      }
      Row entry = rows.iterator().next();
      if (entry.getValue("resolved_at") != null) {
        return Future.failedFuture(ErrorCode.CONFLICT.exception("dead letter " + id + " was resolved at " + entry.getOffsetDateTime("resolved_at") + ": nothing to retry"));
      }
      return requeue(conn, id, entry);
    })).onSuccess(out -> log.info("dead letter retried {} {} {}", kv("event_id", out.getString("event_id")), kv("stage", out.getString("stage")), kv("retry_count", out.getInteger("retry_count"))));
  }

  private Future<JsonObject> requeue(SqlConnection conn, long id, Row entry) {
    String stage = entry.getString("stage");
    UUID eventId = entry.getUUID("event_id");
    String queue = stage.equals("enrich") ? Addresses.QUEUE_LENS_ENRICH : Addresses.QUEUE_LENS_EVALUATE;
    JsonObject message = eventId != null ? new JsonObject().put("event_id", eventId.toString()) : (JsonObject) entry.getValue("payload");
    return queues.send(conn, queue, message, Duration.ZERO).compose(msgId -> conn.preparedQuery(IntakeSql.DLQ_RETRIED).execute(Tuple.of(id)).compose(rows -> {
      Row r = rows.iterator().next();
      JsonObject out = new JsonObject().put("id", id).put("event_id", eventId == null ? null : eventId.toString()).put("stage", stage).put("queue", queue)
          .put("msg_id", msgId).put("retry_count", r.getInteger("retry_count")).put("last_retry_at", r.getOffsetDateTime("last_retry_at").toString());
      if (eventId == null) {
        return Future.succeededFuture(out);
      }
      String startStatus = stage.equals("enrich") ? "queued" : "enriched";
      return conn.preparedQuery(IntakeSql.EVENT_BACK_TO_STAGE).execute(Tuple.of(eventId, startStatus))
          .compose(v -> IntakeStore.timeline(conn, eventId, "retried", startStatus, node, new JsonObject().put("dlq_id", id).put("stage", stage).put("retry_count", out.getInteger("retry_count"))))
          .map(out);
    }));
  }
}
