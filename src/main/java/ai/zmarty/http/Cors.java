package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The first handler of every request: CORS headers for {@link CorsPolicy}'s listed origins, 403 JSON for others' preflights. */
final class Cors {
  private final CorsPolicy policy;

  Cors(List<String> origins) {
    this.policy = new CorsPolicy(origins);
  }

  void handle(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    String origin = req.getHeader(HttpHeaders.ORIGIN);
    boolean preflight = req.method() == HttpMethod.OPTIONS && req.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
    CorsPolicy.Verdict verdict = policy.judge(origin, preflight);
    if (verdict != CorsPolicy.Verdict.NOT_CORS) {
      // the answer depends on the Origin: a shared cache must not hand one origin's to another
      rc.response().putHeader(HttpHeaders.VARY, "Origin");
    }
    switch (verdict) {
      case NOT_CORS -> rc.next();
      case UNLISTED -> {
        // whatever a handler further on would add (SockJS answers every origin on its HTTP transports)
        rc.addHeadersEndHandler(v -> rc.response().headers().remove(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN).remove(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS));
        rc.next();
      }
      case ALLOWED -> {
        rc.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin).putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, CorsPolicy.EXPOSE_HEADERS);
        rc.next();
      }
      case PREFLIGHT -> rc.response().setStatusCode(204)
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, CorsPolicy.ALLOW_METHODS)
          .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, CorsPolicy.ALLOW_HEADERS)
          .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, CorsPolicy.MAX_AGE)
          .end();
      case PREFLIGHT_REFUSED -> Errors.send(rc, ErrorCode.FORBIDDEN, "origin '" + (origin.length() > 200 ? origin.substring(0, 200) + "…" : origin) + "' may not call this API from a browser (it is not in CORS_ORIGINS)");
    }
  }
}
