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

  public RecentEvents(int capacity) {
    this.seen = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** True the first time an event is seen (and for events without an id); false for a repeat. */
  public boolean first(JsonObject event) {
    String id = event == null ? null : event.getString(EventOutbox.EVENT_ID);
    return id == null || seen.put(id, Boolean.TRUE) == null;
  }
}
