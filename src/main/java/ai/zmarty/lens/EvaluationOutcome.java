package ai.zmarty.lens;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One model's answer to one event, as its {@code lens.model_decisions} row stores it: {@code status}
 * ok, invalid_json (raw answer kept, {@code decision} the fallback), timeout or provider_error
 * ({@code errorCode} and {@code errorMessage}); usage and cost where the provider reported them;
 * when the outcome was known.
 */
public record EvaluationOutcome(
    String model,
    String status,
    ModelDecision decision,
    String rawAnswer,
    String errorCode,
    String errorMessage,
    String promptVersion,
    String promptHash,
    long latencyMs,
    long tokensIn,
    long tokensOut,
    double cost,
    Instant answeredAt) {
  public static final String OK = "ok";
  public static final String INVALID_JSON = "invalid_json";
  public static final String TIMEOUT = "timeout";
  public static final String PROVIDER_ERROR = "provider_error";

  /** The fields of the row for the timeline's {@code model_answered} detail. */
  public JsonObject summary() {
    JsonObject json = new JsonObject().put("model", model).put("status", status).put("decision", decision.decision()).put("latency_ms", latencyMs);
    if (errorCode != null) {
      json.put("error_code", errorCode);
    }
    return json;
  }
}
