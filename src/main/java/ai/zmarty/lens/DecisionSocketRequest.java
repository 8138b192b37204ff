package ai.zmarty.lens;

import ai.zmarty.market.Symbols;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A text frame a decision-socket client sent, read and checked:
 * {@code {"op":"subscribe"|"unsubscribe","models":[…],"symbols":[…],"event_types":[…]}} (each list
 * optional, empty or missing meaning all). Symbols are read in any form the project accepts and
 * kept canonical. A frame that is not such a message is a {@link Bad} naming the problem.
 */
public sealed interface DecisionSocketRequest {
  /** The longest list one field may carry. */
  int MAX_VALUES = 100;

  Set<String> EVENT_TYPES = Set.of("OPEN_SIGNAL", "CLOSE_SIGNAL");

  /** Adds {@code filter} to the socket's subscriptions. */
  record Subscribe(DecisionSocketFilter filter) implements DecisionSocketRequest {}

  /** Removes the subscription equal to {@code filter}, or every one when {@code all}. */
  record Unsubscribe(DecisionSocketFilter filter, boolean all) implements DecisionSocketRequest {}

  /** Not a request: the error frame's message. */
  record Bad(String message) implements DecisionSocketRequest {}

  static DecisionSocketRequest parse(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new Bad("a message must be a JSON object like {\"op\":\"subscribe\",\"models\":[],\"symbols\":[],\"event_types\":[]}");
    }
    for (String field : json.fieldNames()) {
      if (!Set.of("op", "models", "symbols", "event_types").contains(field)) {
        return new Bad("unknown field \"" + field + "\" (fields: op, models, symbols, event_types)");
      }
    }
    Object op = json.getValue("op");
    if (!"subscribe".equals(op) && !"unsubscribe".equals(op)) {
      return new Bad("op must be \"subscribe\" or \"unsubscribe\", got " + (op == null ? "nothing" : json.getValue("op").toString()));
    }
    try {
      Set<String> models = strings(json, "models");
      Set<String> symbols = new LinkedHashSet<>();
      for (String s : strings(json, "symbols")) {
        symbols.add(canonical(s));
      }
      Set<String> types = strings(json, "event_types");
      for (String t : types) {
        if (!EVENT_TYPES.contains(t)) {
          return new Bad("event_types: unknown event type \"" + t + "\" (known: CLOSE_SIGNAL, OPEN_SIGNAL)");
        }
      }
      DecisionSocketFilter filter = new DecisionSocketFilter(models, symbols, types);
      if (op.equals("subscribe")) {
        return new Subscribe(filter);
      }
      boolean all = !json.containsKey("models") && !json.containsKey("symbols") && !json.containsKey("event_types");
      return new Unsubscribe(filter, all);
    } catch (IllegalArgumentException e) {
      return new Bad(e.getMessage());
    }
  }

  private static String canonical(String symbol) {
    try {
      return Symbols.canonical(symbol);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("symbols: " + e.getMessage());
    }
  }

  private static Set<String> strings(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException(field + " must be an array of strings");
    }
    if (array.size() > MAX_VALUES) {
      throw new IllegalArgumentException(field + " lists " + array.size() + " values, at most " + MAX_VALUES);
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object v : array) {
      if (!(v instanceof String s) || s.isBlank() || s.length() > 64) {
        throw new IllegalArgumentException(field + " must be an array of non-empty strings of at most 64 characters");
      }
      out.add(s);
    }
    return out;
  }
}
