package ai.zmarty.voice;

import io.vertx.core.json.JsonObject;

/**
 * ElevenLabs refused or failed: {@code reason} is its {@code detail.status} (invalid_api_key,
 * quota_exceeded, too_many_concurrent_requests, system_busy, …) or {@code http_<status>},
 * {@code unreachable}, {@code timeout}.
 */
public final class VoiceFailure extends RuntimeException {
  private final int status;
  private final String reason;

  public VoiceFailure(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** A 429 that asks to come back: the concurrency queue is full or the service is busy. */
  public boolean retryable() {
    return status == 429 && (reason.equals("too_many_concurrent_requests") || reason.equals("system_busy"));
  }

  /** Reads ElevenLabs' {@code {"detail": {"status", "message"}}} (detail may also be a string). */
  static VoiceFailure fromResponse(int status, String body) {
    String reason = "http_" + status;
    String message = body == null ? "" : body.strip();
    try {
      JsonObject json = new JsonObject(body);
      Object detail = json.getValue("detail");
      if (detail instanceof JsonObject d) {
        reason = d.getString("status", reason);
        message = d.getString("message", message);
      } else if (detail instanceof String d) {
        message = d;
      }
    } catch (RuntimeException ignored) {
      // not JSON (a proxy's HTML page): keep the status
    }
    if (message.length() > 300) {
      message = message.substring(0, 300) + "…";
    }
    return new VoiceFailure(status, reason, "elevenlabs " + reason + (message.isEmpty() ? "" : ": " + message));
  }
}
