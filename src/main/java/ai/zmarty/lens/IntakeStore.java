package ai.zmarty.lens;

import ai.zmarty.bus.Addresses;
import ai.zmarty.queue.PgmqClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/**
 * Writes an accepted signal: the event (status {@code queued}), its {@code received} timeline row
 * and its {@code lens_enrich} message, in one transaction, so none exists without the others. A
 * signal whose idempotency key its source already used comes back as the first event instead.
 */
public final class IntakeStore {
  private final Pool pool;
  private final PgmqClient queues;
  private final String node;

  public IntakeStore(Pool pool, PgmqClient queues, String node) {
    this.pool = pool;
    this.queues = queues;
    this.node = node;
  }

  /** What became of a signal: queued now, or the earlier event of the same key (same body or not). */
  public record Outcome(Kind kind, UUID eventId, String status) {
    public enum Kind {
      QUEUED,
      REPLAYED,
      CONFLICT
    }
  }

  public Future<Outcome> accept(IntakeRequest.Signal s) {
    UUID id = UUID.randomUUID();
    return pool.withTransaction(conn -> conn.preparedQuery(IntakeSql.EVENT_INSERT)
        .execute(Tuple.from(new Object[] {
            id, s.source(), s.idempotencyKey(), s.bodyHash(), s.eventType(), s.symbol(), s.direction(), s.entryPrice(), s.size(), s.liquidationPrice(),
            s.tsUtc(), s.featureProfile(), s.body()}))
        .compose(rows -> rows.size() == 1 ? queued(conn, id, s) : earlier(conn, s)));
  }

  private Future<Outcome> queued(SqlConnection conn, UUID id, IntakeRequest.Signal s) {
    JsonObject detail = new JsonObject().put("source", s.source()).put("symbol", s.symbol()).put("feature_profile", s.featureProfile());
    return timeline(conn, id, "received", "queued", node, detail)
        .compose(v -> queues.send(conn, Addresses.QUEUE_LENS_ENRICH, new JsonObject().put("event_id", id.toString()), Duration.ZERO))
        .map(msgId -> new Outcome(Outcome.Kind.QUEUED, id, "queued"));
  }

  private static Future<Outcome> earlier(SqlConnection conn, IntakeRequest.Signal s) {
    return conn.preparedQuery(IntakeSql.EVENT_BY_KEY).execute(Tuple.of(s.source(), s.idempotencyKey())).map(rows -> {
      Row r = rows.iterator().next();
      Outcome.Kind kind = r.getString("body_hash").equals(s.bodyHash()) ? Outcome.Kind.REPLAYED : Outcome.Kind.CONFLICT;
      return new Outcome(kind, r.getUUID("event_id"), r.getString("status"));
    });
  }

  /** Appends a stage transition to the event's timeline, in the caller's transaction. */
  static Future<Void> timeline(SqlConnection conn, UUID eventId, String stage, String status, String node, JsonObject detail) {
    return conn.preparedQuery(IntakeSql.TIMELINE_INSERT).execute(Tuple.of(eventId, stage, status, node, detail)).mapEmpty();
  }
}
