package ai.zmarty.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes an event to be published on the bus, inside the caller's transaction: it exists, and is
 * published (by {@link EventPublisherVerticle}), only if the caller commits. The body carries an
 * id ({@code event_id}, or the field the caller names); the outbox publishes at least once, so
 * subscribers drop repeats with {@link RecentEvents}.
 *
 * <p>A writer that publishes its events itself right after its commit (the fast path) adds them
 * {@linkplain #addAll(SqlConnection, String, List, String, Duration) held} for a while and then
 * {@linkplain #markPublished marks} them: the publishers leave a held row alone, so they only
 * publish it when the writer died between its commit and its mark.
 */
public final class EventOutbox {
  public static final String EVENT_ID = "event_id";

  private EventOutbox() {}

  /** Adds {@code body} (given an {@code event_id} when it has none) for {@code address}; returns the body as it will be published. */
  public static Future<JsonObject> add(SqlConnection conn, String address, JsonObject body) {
    return addAll(conn, address, List.of(body)).map(List::getFirst);
  }

  /** Adds every body for {@code address} in one statement; returns them as they will be published. */
  public static Future<List<JsonObject>> addAll(SqlConnection conn, String address, List<JsonObject> bodies) {
    return addAll(conn, address, bodies, EVENT_ID, Duration.ZERO);
  }

  /**
   * Adds every body for {@code address}, each identified by its field {@code idField} (a UUID;
   * given a random one when missing), not due before {@code heldFor} has passed. A body whose id
   * is already in the outbox is not added again. Returns the bodies as they will be published.
   */
  public static Future<List<JsonObject>> addAll(SqlConnection conn, String address, List<JsonObject> bodies, String idField, Duration heldFor) {
    if (bodies.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<JsonObject> events = new ArrayList<>(bodies.size());
    UUID[] ids = new UUID[bodies.size()];
    String[] texts = new String[bodies.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonObject event = bodies.get(i).copy();
      if (!event.containsKey(idField)) {
        event.put(idField, UUID.randomUUID().toString());
      }
      events.add(event);
      ids[i] = UUID.fromString(event.getString(idField));
      texts[i] = event.encode();
    }
    return conn.preparedQuery(OutboxSql.ADD).execute(Tuple.of(ids, address, texts, heldFor.toMillis() / 1000.0)).map(events);
  }

  /** Marks the events of these ids published (the writer published them itself); answers how many were still unpublished. */
  public static Future<Integer> markPublished(SqlClient client, List<UUID> ids) {
    return client.preparedQuery(OutboxSql.MARK_PUBLISHED_BY_EVENT).execute(Tuple.of((Object) ids.toArray(UUID[]::new))).map(rows -> rows.rowCount());
  }
}
