package ai.zmarty.limit;

/** The statements of the cluster-wide limiter (database B, migration 20260108030000_rate_buckets). */
final class LimitSql {
  private LimitSql() {}

  /** Refill for the time passed and take one token, atomically: {@code granted}, {@code remaining}. */
  static final String TAKE = "select granted, remaining from public.rate_take($1, $2, $3)";
}
