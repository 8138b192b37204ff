package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.db.Unreachable;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every way a request can fail, answered as JSON with the right status. A client's mistake (4xx)
 * or a client that went away is logged at INFO without a stack trace; only a failure of ours
 * (5xx) is logged at ERROR with its trace.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  /** Installs the router's failure handler and the error handlers for failures outside any route. */
  static void install(Router router, long bodyLimit) {
    router.route().failureHandler(rc -> routeFailure(rc, bodyLimit));
    // a failure while matching routes, e.g. a bad percent-escape in the path (GET /x/%zz)
    router.errorHandler(400, rc -> clientError(rc, 400, "malformed request path or query: a % must be followed by two hex digits"));
    router.errorHandler(405, rc -> clientError(rc, 405, "method not allowed"));
    router.errorHandler(404, rc -> clientError(rc, 404, "no route for " + rc.request().method() + " " + rc.request().path()));
    router.errorHandler(500, rc -> {
      log.error("request failed outside a route endpoint={}", rc.request().path(), rc.failure());
      Errors.send(rc.response(), 500, "internal error");
    });
  }

  /** A request the HTTP decoder refused (line or headers too long, bad framing): JSON, then close. */
  static void invalidRequest(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int status = 400;
    String message = "malformed request: " + (cause == null ? "unreadable" : cause.getMessage());
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "the request line (method and URI) is longer than 4096 bytes";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "the request headers are larger than 8192 bytes";
    }
    log.info("refused malformed request from {} status={}: {}", req.remoteAddress(), status, cause == null ? "unreadable" : cause.toString());
    Errors.send(req.response(), status, message);
    req.connection().close();
  }

  private static void clientError(RoutingContext rc, int status, String message) {
    log.info("request refused endpoint={} status={}: {}", rc.request().path(), status, message);
    Errors.send(rc.response(), status, message);
  }

  private static void routeFailure(RoutingContext rc, long bodyLimit) {
    Throwable cause = rc.failure();
    int status = rc.statusCode();
    if (cause instanceof HttpClosedException || rc.response().closed()) {
      log.info("client went away endpoint={}", rc.request().path());
      return;
    }
    if (status == 413) {
      clientError(rc, 413, "request body too large (the limit is " + bodyLimit / 1024 + " KB)");
    } else if (cause instanceof DecoderException) {
      clientError(rc, 400, "malformed request body: " + (cause.getMessage() == null ? "unreadable" : cause.getMessage()));
    } else if (cause instanceof HttpException he && he.getStatusCode() < 500) {
      clientError(rc, he.getStatusCode(), he.getPayload() != null ? he.getPayload() : "request rejected");
    } else if (cause instanceof ReplyException re && ErrorCode.of(re).httpStatus() < 500) {
      // an ordinary refusal from a service (payment required, not found, conflict …)
      ErrorCode code = ErrorCode.of(re);
      log.info("request refused endpoint={} status={}: {}", rc.request().path(), code.httpStatus(), re.getMessage());
      Errors.send(rc, code, re.getMessage());
    } else if (cause == null && status >= 400 && status < 500) {
      clientError(rc, status, "request rejected");
    } else if (cause != null && ErrorCode.of(cause) == ErrorCode.UNAVAILABLE) {
      // a database or service that is away for now: 503 with a time to come back, no stack trace
      log.warn("request failed endpoint={} unavailable: {}", rc.request().path(), cause.toString());
      rc.response().putHeader("Retry-After", Integer.toString(Unreachable.RETRY_AFTER_SECONDS));
      Errors.send(rc, ErrorCode.UNAVAILABLE, Unreachable.is(cause) ? "database unavailable; retry in " + Unreachable.RETRY_AFTER_SECONDS + " s" : cause.getMessage());
    } else {
      ErrorCode code = cause == null ? ErrorCode.INTERNAL : ErrorCode.of(cause);
      log.error("request failed endpoint={} {}", rc.request().path(), cause == null ? status : cause.toString(), cause);
      Errors.send(rc, code, code == ErrorCode.INTERNAL ? "internal error" : cause.getMessage());
    }
  }
}
