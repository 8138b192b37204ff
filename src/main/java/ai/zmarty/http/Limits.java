package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.db.Unreachable;
import ai.zmarty.limit.Admission;
import ai.zmarty.limit.ChatLimiter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user limits in front of the chat ({@link ChatLimiter}): {@code RATE_LIMIT_PER_MINUTE}
 * requests in any minute, chats and estimates together, and {@code MAX_CONCURRENT_STREAMS}
 * answers at once. With {@code CHAT_LIMITS_SCOPE=cluster} (the default) they hold over every API
 * node together: a user spreading chats over two nodes gets the limit once, not twice. Every
 * answer carries {@code RateLimit-Limit}, {@code -Remaining}, {@code -Reset} and {@code -Policy};
 * a refusal is 429 {@code rate_limited} with {@code Retry-After}. A chat's stream slot is given back
 * when its answer ends however it ends (done, error, client gone, node stopping); a node that dies
 * leaves it to lapse after {@code CHAT_STREAM_LEASE}. When the check fails (database A cannot be
 * reached) it answers 503 {@code unavailable} with {@code Retry-After}, as the chat itself would.
 * With {@code CHAT_LIMITS_SCOPE=cluster} a chat's check runs in the same round trip as its credit
 * hold, after its body, idempotency key and session are checked: a request refused for those
 * counts against nothing and carries no {@code RateLimit-*} headers, nor does a 402 or 503 from
 * after the check (the estimate's check still runs first).
 */
final class Limits {
  private static final Logger log = LoggerFactory.getLogger(Limits.class);
  private static final String SLOT = "zmarty.chat.slot";
  private static final String DEFERRED = "zmarty.chat.limits.deferred";
  private static final String LIMITS = "zmarty.chat.limits";
  private final ChatLimiter limiter;
  /** Counts a chat refused by a limit ({@code zmarty_chat_requests_total{outcome="rate_limited"}}). */
  private final Runnable chatLimited;

  Limits(ChatLimiter limiter, Runnable chatLimited) {
    this.limiter = limiter;
    this.chatLimited = chatLimited;
  }

  /** {@code POST /chat/estimate}: counts against the same per-minute limit as the chat. */
  void rate(RoutingContext rc) {
    check(rc, false);
  }

  /**
   * With the limits in database A, a chat's check runs later, in its credit hold's round trip
   * (one round trip less before the first token): its slot is held from here, and the exchange
   * sends {@link #deferred} along and hands the answer to {@link #decided}.
   */
  void chat(RoutingContext rc) {
    Optional<ChatLimiter.Deferred> later = limiter.defer(Authenticator.user(rc).id());
    if (later.isEmpty()) {
      check(rc, true);
      return;
    }
    ChatLimiter.Deferred d = later.get();
    Admission slot = d.slotHolder();
    rc.put(DEFERRED, d);
    rc.put(LIMITS, this);
    rc.put(SLOT, (Supplier<Future<Void>>) () -> limiter.release(slot));
    rc.addEndHandler(v -> limiter.release(slot));
    rc.next();
  }

  /** The chat's limits to run with its hold ({@code admit} of {@code model.chat}), or null when they ran before it. */
  static JsonObject deferred(RoutingContext rc) {
    ChatLimiter.Deferred d = rc.get(DEFERRED);
    return d == null ? null : d.admit();
  }

  /**
   * What the deferred limits answered ({@code limits} of the router's reply): admitted, the
   * answer's headers are put and true comes back; refused, false (the caller gives its claim and
   * turn back, then calls {@link #refuse}).
   */
  static boolean decided(RoutingContext rc, JsonObject limits) {
    ChatLimiter.Deferred d = rc.get(DEFERRED);
    if (d == null || limits == null) {
      return true;
    }
    Admission a = d.decided(limits);
    if (a.admitted()) {
      a.headers(rc.response()::putHeader);
    }
    return a.admitted();
  }

  /** The deferred check's slot id (it travels with the chat's turn, to be ended with its settlement), or null. */
  static String slot(RoutingContext rc) {
    ChatLimiter.Deferred d = rc.get(DEFERRED);
    return d == null ? null : d.slot().toString();
  }

  /** The settlement ended the chat's slot in database A: nothing is left to give back. */
  static void slotEndedWithSettlement(RoutingContext rc) {
    ChatLimiter.Deferred d = rc.get(DEFERRED);
    Limits self = rc.get(LIMITS);
    if (d != null) {
      self.limiter.endedWithSettlement(d.slotHolder());
    }
  }

  /** Answers a chat the deferred limits refused: 429 with its headers. */
  static void refuse(RoutingContext rc, JsonObject limits) {
    ChatLimiter.Deferred d = rc.get(DEFERRED);
    Limits self = rc.get(LIMITS);
    self.refused(rc, d.decided(limits), true);
  }

  private void refused(RoutingContext rc, Admission a, boolean stream) {
    a.headers(rc.response()::putHeader);
    if (stream) {
      chatLimited.run();
    }
    Errors.send(rc, ErrorCode.RATE_LIMITED, a.outcome() == Admission.Outcome.STREAMS_FULL
        ? "too many answers streaming at once for this user; wait for one to finish"
        : "too many requests: try again in " + a.retryAfterSeconds() + " s");
  }

  private void check(RoutingContext rc, boolean stream) {
    limiter.admit(Authenticator.user(rc).id(), stream).onComplete(ar -> {
      if (ar.failed()) {
        unchecked(rc, ar.cause());
        return;
      }
      Admission a = ar.result();
      if (rc.response().closed() || rc.response().ended()) {
        limiter.release(a); // the client left while the check ran
        return;
      }
      if (!a.admitted()) {
        refused(rc, a, stream);
        return;
      }
      a.headers(rc.response()::putHeader);
      if (a.slot() != null) {
        rc.put(SLOT, (Supplier<Future<Void>>) () -> limiter.release(a));
        rc.addEndHandler(v -> limiter.release(a));
      }
      rc.next();
    });
  }

  /**
   * Gives the chat's stream slot back now (its answer is over; the last event is still to be
   * written), so a client that asks again the moment it has the answer is not refused by its own
   * finished stream. The response's end gives it back in any case.
   */
  @SuppressWarnings("unchecked")
  static Future<Void> giveSlotBack(RoutingContext rc) {
    Supplier<Future<Void>> release = (Supplier<Future<Void>>) rc.get(SLOT);
    return release == null ? Future.succeededFuture() : release.get();
  }

  private static void unchecked(RoutingContext rc, Throwable err) {
    if (rc.response().closed() || rc.response().ended()) {
      return;
    }
    if (!Unreachable.is(err)) {
      log.error("checking the chat limits failed: {}", err.toString());
    }
    // nothing was counted or taken: the client may simply retry
    rc.response().putHeader("Retry-After", Integer.toString(Unreachable.RETRY_AFTER_SECONDS));
    Errors.send(rc, ErrorCode.UNAVAILABLE, Unreachable.is(err) ? "database unavailable; retry shortly" : "the chat limits could not be checked; retry shortly");
  }
}
