package ai.zmarty.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A sliding-window limit per key (a user): at most {@code limit} requests in any {@code window}.
 * Pure and single-threaded (one per verticle instance, used on its event loop); the caller passes
 * the time, so it is tested without waiting.
 */
public final class RateLimiter {
  private final int limit;
  private final long windowMillis;
  private final Map<String, Deque<Long>> hits = new HashMap<>();

  public RateLimiter(int limit, Duration window) {
    this.limit = limit;
    this.windowMillis = window.toMillis();
  }

  /** Allowed now, or refused with the seconds until the oldest hit leaves the window. */
  public record Decision(boolean allowed, long retryAfterSeconds) {}

  public Decision hit(String key, long nowMillis) {
    Deque<Long> times = hits.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= nowMillis - windowMillis) {
      times.pollFirst();
    }
    if (times.size() >= limit) {
      long wait = times.peekFirst() + windowMillis - nowMillis;
      return new Decision(false, Math.max(1, (wait + 999) / 1000));
    }
    times.addLast(nowMillis);
    if (hits.size() > 100_000) {
      hits.values().removeIf(Deque::isEmpty);
    }
    return new Decision(true, 0);
  }
}
