package ai.zmarty.ops;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Locale;

/** One step of a nightly run: its outcome, when it started, how long it took and what it did. */
public record StepResult(String name, Outcome status, OffsetDateTime startedAt, long ms, String message, JsonObject detail) {

  public enum Outcome {
    SUCCESS("✓"),
    FAILED("✗"),
    SKIPPED("-");

    private final String mark;

    Outcome(String mark) {
      this.mark = mark;
    }

    public String mark() {
      return mark;
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("step", name).put("status", status.wire()).put("started_at", startedAt.toString()).put("duration_ms", ms).put("message", message).put("detail", detail);
  }
}
