package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How a chat's answer ends, as SSE (its last event) or as one JSON body, whichever the client asked for. */
final class ChatReply {
  /** Set on the stored first response returned to a retry with the same key. */
  static final String REPLAYED = "Idempotent-Replayed";
  private final RoutingContext rc;
  private final SseWriter sse;

  ChatReply(Vertx vertx, RoutingContext rc, boolean sse) {
    this.rc = rc;
    this.sse = sse ? new SseWriter(vertx, rc.response()) : null;
  }

  /** The SSE writer, null when the client asked for JSON. */
  SseWriter sse() {
    return sse;
  }

  /** The last event (SSE) or the JSON body with {@code status}. */
  void end(String event, JsonObject data, int status, JsonObject json) {
    if (sse != null) {
      sse.end(event, data);
    } else {
      Responses.json(rc, status, json);
    }
  }

  /** The stored outcome of the key's first request: JSON (502 when it was cut), or SSE as its whole answer and then its last event. */
  void replay(JsonObject stored) {
    rc.response().putHeader(REPLAYED, "true");
    boolean cut = stored.containsKey("error");
    if (sse == null) {
      Responses.json(rc, cut ? 502 : 200, stored);
      return;
    }
    JsonObject last = stored.copy();
    sse.replay((String) last.remove("answer"), cut ? "error" : "done", last);
  }

  static JsonObject shuttingDown() {
    return new JsonObject().put("error", "shutting_down").put("message", "the server is stopping; the answer was cut here and only what was delivered is charged; retry");
  }

  /** The node stopped before the router had the request: 503, retry at once elsewhere or later. */
  void stoppedBeforeAnswer() {
    rc.response().putHeader("Retry-After", "1");
    Responses.json(rc, 503, shuttingDown());
  }

  /** The node stopped mid-answer: {@code error: shutting_down} with what was charged (SSE), or 503 with the partial answer. */
  void stopped(JsonObject event, String answer, String sessionId) {
    JsonObject stopped = shuttingDown().put("credits_charged", event.getLong("credits_charged", 0L)).put("balance", event.getLong("balance")).put("usage", event.getJsonObject("usage"));
    if (sessionId != null) {
      stopped.put("session_id", sessionId);
    }
    if (sse != null && rc.response().headWritten()) {
      sse.end("error", stopped);
    } else {
      Responses.json(rc, 503, stopped.put("answer", answer));
    }
  }

  /** The answer could not be stored and its charge was refunded. */
  void unstored() {
    JsonObject failed = new JsonObject().put("error", ErrorCode.INTERNAL.wire()).put("message", "the answer could not be stored; it was not charged").put("credits_charged", 0);
    if (sse != null && rc.response().headWritten()) {
      sse.end("error", failed);
    } else {
      Responses.json(rc, 500, failed);
    }
  }
}
