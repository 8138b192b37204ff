package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How every route class reads a request's body and parameters and writes a JSON answer. */
public final class Responses {
  private Responses() {}

  /**
   * The JSON object body, or null after answering 400: also when any field holds text PostgreSQL
   * cannot store (NUL, a lone surrogate), naming the field.
   */
  public static JsonObject jsonBody(RoutingContext rc) {
    try {
      JsonObject body = rc.body().asJsonObject();
      if (body == null) {
        Errors.send(rc, ErrorCode.BAD_REQUEST, "a JSON object body is required");
        return null;
      }
      java.util.Optional<String> bad = JsonText.firstUnstorable(body);
      if (bad.isPresent()) {
        Errors.send(rc, ErrorCode.BAD_REQUEST, bad.get() + " contains a character that cannot be stored (NUL \\u0000 or an unpaired surrogate)");
        return null;
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "the body is not a JSON object");
      return null;
    }
  }

  /** A whole-number query parameter within bounds; -1 after answering 400. */
  public static int intParam(RoutingContext rc, String name, int dflt, int min, int max) {
    String v = rc.queryParams().get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    Errors.send(rc, ErrorCode.BAD_REQUEST, name + " must be a whole number from " + min + " to " + max);
    return -1;
  }

  public static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  public static void respond(RoutingContext rc, int status, Future<JsonObject> body) {
    body.onSuccess(b -> json(rc, status, b)).onFailure(rc::fail);
  }
}
