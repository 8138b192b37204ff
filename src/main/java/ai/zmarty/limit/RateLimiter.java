package ai.zmarty.limit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A sliding-window limit per key (a user), counted in this process only: at most {@code limit}
 * requests in any {@code window}. Pure and single-threaded (used on one event loop); the caller
 * passes the time, so it is tested without waiting. {@code CHAT_LIMITS_SCOPE=node} puts the chat
 * on it; the cluster-wide limit (database A's {@code chat_admit}) counts the same way.
 */
public final class RateLimiter {
  private final int limit;
  private final long windowMillis;
  private final Map<String, Deque<Long>> hits = new HashMap<>();

  public RateLimiter(int limit, Duration window) {
    this.limit = limit;
    this.windowMillis = window.toMillis();
  }

  /**
   * Allowed now, or refused with the seconds until the oldest hit leaves the window; {@code
   * remaining}: requests that may follow at once; {@code resetMillis}: until the whole limit is free.
   */
  public record Decision(boolean allowed, long retryAfterSeconds, int remaining, long resetMillis) {
    public Decision(boolean allowed, long retryAfterSeconds) {
      this(allowed, retryAfterSeconds, 0, 0);
    }
  }

  /** What {@link #hit} would decide, without counting anything. */
  public Decision peek(String key, long nowMillis) {
    Deque<Long> times = trimmed(key, nowMillis);
    long reset = times.isEmpty() ? 0 : times.peekLast() + windowMillis - nowMillis;
    if (times.size() >= limit) {
      long wait = times.peekFirst() + windowMillis - nowMillis;
      return new Decision(false, Math.max(1, (wait + 999) / 1000), 0, reset);
    }
    return new Decision(true, 0, limit - times.size(), reset);
  }

  public Decision hit(String key, long nowMillis) {
    Decision now = peek(key, nowMillis);
    if (!now.allowed()) {
      return now;
    }
    Deque<Long> times = hits.get(key);
    times.addLast(nowMillis);
    if (hits.size() > 100_000) {
      hits.values().removeIf(Deque::isEmpty);
    }
    return new Decision(true, 0, now.remaining() - 1, windowMillis);
  }

  private Deque<Long> trimmed(String key, long nowMillis) {
    Deque<Long> times = hits.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= nowMillis - windowMillis) {
      times.pollFirst();
    }
    return times;
  }
}
