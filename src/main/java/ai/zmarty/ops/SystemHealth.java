package ai.zmarty.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One round of the operator's seven checks ({@link SystemChecks}): overall status is the worst of
 * them. The same object is {@code zmarty health --json} and {@code GET /admin/health}.
 */
public record SystemHealth(List<Check> checks, Instant at, long elapsedMs) {

  /** One check's verdict: a one-line {@code message} for the table, {@code details} for the JSON. */
  public record Check(String name, Status status, String message, JsonObject details, long ms) {
    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("status", status.wire()).put("message", message).put("details", details).put("ms", ms);
    }

    public static Check fromJson(JsonObject json) {
      return new Check(json.getString("name"), Status.valueOf(json.getString("status").toUpperCase(java.util.Locale.ROOT)), json.getString("message"), json.getJsonObject("details", new JsonObject()), json.getLong("ms", 0L));
    }
  }

  public Status status() {
    return checks.stream().map(Check::status).reduce(Status.HEALTHY, Status::worst);
  }

  public List<Check> critical() {
    return checks.stream().filter(c -> c.status() == Status.CRITICAL).toList();
  }

  /** The command's exit code: 0 healthy or warning, 1 critical. */
  public int exitCode() {
    return status() == Status.CRITICAL ? 1 : 0;
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    checks.forEach(c -> array.add(c.toJson()));
    return new JsonObject().put("status", status().wire()).put("checked_at", at.toString()).put("elapsed_ms", elapsedMs).put("checks", array);
  }

  public static SystemHealth fromJson(JsonObject json) {
    List<Check> checks = json.getJsonArray("checks").stream().map(o -> Check.fromJson((JsonObject) o)).toList();
    return new SystemHealth(checks, Instant.parse(json.getString("checked_at")), json.getLong("elapsed_ms"));
  }
}
