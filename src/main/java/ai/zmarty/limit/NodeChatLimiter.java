package ai.zmarty.limit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The chat limits counted by this node alone ({@code CHAT_LIMITS_SCOPE=node}): behind a load
 * balancer a user's effective limits are the sum over the nodes serving them. No round trip; used
 * on the HTTP verticle's event loop only.
 */
final class NodeChatLimiter implements ChatLimiter {
  private final int ratePerMinute;
  private final RateLimiter rate;
  private final StreamLimiter streams;
  private final Set<UUID> held = new HashSet<>();

  NodeChatLimiter(int ratePerMinute, int maxStreams) {
    this.ratePerMinute = ratePerMinute;
    this.rate = new RateLimiter(ratePerMinute, WINDOW);
    this.streams = new StreamLimiter(maxStreams);
  }

  @Override
  public Future<Admission> admit(UUID user, boolean stream) {
    String key = user.toString();
    long now = System.currentTimeMillis();
    if (stream && !streams.acquire(key)) {
      RateLimiter.Decision d = rate.peek(key, now);
      return Future.succeededFuture(admission(Admission.Outcome.STREAMS_FULL, key, null, d, d.allowed() ? 0 : d.retryAfterSeconds() * 1000));
    }
    RateLimiter.Decision d = rate.hit(key, now);
    if (!d.allowed()) {
      if (stream) {
        streams.release(key);
      }
      return Future.succeededFuture(admission(Admission.Outcome.RATE_LIMITED, key, null, d, d.retryAfterSeconds() * 1000));
    }
    UUID slot = stream ? UUID.randomUUID() : null;
    if (slot != null) {
      held.add(slot);
    }
    return Future.succeededFuture(admission(Admission.Outcome.ADMITTED, key, slot, d, 0));
  }

  private Admission admission(Admission.Outcome outcome, String user, UUID slot, RateLimiter.Decision d, long retryMillis) {
    return new Admission(outcome, user, slot, ratePerMinute, WINDOW.toSeconds(), d.remaining(), retryMillis, d.resetMillis());
  }

  @Override
  public Future<Void> release(Admission admission) {
    if (admission.slot() != null && held.remove(admission.slot())) {
      streams.release(admission.user());
    }
    return Future.succeededFuture();
  }

  @Override
  public void start(Vertx vertx) {}

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
