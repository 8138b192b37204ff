package ai.zmarty.outbox;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subscriber's memory of the event ids it has seen lately, to drop the rare repeat the outbox's
 * at-least-once publishing can cause. Bounded: the oldest id is forgotten past {@code capacity}.
 * Not thread-safe: one per consumer, used on its event loop.
 */
public final class RecentEvents {
  private final Map<String, Boolean> seen;
  private final String idField;

  /** Remembers the last {@code capacity} events by their {@code event_id}. */
  public RecentEvents(int capacity) {
    this(capacity, EventOutbox.EVENT_ID);
  }

  /** Remembers the last {@code capacity} events by their field {@code idField}. */
  public RecentEvents(int capacity, String idField) {
    this.idField = idField;
    this.seen = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** True the first time an event is seen (and for events without an id); false for a repeat. */
  public boolean first(JsonObject event) {
    String id = event == null ? null : event.getString(idField);
    return id == null || seen.put(id, Boolean.TRUE) == null;
  }
}
