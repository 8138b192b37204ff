package ai.zmarty.lens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * One subscription of a decision socket: the models, symbols (canonical, e.g. {@code BTC/USDT})
 * and event types it wants; an empty set means all of that kind.
 */
public record DecisionSocketFilter(Set<String> models, Set<String> symbols, Set<String> eventTypes) {
  public static final DecisionSocketFilter ALL = new DecisionSocketFilter(Set.of(), Set.of(), Set.of());

  public DecisionSocketFilter {
    models = Set.copyOf(models);
    symbols = Set.copyOf(symbols);
    eventTypes = Set.copyOf(eventTypes);
  }

  /** Whether a decision (the {@code events.lens.decision} body) passes this filter. */
  public boolean matches(JsonObject decision) {
    return admits(models, decision.getValue("model")) && admits(symbols, decision.getValue("symbol")) && admits(eventTypes, decision.getValue("event_type"));
  }

  private static boolean admits(Set<String> wanted, Object value) {
    return wanted.isEmpty() || (value instanceof String s && wanted.contains(s));
  }

  public JsonObject toJson() {
    return new JsonObject().put("models", sorted(models)).put("symbols", sorted(symbols)).put("event_types", sorted(eventTypes));
  }

  private static JsonArray sorted(Set<String> values) {
    return new JsonArray(List.copyOf(values.stream().sorted().toList()));
  }
}
