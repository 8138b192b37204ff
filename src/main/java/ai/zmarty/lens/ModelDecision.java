package ai.zmarty.lens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One model's judgement of one outside signal, in the shape of the {@code ModelDecision} contract
 * ({@code docs/contracts/model.decision.json}): {@code decision} ENTER, WAIT or IGNORE,
 * {@code confidence} 0–1, {@code entry_plan} {order_type, price}, {@code risk_plan} {stop,
 * targets}, {@code size_pct} (percent of the portfolio) and {@code reasons}. The plans are null
 * only in a fallback, which no model made.
 */
public record ModelDecision(String decision, double confidence, JsonObject entryPlan, JsonObject riskPlan, double sizePct, List<String> reasons) {
  public static final String ENTER = "ENTER";
  public static final String WAIT = "WAIT";
  public static final String IGNORE = "IGNORE";

  /** What is stored when a model gave no usable answer: IGNORE with confidence 0, saying why. */
  public static ModelDecision fallback(String why) {
    return new ModelDecision(IGNORE, 0, null, null, 0, List.of("fallback: " + why));
  }

  /** Reads a JSON object already validated against the schema. */
  static ModelDecision fromValidJson(JsonObject json) {
    return new ModelDecision(
        json.getString("decision"),
        json.getDouble("confidence"),
        json.getJsonObject("entry_plan"),
        json.getJsonObject("risk_plan"),
        json.getDouble("size_pct"),
        json.getJsonArray("reasons").stream().map(Object::toString).toList());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("decision", decision)
        .put("confidence", confidence)
        .put("entry_plan", entryPlan)
        .put("risk_plan", riskPlan)
        .put("size_pct", sizePct)
        .put("reasons", new JsonArray(reasons));
  }
}
