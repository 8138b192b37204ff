package ai.zmarty.credit;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.db.UserScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/**
 * The credit package's one public entry on database A. Every change for a user runs in a
 * transaction that first locks the user's profile row, so reservations and settlements for one user
 * happen one at a time: the balance can never be spent twice, and a request id gets one ledger row.
 */
public final class CreditLedger {
  private final Pool pool;
  private final Pricing pricing;
  private final Duration holdTtl;
  private final long capPerRequest;

  /** Without a per-request cap: the tier's max_tokens alone bounds a call. */
  public CreditLedger(Pool pool, Pricing pricing, Duration holdTtl) {
    this(pool, pricing, holdTtl, Long.MAX_VALUE);
  }

  /** {@code capPerRequest}: the most one request may hold (and so be charged), in credits. */
  public CreditLedger(Pool pool, Pricing pricing, Duration holdTtl, long capPerRequest) {
    this.pool = pool;
    this.pricing = pricing;
    this.holdTtl = holdTtl;
    this.capPerRequest = capPerRequest;
  }

  /**
   * The output budget of a request under the tier and the per-request cap, or PAYMENT_REQUIRED
   * naming the cap when the prompt alone (plus the per-call minimum) leaves no room for output.
   */
  private Future<Pricing.Budget> budget(java.util.List<String> providers, long inputTokens, Tier tier) {
    return pricing.budget(providers, inputTokens, tier.maxTokens(), capPerRequest)
        .map(Future::succeededFuture)
        .orElseGet(() -> {
          String p = pricing.priciest(providers, inputTokens, 0);
          return Future.failedFuture(ErrorCode.PAYMENT_REQUIRED.exception(
              "this prompt alone costs " + pricing.worstCase(p, inputTokens, 0) + " credits with the per-call minimum, leaving no room for an answer under the per-request cap of "
                  + capPerRequest + " credits (CHAT_MAX_CREDITS_PER_REQUEST); shorten the message or start a new session"));
        });
  }

  public record Reservation(String requestId, long amount, int maxTokens, long availableAfter) {}

  public record Estimate(String provider, Tier tier, long inputTokens, int maxTokens, long maxCredits) {}

  /** The most a call with this prompt may cost the user, without reserving anything. */
  public Future<Estimate> estimate(UUID user, String provider, long inputTokens) {
    return estimate(user, java.util.List.of(provider), inputTokens);
  }

  /** The most a call may cost when it may be answered by any of {@code providers}: priced at the priciest. */
  public Future<Estimate> estimate(UUID user, java.util.List<String> providers, long inputTokens) {
    return tier(user).compose(tier -> budget(providers, inputTokens, tier).map(b -> new Estimate(b.provider(), tier, inputTokens, b.maxTokens(), b.worstCase())));
  }

  /** Charge for a finished call, at the provider's rates. */
  public long price(String provider, long inputTokens, long outputTokens) {
    return pricing.charge(provider, inputTokens, outputTokens);
  }

  public record Settlement(String requestId, long charged, long balance, boolean alreadySettled) {}

  /**
   * Holds the worst case of a call (the prompt plus the tier's max output tokens at the provider's
   * rates) for {@code requestId}, or fails with PAYMENT_REQUIRED before anything is spent.
   */
  public Future<Reservation> reserve(String requestId, UUID user, String provider, long inputTokens) {
    return reserve(requestId, user, java.util.List.of(provider), inputTokens);
  }

  /**
   * Holds the worst case at the priciest of {@code providers} (every provider the request may fall
   * back to), so whichever answers, the settlement fits inside the hold. The output budget is the
   * tier's max_tokens, lowered so the hold stays under the per-request cap.
   */
  public Future<Reservation> reserve(String requestId, UUID user, java.util.List<String> providers, long inputTokens) {
    return pool.withTransaction(
        conn ->
            lockUser(conn, user)
                .compose(tierName -> budget(providers, inputTokens, Tier.of(tierName)))
                .compose(budget -> state(conn, user, requestId).compose(state -> {
                  long amount = budget.worstCase();
                  if (state.chargedDelta() != null) {
                    return Future.failedFuture(ErrorCode.CONFLICT.exception("request " + requestId + " was already charged"));
                  }
                  long available = state.available();
                  if (available < amount) {
                    return Future.failedFuture(
                        ErrorCode.PAYMENT_REQUIRED.exception("this request may cost up to " + amount + " credits and " + Math.max(0, available) + " are available"));
                  }
                  return conn.preparedQuery(CreditSql.INSERT_HOLD)
                      .execute(Tuple.of(requestId, user, amount, (double) holdTtl.toSeconds()))
                      .map(r -> new Reservation(requestId, amount, budget.maxTokens(), available - amount));
                })));
  }

