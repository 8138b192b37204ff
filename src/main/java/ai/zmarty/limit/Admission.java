package ai.zmarty.limit;

import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * What the chat limits decided for one request: admitted (holding {@code slot} when it streams) or
 * refused by the rate limit or the stream cap. {@code remaining}: requests that may follow at once;
 * {@code retryAfterMillis}: until one more would pass the rate limit; {@code resetMillis}: until the
 * whole limit is free again; {@code limit} and {@code windowSeconds}: the policy.
 */
public record Admission(Outcome outcome, String user, UUID slot, int limit, long windowSeconds, int remaining, long retryAfterMillis, long resetMillis) {
  public enum Outcome {
    ADMITTED,
    RATE_LIMITED,
    STREAMS_FULL
  }

  public boolean admitted() {
    return outcome == Outcome.ADMITTED;
  }

  /** Whole seconds to wait before retrying: at least 1 when refused (a stream slot frees within seconds). */
  public long retryAfterSeconds() {
    return outcome == Outcome.ADMITTED ? 0 : Math.max(1, (retryAfterMillis + 999) / 1000);
  }

  /**
   * The answer's headers, as the lens intake sends them: {@code RateLimit-Limit}, {@code
   * RateLimit-Remaining}, {@code RateLimit-Reset} (seconds until the whole limit is free), {@code
   * RateLimit-Policy} ({@code limit;w=window seconds}) and, when refused, {@code Retry-After}.
   */
  public void headers(BiConsumer<String, String> put) {
    put.accept("RateLimit-Limit", Integer.toString(limit));
    put.accept("RateLimit-Remaining", Integer.toString(Math.max(0, remaining)));
    put.accept("RateLimit-Reset", Long.toString(Math.max(0, (resetMillis + 999) / 1000)));
    put.accept("RateLimit-Policy", limit + ";w=" + windowSeconds);
    if (!admitted()) {
      put.accept("Retry-After", Long.toString(retryAfterSeconds()));
    }
  }
}
