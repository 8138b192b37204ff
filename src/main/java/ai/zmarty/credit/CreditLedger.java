package ai.zmarty.credit;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.db.UserScope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * The credit package's one public entry on database A. Every change for a user first locks the
 * user's profile row, so reservations and settlements for one user happen one at a time: the
 * balance can never be spent twice, and a request id gets one ledger row. Reserve and settle sit on
 * every chat's path, so each is one call of a database function ({@code credit_reserve},
 * {@code credit_settle}: one round trip, its own transaction); the pricing stays here.
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

  /**
   * {@code turnStored}: the chat turn asked to be kept with the settlement is there (false when none
   * was asked for, or nothing was charged); {@code slotEnded}: the turn's stream slot was ended with it.
   */
  public record Settlement(String requestId, long charged, long balance, boolean alreadySettled, boolean turnStored, boolean slotEnded) {}

  /**
   * A chat's turn to keep with its settlement when it is charged: the question and the answer in
   * {@code session}, whose row is written too when {@code newSession}; {@code slot} (or null): the
   * answer's stream slot, ended with the settlement whatever it charged.
   */
  public record Turn(UUID session, boolean newSession, String question, String answer, UUID slot) {}

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
    return reserve(requestId, user, providers, inputTokens, null).map(Begun::reservation);
  }

  /**
   * The per-user chat limits a reservation runs first when it carries them (database A's
   * {@code chat_admit}, in the same round trip as the hold): {@code rateLimit} requests per
   * {@code windowMs}, and, with a {@code slot}, one of the user's {@code streamLimit} stream slots,
   * leased for {@code leaseMs} to {@code node}.
   */
  public record Admit(int rateLimit, long windowMs, UUID slot, String node, int streamLimit, long leaseMs) {}

  /** What the limits said: {@code outcome} admitted, rate_limited or streams_full, with their figures. */
  public record Limits(String outcome, int remaining, long retryAfterMs, long resetMs) {
    public boolean admitted() {
      return outcome.equals("admitted");
    }
  }

  /**
   * A reservation run behind the limits: refused by them ({@code reservation} null), or admitted
   * and held. {@code limits} is null when none were asked for.
   */
  public record Begun(Limits limits, Reservation reservation) {}

  /**
   * {@link #reserve(String, UUID, java.util.List, long)}, behind the chat limits when {@code admit}
   * is not null: one round trip for both. A request the limits refuse holds nothing and succeeds
   * with their answer; one they admit fails as a reservation does (PAYMENT_REQUIRED, …), counted
   * by the limits and holding its slot, which the caller gives back.
   */
  public Future<Begun> reserve(String requestId, UUID user, java.util.List<String> providers, long inputTokens, Admit admit) {
    // The tier is only known once the row is locked, so every tier's worst case goes along.
    Map<Tier, Pricing.Budget> budgets = new EnumMap<>(Tier.class);
    JsonObject amounts = new JsonObject();
    for (Tier t : Tier.values()) {
      pricing.budget(providers, inputTokens, t.maxTokens(), capPerRequest).ifPresent(b -> {
        budgets.put(t, b);
        amounts.put(t.wire(), b.worstCase());
      });
    }
    Tuple args = Tuple.of(requestId, user, amounts, (double) holdTtl.toSeconds());
    if (admit != null) {
      args.addInteger(admit.rateLimit()).addLong(admit.windowMs()).addUUID(admit.slot()).addString(admit.node()).addInteger(admit.streamLimit()).addLong(admit.leaseMs());
    }
    return pool.preparedQuery(admit == null ? CreditSql.RESERVE : CreditSql.BEGIN).execute(args).compose(rows -> {
      Row r = rows.iterator().next();
      String outcome = r.getString("outcome");
      Limits limits = admit == null ? null
          : new Limits(outcome.equals("rate_limited") || outcome.equals("streams_full") ? outcome : "admitted", r.getInteger("remaining"), r.getLong("retry_after_ms"), r.getLong("reset_ms"));
      if (limits != null && !limits.admitted()) {
        return Future.succeededFuture(new Begun(limits, null));
      }
      return switch (outcome) {
        case "held" -> Future.succeededFuture(new Begun(limits, new Reservation(requestId, r.getLong("amount"), budgets.get(Tier.of(r.getString("tier"))).maxTokens(), r.getLong("available"))));
        case "insufficient" -> Future.failedFuture(ErrorCode.PAYMENT_REQUIRED.exception(
            "this request may cost up to " + r.getLong("amount") + " credits and " + Math.max(0, r.getLong("available")) + " are available"));
        case "already_charged" -> Future.failedFuture(ErrorCode.CONFLICT.exception("request " + requestId + " was already charged"));
        case "no_budget" -> budget(providers, inputTokens, Tier.of(r.getString("tier"))).mapEmpty();
        case "no_profile" -> Future.failedFuture(noProfile(user));
        default -> Future.failedFuture(new IllegalStateException("credit_reserve answered " + outcome));
      };
    });
  }

  /**
   * Replaces the hold by one ledger row of {@code -charge}, never more than was held (nor, without
   * a hold, more than is available). Settling the same request again changes nothing.
   */
  public Future<Settlement> settle(String requestId, UUID user, String provider, long inputTokens, long outputTokens, boolean estimated) {
    return settle(requestId, user, provider, inputTokens, outputTokens, estimated, null);
  }

  /**
   * {@link #settle(String, UUID, String, long, long, boolean)}, keeping {@code turn} (when not null)
   * in the same transaction if the settlement charges anything: the turn is stored exactly when
   * the chat is charged, and a failure of either leaves neither.
   */
  public Future<Settlement> settle(String requestId, UUID user, String provider, long inputTokens, long outputTokens, boolean estimated, Turn turn) {
    long charge = pricing.charge(provider, inputTokens, outputTokens);
    JsonObject units = new JsonObject().put("input_tokens", inputTokens).put("output_tokens", outputTokens).put("estimated", estimated);
    if (turn == null) {
      return settle(requestId, user, charge, provider, units, "chat");
    }
    Tuple args = Tuple.of(requestId, user, charge, provider, units, "chat").addUUID(turn.session()).addBoolean(turn.newSession()).addString(turn.question()).addString(turn.answer()).addUUID(turn.slot());
    return pool.preparedQuery(CreditSql.SETTLE_TURN).execute(args).compose(rows -> settled(requestId, user, rows.iterator().next(), true));
  }

  /** Settles an already priced charge (data requests, voice, …). */
  public Future<Settlement> settle(String requestId, UUID user, long charge, String provider, JsonObject units, String reason) {
    return pool.preparedQuery(CreditSql.SETTLE).execute(Tuple.of(requestId, user, charge, provider, units, reason)).compose(rows -> settled(requestId, user, rows.iterator().next(), false));
  }

  private static Future<Settlement> settled(String requestId, UUID user, Row r, boolean withTurn) {
    String outcome = r.getString("outcome");
    return switch (outcome) {
      case "settled", "already_settled" -> Future.succeededFuture(
          new Settlement(requestId, r.getLong("charged"), r.getLong("balance"), outcome.equals("already_settled"), withTurn && Boolean.TRUE.equals(r.getBoolean("stored")),
              withTurn && Boolean.TRUE.equals(r.getBoolean("slot_ended"))));
      case "no_profile" -> Future.failedFuture(noProfile(user));
      default -> Future.failedFuture(new IllegalStateException("credit_settle answered " + outcome));
    };
  }

  /** Drops the hold of a request that will not be charged. */
  public Future<Void> release(String requestId, UUID user) {
    return pool.preparedQuery(CreditSql.DELETE_HOLD).execute(Tuple.of(requestId, user)).mapEmpty();
  }

  /** The most one grant (an operator's top-up) may add. */
  public static final long MAX_GRANT = 10_000_000;

  /** Reverses the charge of {@code requestId} (its answer could not be kept); the credits refunded, 0 when there was none or it was already refunded. */
  public Future<Long> refund(String requestId, UUID user) {
    return pool.preparedQuery(CreditSql.REFUND).execute(Tuple.of(requestId, user)).map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("delta"));
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

  /**
   * Opens a credit account inside the caller's transaction: the user's profile at {@code tier} and,
   * when the profile is new, a first ledger row of {@code credits} (idempotent per {@code
   * requestId}). Completes with true when the profile was created now, false when it existed (and
   * then nothing is granted).
   */
  public static Future<Boolean> openAccount(SqlClient conn, UUID user, Tier tier, long credits, String reason, String requestId) {
    return conn.preparedQuery(CreditSql.CREATE_PROFILE).execute(Tuple.of(user, tier.wire())).compose(created -> created.size() == 0
        ? Future.succeededFuture(false)
        : conn.preparedQuery(CreditSql.INSERT_LEDGER).execute(Tuple.of(user, credits, null, new JsonObject(), reason, requestId)).map(true));
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
                rows.size() == 0 ? Future.failedFuture(noProfile(user)) : Future.succeededFuture(rows.iterator().next().getString("tier")));
  }

  private static RuntimeException noProfile(UUID user) {
    return ErrorCode.FORBIDDEN.exception("user " + user + " has no profile");
  }

  private static Future<Long> balance(SqlConnection conn, UUID user) {
    return conn.preparedQuery(CreditSql.AVAILABLE).execute(Tuple.of(user)).map(rows -> rows.iterator().next().getLong("balance"));
  }

  /** The user's tier from A (the token's claim is not trusted for this). */
  public Future<Tier> tier(UUID user) {
    return pool.preparedQuery(CreditSql.TIER)
        .execute(Tuple.of(user))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(ErrorCode.FORBIDDEN.exception("user " + user + " has no profile"))
                    : Future.succeededFuture(Tier.of(rows.iterator().next().getString("tier"))));
  }
}
