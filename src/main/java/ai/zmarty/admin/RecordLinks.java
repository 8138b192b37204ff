package ai.zmarty.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The record behind a dead-lettered job, from its payload: the pair of an ingest or signal job
 * ({@code symbol}, {@code timeframe}), the signal ({@code signal_id}), the outside event of a lens
 * job ({@code event_id}). {@code href} points at the API route that shows it, where one exists.
 */
final class RecordLinks {
  private RecordLinks() {}

  /** {kind, label, href?} or null when the payload names no record (a win-rate run over everything). */
  static JsonObject of(JsonObject payload) {
    if (payload == null) {
      return null;
    }
    if (payload.getValue("event_id") instanceof String event) {
      return new JsonObject().put("kind", "lens_event").put("label", "outside event " + event);
    }
    if (payload.getValue("signal_id") != null) {
      return new JsonObject().put("kind", "signal").put("label", "signal " + payload.getValue("signal_id"));
    }
    if (payload.getValue("symbol") instanceof String symbol) {
      String tf = payload.getValue("timeframe") instanceof String t ? t : null;
      JsonObject link = new JsonObject().put("kind", "pair").put("label", symbol + (tf == null ? "" : " " + tf))
          .put("href", "/signals?symbol=" + java.net.URLEncoder.encode(symbol, java.nio.charset.StandardCharsets.UTF_8) + (tf == null ? "" : "&timeframe=" + tf));
      return link;
    }
    return null;
  }

  /** The group with a {@code record} on each of its letters that has one. */
  static JsonObject linked(JsonObject group) {
    JsonArray letters = new JsonArray();
    for (Object o : group.getJsonArray("letters", new JsonArray())) {
      JsonObject letter = ((JsonObject) o).copy();
      JsonObject record = letter.getValue("message") instanceof JsonObject m ? of(m) : null;
      if (record != null) {
        letter.put("record", record);
      }
      letters.add(letter);
    }
    return group.copy().put("letters", letters);
  }
}
