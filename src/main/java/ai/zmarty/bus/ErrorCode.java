package ai.zmarty.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Locale;

/**
 * The failure codes a bus reply can carry; each maps to one HTTP status, and the HTTP layer
 * answers {@code {"error": code, "message": "…"}} for every one of them.
 */
public enum ErrorCode {
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  PAYMENT_REQUIRED(402),
  FORBIDDEN(403),
  NOT_FOUND(404),
  CONFLICT(409),
  /** Well-formed but not acceptable, e.g. an idempotency key reused for a different request. */
  UNPROCESSABLE(422),
  RATE_LIMITED(429),
  INTERNAL(500),
  NOT_IMPLEMENTED(501),
  UNAVAILABLE(503),
  TIMEOUT(504);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The failure code carried by a {@link ReplyException}. */
  public int failureCode() {
    return httpStatus;
  }

  /** The JSON form, e.g. {@code payment_required}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public ReplyException exception(String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, failureCode(), message);
  }

  /** The code of a failure: timeouts, missing consumers and an unreachable database count as the service being away. */
  public static ErrorCode of(Throwable failure) {
    if (failure instanceof ReplyException re) {
      return switch (re.failureType()) {
        case TIMEOUT -> TIMEOUT;
        case NO_HANDLERS -> UNAVAILABLE;
        default -> fromFailureCode(re.failureCode());
      };
    }
    // a database that is down or restarting is a service away for now, not an internal error
    return ai.zmarty.db.Unreachable.is(failure) ? UNAVAILABLE : INTERNAL;
  }

  public static ErrorCode fromFailureCode(int code) {
    for (ErrorCode c : values()) {
      if (c.failureCode() == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}
