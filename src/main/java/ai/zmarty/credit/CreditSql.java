package ai.zmarty.credit;

/** Database A statements of the credit package. */
final class CreditSql {
  private CreditSql() {}

  /** Serialises every credit change of one user behind the profile row. */
  static final String LOCK_USER = "select tier from profiles where id = $1 for update";

  static final String AVAILABLE =
      """
      select coalesce((select balance from credit_balances where user_id = $1), 0)::bigint as balance,
             coalesce((select sum(amount) from credit_holds where user_id = $1 and expires_at > now()), 0)::bigint as held
      """;

  /** Locks the user, checks and holds (migration 20260105000300_credit_functions.sql). */
  static final String RESERVE = "select outcome, tier, amount, available from public.credit_reserve($1, $2, $3, $4)";

  /**
   * The chat's limits and then its hold, one round trip (migration 20260111000100_chat_begin.sql):
   * chat_admit's outcome when it refuses, else credit_reserve's, with the limits' figures.
   */
  static final String BEGIN = "select outcome, tier, amount, available, remaining, retry_after_ms, reset_ms from public.chat_begin($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

  /** Locks the user and replaces the request's hold by its ledger row, once. */
  static final String SETTLE = "select outcome, charged, balance from public.credit_settle($1, $2, $3, $4, $5, $6)";

  /**
   * Settles a chat and, when it charged, keeps its turn's messages (and a new session's row) in the
   * same transaction (migration 20260111000200_chat_settle_turn.sql).
   */
  static final String SETTLE_TURN = "select outcome, charged, balance, stored, slot_ended from public.chat_settle_turn($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

  static final String DELETE_HOLD = "delete from credit_holds where request_id = $1 and user_id = $2";

  static final String INSERT_LEDGER =
      "insert into credits_ledger (user_id, delta, provider, units, reason, request_id) values ($1, $2, $3, $4, $5, $6) on conflict (request_id) do nothing returning id";

  /** A request's charge reversed by one row of its own ({@code <request_id>:refund}), at most once. */
  static final String REFUND =
      """
      insert into credits_ledger (user_id, delta, provider, units, reason, request_id)
      select user_id, -delta, provider, units, 'refund', request_id || ':refund' from credits_ledger where request_id = $1 and user_id = $2 and delta < 0
      on conflict (request_id) do nothing returning delta
      """;

  static final String RECENT =
      "select delta, provider, units, reason, request_id, created_at from credits_ledger where user_id = $1 order by created_at desc, id desc limit $2";

  static final String TIER = "select tier from profiles where id = $1";

  /** Returns a row only when the profile was new. */
  static final String CREATE_PROFILE = "insert into profiles (id, tier) values ($1, $2) on conflict (id) do nothing returning id";

  /** Usage rows (a provider set: charges, voice, refunds) of the last 24 h, net per user, most first (the admin dashboard). */
  static final String USAGE_TOP_USERS =
      "select user_id, -sum(delta) as credits, count(*) filter (where reason = 'chat') as chats from credits_ledger"
          + " where created_at > now() - interval '24 hours' and provider is not null group by user_id having -sum(delta) > 0 order by credits desc limit $1";

  /** Per provider over the last 24 h: net credits, chats, tokens in and out. */
  static final String USAGE_BY_PROVIDER =
      "select provider, -sum(delta) as credits, count(*) filter (where reason = 'chat') as chats,"
          + " coalesce(sum((units->>'input_tokens')::bigint) filter (where reason = 'chat'), 0) as tokens_in,"
          + " coalesce(sum((units->>'output_tokens')::bigint) filter (where reason = 'chat'), 0) as tokens_out"
          + " from credits_ledger where created_at > now() - interval '24 hours' and provider is not null group by provider order by credits desc";

  /** Charged chats per minute over the last hour (minutes without any are absent). */
  static final String CHATS_PER_MINUTE =
      "select date_trunc('minute', created_at) as minute, count(*) as chats from credits_ledger"
          + " where created_at > now() - interval '60 minutes' and reason = 'chat' group by 1 order by 1";
}
