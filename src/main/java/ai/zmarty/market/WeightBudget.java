package ai.zmarty.market;

/**
 * A token bucket for an exchange's request-weight budget (Hyperliquid: 1,200 per minute per IP).
 * Pure: the caller passes the time. A request {@link #reserve reserves} its weight and is told how
 * long to wait before sending, so a busy moment delays requests instead of failing them; weight
 * known only from the answer (Hyperliquid's +1 per 60 candles) is {@link #charge charged} after.
 * The balance may go negative; later reservations then wait until it is repaid.
 */
public final class WeightBudget {
  private final double capacity;
  private final double refillPerMilli;
  private double tokens;
  private long lastMillis;

  /**
   * @param capacity weight allowed per {@code periodMillis}, and the largest burst
   * @param nowMillis the time the bucket starts full
   */
  public WeightBudget(int capacity, long periodMillis, long nowMillis) {
    if (capacity <= 0 || periodMillis <= 0) {
      throw new IllegalArgumentException("capacity and period must be positive");
    }
    this.capacity = capacity;
    this.refillPerMilli = (double) capacity / periodMillis;
    this.tokens = capacity;
    this.lastMillis = nowMillis;
  }

  /** Hyperliquid's budget: 1,200 weight per minute. */
  public static WeightBudget hyperliquid(long nowMillis) {
    return new WeightBudget(1_200, 60_000, nowMillis);
  }

  /** Takes {@code weight} and returns the milliseconds to wait before sending (0: at once). */
  public synchronized long reserve(int weight, long nowMillis) {
    if (weight <= 0 || weight > capacity) {
      throw new IllegalArgumentException("weight must be from 1 to " + (long) capacity + ", got " + weight);
    }
    refill(nowMillis);
    tokens -= weight;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / refillPerMilli);
  }

  /** Takes weight learnt after the fact; it delays the next reservations, never this request. */
  public synchronized void charge(int weight, long nowMillis) {
    if (weight < 0) {
      throw new IllegalArgumentException("weight must not be negative, got " + weight);
    }
    refill(nowMillis);
    tokens -= weight;
  }

  /** The weight left now (negative while in debt). */
  public synchronized double available(long nowMillis) {
    refill(nowMillis);
    return tokens;
  }

  private void refill(long nowMillis) {
    if (nowMillis > lastMillis) {
      tokens = Math.min(capacity, tokens + (nowMillis - lastMillis) * refillPerMilli);
      lastMillis = nowMillis;
    }
  }
}
