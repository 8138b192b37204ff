package ai.zmarty.sync;

import java.time.Duration;

/** When the relay tries a failed delivery again: 1 s after the first failure, doubling, capped. */
public record DeliveryBackoff(Duration base, Duration max) {

  public static DeliveryBackoff upTo(Duration max) {
    return new DeliveryBackoff(Duration.ofSeconds(1), max);
  }

  /** The delay after the {@code attempts}-th failed attempt (1 for the first): base · 2^(attempts−1), at most max. */
  public Duration delay(int attempts) {
    int exponent = Math.max(0, Math.min(attempts - 1, 40));
    long millis = base.toMillis();
    long capped = max.toMillis();
    // Shift only while it cannot overflow; beyond that the cap applies anyway.
    long grown = exponent >= Long.numberOfLeadingZeros(Math.max(1, millis)) - 1 ? Long.MAX_VALUE : millis << exponent;
    return Duration.ofMillis(Math.min(grown, capped));
  }
}
