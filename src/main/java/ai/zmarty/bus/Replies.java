package ai.zmarty.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a bus request with the outcome of a future: the value, or a failure code and message. */
public final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  public static void reply(Message<?> msg, Future<JsonObject> outcome) {
    outcome.onComplete(
        ar -> {
          if (ar.succeeded()) {
            msg.reply(ar.result());
          } else {
            fail(msg, ar.cause());
          }
        });
  }

  public static void fail(Message<?> msg, Throwable cause) {
    if (cause instanceof ReplyException re && re.failureCode() > 0) {
      msg.fail(re.failureCode(), re.getMessage());
      return;
    }
    if (ai.zmarty.db.Unreachable.is(cause)) {
      // a database that is down or restarting: the caller answers 503 and the client retries
      log.warn("request on {} failed: database unavailable: {}", msg.address(), cause.toString());
      msg.fail(ErrorCode.UNAVAILABLE.failureCode(), "database unavailable; retry in " + ai.zmarty.db.Unreachable.RETRY_AFTER_SECONDS + " s");
      return;
    }
    log.error("request on {} failed: {}", msg.address(), cause.toString(), cause);
    msg.fail(ErrorCode.INTERNAL.failureCode(), "internal error");
  }

  /** Reads a required field, failing with BAD_REQUEST when absent. */
  public static String required(JsonObject body, String field) {
    String v = body == null ? null : body.getString(field);
    if (v == null || v.isBlank()) {
      throw ErrorCode.BAD_REQUEST.exception("missing field " + field);
    }
    return v;
  }
}
