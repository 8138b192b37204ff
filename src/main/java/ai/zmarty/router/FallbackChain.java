package ai.zmarty.router;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The fallback decision of one chat, with no I/O: given the candidates in routing order (from
 * {@link RoutingPolicy}), the providers whose breaker is open now, and whether any output reached
 * the client (or the client left), which provider to try next, or stop and why. Output fixes the
 * provider: after it there is no fallback, the answer ends where it broke.
 */
public final class FallbackChain {
  private FallbackChain() {}

  public sealed interface Step {}

  /** Try {@code provider}, the candidate at {@code index}. */
  public record Next(String provider, int index) implements Step {}

  public record Stop(StopReason reason) implements Step {}

  public enum StopReason {
    /** Output reached the client: the answer ends with an error event, charged for what was produced. */
    OUTPUT_REACHED_CLIENT,
    /** The client went away before any output: the hold goes back. */
    CLIENT_GONE,
    /** Every candidate was tried or is open: the hold goes back, the chat is 503. */
    EXHAUSTED
  }

  /**
   * The step after a failure (or at the start, {@code from} = 0): the first candidate at or after
   * {@code from} whose breaker is not open.
   */
  public static Step next(List<String> candidates, int from, Set<String> openNow, boolean outputReachedClient, boolean clientGone) {
    if (outputReachedClient) {
      return new Stop(StopReason.OUTPUT_REACHED_CLIENT);
    }
    if (clientGone) {
      return new Stop(StopReason.CLIENT_GONE);
    }
    for (int i = from; i < candidates.size(); i++) {
      if (!openNow.contains(candidates.get(i))) {
        return new Next(candidates.get(i), i);
      }
    }
    return new Stop(StopReason.EXHAUSTED);
  }

  /**
   * Whole seconds until a retry may succeed: the smallest hint a provider gave (they are only kept
   * for failures worth retrying), else the breakers' reset time; at least 1.
   */
  public static long retryAfterSeconds(List<Duration> providerHints, Duration breakerReset) {
    Duration d = providerHints.stream().min(Duration::compareTo).orElse(breakerReset);
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }
}
