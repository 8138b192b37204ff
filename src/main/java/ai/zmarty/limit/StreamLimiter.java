package ai.zmarty.limit;

import java.util.HashMap;
import java.util.Map;

/** At most {@code limit} answers streaming at once per user, in this process only ({@code CHAT_LIMITS_SCOPE=node}). Single-threaded, like {@link RateLimiter}. */
public final class StreamLimiter {
  private final int limit;
  private final Map<String, Integer> open = new HashMap<>();

  public StreamLimiter(int limit) {
    this.limit = limit;
  }

  public boolean acquire(String user) {
    int now = open.getOrDefault(user, 0);
    if (now >= limit) {
      return false;
    }
    open.put(user, now + 1);
    return true;
  }

  public void release(String user) {
    open.computeIfPresent(user, (k, n) -> n <= 1 ? null : n - 1);
  }

  public int open(String user) {
    return open.getOrDefault(user, 0);
  }
}
