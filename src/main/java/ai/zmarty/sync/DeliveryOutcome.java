package ai.zmarty.sync;

/**
 * What one answer of the receiver means for an outbox row. A 2xx is delivered. A 400 or 422
 * refuses the payload itself: sending it again cannot succeed, so the row is dead at once. Any
 * other 4xx but 429 (a wrong secret or clock, a wrong URL, …) is retried until the row has been
 * tried {@code SYNC_MAX_ATTEMPTS} times, then it is dead too, instead of being sent forever. A 429,
 * a 5xx or no answer at all is this side's or a passing problem: retried with backoff, never dead.
 * Dead rows stay in the outbox for operators ({@code GET /admin/sync}) and can be sent again.
 */
enum DeliveryOutcome {
  DELIVERED,
  RETRY,
  DEAD;

  /**
   * @param status the HTTP status, or 0 when no answer came (timeout, connection refused)
   * @param attempt this attempt's number, counted from 1
   */
  static DeliveryOutcome of(int status, int attempt, int maxAttempts) {
    if (status >= 200 && status < 300) {
      return DELIVERED;
    }
    if (status == 400 || status == 422) {
      return DEAD;
    }
    boolean refusing = status >= 400 && status < 500 && status != 429;
    return refusing && attempt >= maxAttempts ? DEAD : RETRY;
  }
}
