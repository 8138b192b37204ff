package ai.zmarty.lens;

import ai.zmarty.bus.Addresses;
import ai.zmarty.queue.DeadLetterHook;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The enrichment worker's reads and writes in database B. Each outcome is one transaction: a
 * rejection (status, reason, timeline row); an enrichment (one statement: status {@code enriched},
 * the {@code enriched_events} row, the timeline row, the {@code lens_evaluate} message and the
 * event's open enrich DLQ entries resolved); a dead letter (the DLQ entry, status {@code failed}, the timeline
 * row). Each is guarded by the event's status, so a redelivered or concurrent message changes
 * nothing twice.
 */
public final class EnrichStore {
  private final Pool pool;
  private final String node;

  public EnrichStore(Pool pool, String node) {
    this.pool = pool;
    this.node = node;
  }

  public Future<Optional<EnrichEvent>> load(UUID id) {
    return pool.preparedQuery(EnrichSql.LOAD_EVENT).execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(event(rows.iterator().next())));
  }

  private static EnrichEvent event(Row r) {
    return new EnrichEvent(
        r.getUUID("event_id"), r.getString("source"), r.getString("symbol"), r.getString("event_type"), r.getString("direction"), r.getDouble("entry_price"), r.getDouble("size"),
        r.getDouble("liquidation_price"), r.getOffsetDateTime("ts_utc").toInstant(), r.getString("feature_profile"), r.getString("status"));
  }

  /** Appends a timeline row outside any other write (the start of an attempt). */
  public Future<Void> timeline(UUID id, String stage, String status, JsonObject detail) {
    return timeline(pool, id, stage, status, detail);
  }

  /** The start of an attempt, written when its outcome is not an enrichment (which writes it itself). */
  public Future<Void> started(UUID id, JsonObject detail, Instant at) {
    return pool.preparedQuery(EnrichSql.TIMELINE_AT).execute(Tuple.of(id, "enrich_started", "started", node, detail, at.atOffset(java.time.ZoneOffset.UTC))).mapEmpty();
  }

  private Future<Void> timeline(SqlClient client, UUID id, String stage, String status, JsonObject detail) {
    return client.preparedQuery(EnrichSql.TIMELINE).execute(Tuple.of(id, stage, status, node, detail)).mapEmpty();
  }

  /** Rejects the event with {@code reason}; false when it already had an outcome (nothing written). */
  public Future<Boolean> reject(UUID id, String reason, JsonObject detail) {
    return pool.withTransaction(conn -> conn.preparedQuery(EnrichSql.REJECT).execute(Tuple.of(id, reason)).compose(rows -> {
      if (rows.rowCount() == 0) {
        return Future.succeededFuture(false);
      }
      return timeline(conn, id, "rejected", "rejected", detail.copy().put("reason", reason)).map(true);
    }));
  }

  /**
   * The enrichment's row, status, next message and the attempt's two timeline rows (its start,
   * {@code started} at {@code startedAt}, and the enrichment), in one statement; false when the
   * event already had an outcome (nothing written).
   */
  public Future<Boolean> enriched(UUID id, String provider, String version, EnrichDocument d, double ageSeconds, JsonObject payload, int durationMs,
      JsonObject started, Instant startedAt) {
    JsonObject detail = new JsonObject().put("provider", provider).put("duration_ms", durationMs).put("payload_bytes", EnrichPayload.bytes(payload));
    Tuple row = Tuple.tuple()
        .addUUID(id).addString(provider).addString(version)
        .addValue(d.market()).addValue(d.ta()).addValue(d.levels()).addValue(d.derivatives()).addValue(d.orderbook())
        .addValue(d.dataTimestamps()).addValue(d.qualityFlags()).addDouble(ageSeconds).addValue(payload).addInteger(durationMs)
        .addString(node).addValue(detail).addString(Addresses.QUEUE_LENS_EVALUATE).addValue(started).addOffsetDateTime(startedAt.atOffset(java.time.ZoneOffset.UTC));
    return pool.preparedQuery(EnrichSql.ENRICHED).execute(row).map(rows -> rows.size() == 1);
  }

  /** The enrichment failed for good: its DLQ entry, status failed and timeline row, in one transaction. */
  public Future<Void> deadLetter(UUID id, String error, JsonObject payload, int attempts) {
    return pool.withTransaction(conn -> deadLetter(conn, id, error, payload, attempts));
  }

  /**
   * The poller's dead-letter hook for {@code lens_enrich}: a delivery that ran out of its {@code
   * maxReads} reads without the worker answering (a handler timeout) is recorded like a failure the
   * worker saw, in the poller's transaction. A payload without an event id records nothing.
   */
  public DeadLetterHook deadLetterHook(int maxReads) {
    return (conn, payload, error) -> {
      UUID id;
      try {
        id = EnrichVerticle.eventId(payload);
      } catch (IllegalArgumentException e) {
        return Future.succeededFuture();
      }
      return deadLetter(conn, id, error, payload, maxReads);
    };
  }

  /**
   * The same inside the caller's transaction: the poller's dead-letter hook for {@code lens_enrich},
   * when a delivery ran out of reads without the worker answering (a handler timeout).
   */
  public Future<Void> deadLetter(SqlClient conn, UUID id, String error, JsonObject payload, int attempts) {
    return conn.preparedQuery(EnrichSql.UPSERT_DLQ).execute(Tuple.of(id, error, payload))
        .compose(v -> conn.preparedQuery(EnrichSql.MARK_FAILED).execute(Tuple.of(id)))
        .compose(v -> timeline(conn, id, "dead_lettered", "failed", new JsonObject().put("stage", "enrich").put("error", error).put("attempts", attempts)));
  }
}