  /**
   * Replaces the hold by one ledger row of {@code -charge}, never more than was held (nor, without
   * a hold, more than is available). Settling the same request again changes nothing.
   */
  public Future<Settlement> settle(String requestId, UUID user, String provider, long inputTokens, long outputTokens, boolean estimated) {
    long charge = pricing.charge(provider, inputTokens, outputTokens);
    JsonObject units = new JsonObject().put("input_tokens", inputTokens).put("output_tokens", outputTokens).put("estimated", estimated);
    return settle(requestId, user, charge, provider, units, "chat");
  }

  /** Settles an already priced charge (data requests, voice, …). */
  public Future<Settlement> settle(String requestId, UUID user, long charge, String provider, JsonObject units, String reason) {
    return pool.withTransaction(
        conn ->
            lockUser(conn, user)
                .compose(tier -> state(conn, user, requestId))
                .compose(state -> {
                  if (state.chargedDelta() != null) {
                    return Future.succeededFuture(new Settlement(requestId, -state.chargedDelta(), state.balance(), true));
                  }
                  long cap = state.holdAmount() != null ? state.holdAmount() : Math.max(0, state.available());
                  long charged = Math.max(0, Math.min(charge, cap));
                  return conn.preparedQuery(CreditSql.CHARGE)
                      .execute(Tuple.of(user, -charged, provider, units, reason, requestId))
                      .map(r -> new Settlement(requestId, charged, state.balance() - charged, false));
                }));
  }

  /** Drops the hold of a request that will not be charged. */
  public Future<Void> release(String requestId, UUID user) {
    return pool.preparedQuery(CreditSql.DELETE_HOLD).execute(Tuple.of(requestId, user)).mapEmpty();
  }

  /** A positive ledger row (grants, top-ups); idempotent per request id. */
  public Future<Long> grant(UUID user, long amount, String reason, String requestId) {
    if (amount <= 0) {
      return Future.failedFuture(ErrorCode.BAD_REQUEST.exception("a grant must be positive"));
    }
    return pool.withTransaction(
        conn ->
            lockUser(conn, user)
                .compose(t -> conn.preparedQuery(CreditSql.INSERT_LEDGER).execute(Tuple.of(user, amount, null, new JsonObject(), reason, requestId)))
                .compose(r -> balance(conn, user)));
  }

  /** The user's balance, credits on hold and latest ledger rows, read under the user's RLS. */
  public Future<JsonObject> statement(UUID user, int limit) {
    return UserScope.asUser(
        pool,
        user,
        conn ->
            conn.preparedQuery(CreditSql.AVAILABLE)
                .execute(Tuple.of(user))
                .compose(totals -> conn.preparedQuery(CreditSql.RECENT).execute(Tuple.of(user, limit)).map(rows -> {
                  Row t = totals.iterator().next();
                  JsonArray recent = new JsonArray();
                  for (Row r : rows) {
                    recent.add(
                        new JsonObject()
                            .put("delta", r.getLong("delta"))
                            .put("provider", r.getString("provider"))
                            .put("units", r.getValue("units"))
                            .put("reason", r.getString("reason"))
                            .put("request_id", r.getString("request_id"))
                            .put("created_at", r.getOffsetDateTime("created_at").toString()));
                  }
                  long balance = t.getLong("balance");
                  long held = t.getLong("held");
                  return new JsonObject().put("balance", balance).put("held", held).put("available", balance - held).put("recent", recent);
                })));
  }

  private static Future<String> lockUser(SqlConnection conn, UUID user) {
    return conn.preparedQuery(CreditSql.LOCK_USER)
        .execute(Tuple.of(user))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(ErrorCode.FORBIDDEN.exception("user " + user + " has no profile"))
                    : Future.succeededFuture(rows.iterator().next().getString("tier")));
  }

  /** What a reservation or a settlement decides on, read after the user's row is locked. */
  private record State(Long chargedDelta, Long holdAmount, long balance, long held) {
    long available() {
      return balance - held;
    }
  }

  /**
   * One read, after {@link #lockUser} (a statement of its own, so this one's snapshot sees every
   * change committed by whoever held the lock before).
   */
  private static Future<State> state(SqlConnection conn, UUID user, String requestId) {
    return conn.preparedQuery(CreditSql.STATE).execute(Tuple.of(user, requestId)).map(rows -> {
      Row r = rows.iterator().next();
      return new State(r.getLong("charged_delta"), r.getLong("hold_amount"), r.getLong("balance"), r.getLong("held"));
    });
  }

  private static Future<Long> balance(SqlConnection conn, UUID user) {
    return conn.preparedQuery(CreditSql.AVAILABLE).execute(Tuple.of(user)).map(rows -> rows.iterator().next().getLong("balance"));
  }

  /** The user's tier from A (the token's claim is not trusted for this). */
  public Future<Tier> tier(UUID user) {
    return pool.preparedQuery("select tier from profiles where id = $1")
        .execute(Tuple.of(user))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(ErrorCode.FORBIDDEN.exception("user " + user + " has no profile"))
                    : Future.succeededFuture(Tier.of(rows.iterator().next().getString("tier"))));
  }
}
