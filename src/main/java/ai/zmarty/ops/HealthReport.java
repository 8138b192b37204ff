package ai.zmarty.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The outcome of one round of health checks: UP only when every check is. */
public record HealthReport(List<Check> checks) {

  /** One named check; {@code data} says what was measured or what failed. */
  public record Check(String name, boolean up, JsonObject data) {
    public static Check up(String name, JsonObject data) {
      return new Check(name, true, data);
    }

    public static Check down(String name, String error) {
      return new Check(name, false, new JsonObject().put("error", error));
    }

    JsonObject toJson() {
      return new JsonObject().put("name", name).put("status", up ? "UP" : "DOWN").mergeIn(data);
    }
  }

  public boolean up() {
    return checks.stream().allMatch(Check::up);
  }

  public int httpStatus() {
    return up() ? 200 : 503;
  }

  public List<Check> failing() {
    return checks.stream().filter(c -> !c.up()).toList();
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    checks.forEach(c -> array.add(c.toJson()));
    return new JsonObject().put("status", up() ? "UP" : "DOWN").put("checks", array);
  }
}
