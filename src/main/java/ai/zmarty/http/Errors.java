package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.contracts.FieldProblem;
import ai.zmarty.contracts.Schema;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The one error shape of the API: {@code {"error": code, "message": "…"}} (contract
 * {@code common.error.json}), plus {@code fields} when a body breaks its contract.
 */
public final class Errors {
  private Errors() {}

  /**
   * 400 for a body that breaks its contract: {@code {"error": "bad_request", "message": every
   * problem, "fields": [{"field": "/symbol", "problem": "…"}]}}, one entry per bad field.
   */
  static void invalid(RoutingContext rc, List<FieldProblem> problems) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed() || response.headWritten()) {
      return;
    }
    JsonObject body = new JsonObject().put("error", ErrorCode.BAD_REQUEST.wire()).put("message", Schema.summary(problems)).put("fields", Schema.toJson(problems));
    response.setStatusCode(400).putHeader("content-type", "application/json").end(body.encode());
  }

  public static void send(RoutingContext rc, ErrorCode code, String message) {
    send(rc.response(), code.httpStatus(), code.wire(), message);
  }

  /** For the statuses the bus never carries (408, 413, 414, 431 …): {@code error} is {@link #code(int)}. */
  public static void send(HttpServerResponse response, int status, String message) {
    send(response, status, code(status), message);
  }

  private static void send(HttpServerResponse response, int status, String error, String message) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.end();
      return;
    }
    response.setStatusCode(status).putHeader("content-type", "application/json").end(new JsonObject().put("error", error).put("message", message).encode());
  }

  /** The {@code error} code of an HTTP status. */
  static String code(int status) {
    return switch (status) {
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 431 -> "header_fields_too_large";
      default -> {
        ErrorCode code = ErrorCode.fromFailureCode(status);
        yield code == ErrorCode.INTERNAL && status != 500 ? (status < 500 ? ErrorCode.BAD_REQUEST : code).wire() : code.wire();
      }
    };
  }
}
