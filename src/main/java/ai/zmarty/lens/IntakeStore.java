package ai.zmarty.lens;

import ai.zmarty.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Writes an accepted signal: the event (status {@code queued}), its {@code received} timeline row
 * and its {@code lens_enrich} message, in one statement (one transaction, one round trip), so none
 * exists without the others. A signal whose idempotency key its source already used comes back as
 * the first event instead.
 */
public final class IntakeStore {
  private final Pool pool;
  private final String node;

  public IntakeStore(Pool pool, String node) {
    this.pool = pool;
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

  /**
   * One statement writes the event, its timeline row and its message; only when the idempotency key
   * was used before does a second one read the first event.
   */
  public Future<Outcome> accept(IntakeRequest.Signal s) {
    UUID id = UUID.randomUUID();
    JsonObject detail = new JsonObject().put("source", s.source()).put("symbol", s.symbol()).put("feature_profile", s.featureProfile());
    return pool.preparedQuery(IntakeSql.ACCEPT)
        .execute(Tuple.from(new Object[] {
            id, s.source(), s.idempotencyKey(), s.bodyHash(), s.eventType(), s.symbol(), s.direction(), s.entryPrice(), s.size(), s.liquidationPrice(),
            s.tsUtc(), s.featureProfile(), s.body(), node, detail, Addresses.QUEUE_LENS_ENRICH}))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(new Outcome(Outcome.Kind.QUEUED, id, "queued")) : earlier(s));
  }

  private Future<Outcome> earlier(IntakeRequest.Signal s) {
    return pool.preparedQuery(IntakeSql.EVENT_BY_KEY).execute(Tuple.of(s.source(), s.idempotencyKey())).map(rows -> {
      if (rows.size() == 0) { // the first event's insert was rolled back meanwhile: the sender retries
        throw new IllegalStateException("idempotency_key '" + s.idempotencyKey() + "' of source " + s.source() + " conflicted, but its event is gone");
      }
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
