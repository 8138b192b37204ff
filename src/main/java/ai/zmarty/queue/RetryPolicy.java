package ai.zmarty.queue;

import java.time.Duration;

/**
 * What to do with a message whose handler failed: hide it again for an exponentially growing
 * delay, or, once it has been read {@code maxReads} times, move it to the dead-letter queue.
 */
public record RetryPolicy(int maxReads, Duration base, Duration max) {

  public sealed interface Decision permits Retry, DeadLetter {}

  /** Make the message visible again after {@code delay}. */
  public record Retry(Duration delay) implements Decision {}

  public record DeadLetter() implements Decision {}

  /**
   * @param readCount pgmq's {@code read_ct} after the failed delivery (1 on the first)
   * @param handlerMissing no consumer was registered: the job never ran, so it is never dead-lettered
   */
  public Decision decide(int readCount, boolean handlerMissing) {
    return decide(readCount, handlerMissing, false);
  }

  /** @param rejected the handler refused the payload itself ({@link JobHandler#reject}): dead-lettered at once */
  public Decision decide(int readCount, boolean handlerMissing, boolean rejected) {
    if (rejected || !handlerMissing && readCount >= maxReads) {
      return new DeadLetter();
    }
    return new Retry(backoff(readCount));
  }

  /** base · 2^(readCount−1), capped at max; whole seconds because pgmq's set_vt takes seconds. */
  public Duration backoff(int readCount) {
    int exponent = Math.max(0, Math.min(readCount - 1, 30));
    long seconds = Math.max(1, base.toSeconds()) << exponent;
    long capped = Math.min(seconds, Math.max(1, max.toSeconds()));
    return Duration.ofSeconds(capped);
  }
}
