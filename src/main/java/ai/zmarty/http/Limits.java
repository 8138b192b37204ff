package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import io.vertx.ext.web.RoutingContext;

/**
 * Per-user limits in front of the chat: {@code RATE_LIMIT_PER_MINUTE} requests a minute, chats and
 * estimates together (429 with
 * {@code Retry-After}) and {@code MAX_CONCURRENT_STREAMS} answers at once (429). Counted per node
 * (per HTTP verticle instance): behind a load balancer a user's effective limit is the sum over the
 * nodes that serve them.
 */
final class Limits {
  private final RateLimiter rate;
  private final StreamLimiter streams;
  /** Counts a chat refused by a limit ({@code zmarty_chat_requests_total{outcome="rate_limited"}}). */
  private final Runnable chatLimited;

  Limits(RateLimiter rate, StreamLimiter streams, Runnable chatLimited) {
    this.rate = rate;
    this.streams = streams;
    this.chatLimited = chatLimited;
  }

  /** {@code POST /chat/estimate}: counts against the same per-minute limit as the chat. */
  void rate(RoutingContext rc) {
    if (allowed(rc, Authenticator.user(rc).id().toString())) {
      rc.next();
    }
  }

  private boolean allowed(RoutingContext rc, String user) {
    RateLimiter.Decision d = rate.hit(user, System.currentTimeMillis());
    if (!d.allowed()) {
      rc.response().putHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
      Errors.send(rc, ErrorCode.RATE_LIMITED, "too many requests: try again in " + d.retryAfterSeconds() + " s");
    }
    return d.allowed();
  }

  void chat(RoutingContext rc) {
    String user = Authenticator.user(rc).id().toString();
    if (!allowed(rc, user)) {
      chatLimited.run();
      return;
    }
    if (!streams.acquire(user)) {
      chatLimited.run();
      rc.response().putHeader("Retry-After", "1");
      Errors.send(rc, ErrorCode.RATE_LIMITED, "too many answers streaming at once for this user; wait for one to finish");
      return;
    }
    rc.addEndHandler(v -> streams.release(user));
    rc.next();
  }
}
