package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The one error shape of the API: {@code {"error": code, "message": "…"}}. */
final class Errors {
  private Errors() {}

  static void send(RoutingContext rc, ErrorCode code, String message) {
    if (rc.response().headWritten()) {
      rc.response().end();
      return;
    }
    rc.response()
        .setStatusCode(code.httpStatus())
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", code.wire()).put("message", message).encode());
  }
}
