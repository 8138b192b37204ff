package ai.zmarty.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes an event to be published on the bus, inside the caller's transaction: it exists, and is
 * published (by {@link EventPublisherVerticle}), only if the caller commits. The body carries an
 * {@code event_id}; the outbox publishes at least once, so subscribers drop repeats with {@link RecentEvents}.
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
    if (bodies.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<JsonObject> events = new ArrayList<>(bodies.size());
    UUID[] ids = new UUID[bodies.size()];
    String[] texts = new String[bodies.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonObject event = bodies.get(i).copy();
      if (!event.containsKey(EVENT_ID)) {
        event.put(EVENT_ID, UUID.randomUUID().toString());
      }
      events.add(event);
      ids[i] = UUID.fromString(event.getString(EVENT_ID));
      texts[i] = event.encode();
    }
    return conn.preparedQuery(OutboxSql.ADD).execute(Tuple.of(ids, address, texts)).map(events);
  }
}
