package ai.zmarty.limit;

/** The statements of the cluster-wide limits. */
final class LimitSql {
  private LimitSql() {}

  /**
   * Database B (migration 20260108030000_rate_buckets): refill for the time passed and take one
   * token, atomically: {@code granted}, {@code remaining}.
   */
  static final String TAKE = "select granted, remaining from public.rate_take($1, $2, $3)";

  /**
   * Database A (migration 20260109040000_chat_limits): count one chat request of user $1 (limit $2
   * in $3 ms) and, when slot $4 is given, take it for node $5 (cap $6, lease $7 ms), in one call.
   */
  static final String CHAT_ADMIT = "select outcome, remaining, retry_after_ms, reset_ms from public.chat_admit($1, $2, $3, $4, $5, $6, $7)";

  /** Database A: the answers on slots $1 ended. */
  static final String CHAT_RELEASE = "select public.chat_release($1)";

  /**
   * Database A: the answers on slots $1 (of users $2, held by node $3) still run: their leases last
   * $4 ms from now; a slot that lapsed meanwhile (an outage longer than the lease) is taken again.
   */
  static final String CHAT_RENEW = "select public.chat_renew($1, $2, $3, $4)";
}
