package ai.zmarty.credit;

/** Database A statements of the credit package. */
final class CreditSql {
  private CreditSql() {}

  /** Serialises every credit change of one user behind the profile row. */
  static final String LOCK_USER = "select tier from profiles where id = $1 for update";

  static final String AVAILABLE =
      """
      select coalesce((select sum(delta) from credits_ledger where user_id = $1), 0)::bigint as balance,
             coalesce((select sum(amount) from credit_holds where user_id = $1 and expires_at > now()), 0)::bigint as held
      """;

  /**
   * A request's charge and hold and the user's totals, in one read: {@code charged_delta} is the
   * request's ledger row (null when not charged yet), {@code hold_amount} its hold (null when none).
   */
  static final String STATE =
      """
      select (select delta from credits_ledger where request_id = $2) as charged_delta,
             (select amount from credit_holds where request_id = $2 and user_id = $1) as hold_amount,
             coalesce((select sum(delta) from credits_ledger where user_id = $1), 0)::bigint as balance,
             coalesce((select sum(amount) from credit_holds where user_id = $1 and expires_at > now()), 0)::bigint as held
      """;

  /** The request's ledger row replaces its hold, in one statement. */
  static final String CHARGE =
      """
      with charged as (
        insert into credits_ledger (user_id, delta, provider, units, reason, request_id) values ($1, $2, $3, $4, $5, $6)
      )
      delete from credit_holds where request_id = $6 and user_id = $1
      """;

  static final String INSERT_HOLD =
      "insert into credit_holds (request_id, user_id, amount, expires_at) values ($1, $2, $3, now() + make_interval(secs => $4)) on conflict (request_id) do nothing";


  static final String DELETE_HOLD = "delete from credit_holds where request_id = $1 and user_id = $2";


  static final String INSERT_LEDGER =
      "insert into credits_ledger (user_id, delta, provider, units, reason, request_id) values ($1, $2, $3, $4, $5, $6) on conflict (request_id) do nothing returning id";


  static final String RECENT =
      "select delta, provider, units, reason, request_id, created_at from credits_ledger where user_id = $1 order by created_at desc, id desc limit $2";
}
