package ai.zmarty.credit;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.bus.Replies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The credit service on the bus: {@code credit.reserve}, {@code credit.settle},
 * {@code credit.release}, {@code credit.statement}. Bodies:
 * <ul>
 *   <li>reserve {request_id, user_id, provider | providers[], input_tokens, admit?} → {request_id, amount, max_tokens, available_after, limits?}; 402 when short.
 *       With {@code providers} (the fallback chain) the worst case is held at the priciest of them. With {@code admit}
 *       {rate_limit, window_ms, slot?, node, stream_limit, lease_ms} the chat limits run first, in the same round trip:
 *       {@code limits} {outcome, remaining, retry_after_ms, reset_ms}; refused by them, the reply is only {@code limits} and nothing is held.
 *   <li>settle {request_id, user_id, provider, input_tokens, output_tokens, estimated, turn?} → {request_id, charged, balance, already_settled, turn_stored, slot_ended}:
 *       with {@code turn} {session_id, new_session, question, answer, slot?} a chat's turn is kept in the same transaction when it is charged,
 *       and its stream slot ended
 *   <li>estimate {user_id, provider | providers[], input_tokens} → {provider, tier, input_tokens, max_tokens, max_credits}
 *   <li>release {request_id, user_id} → {}
 *   <li>grant {request_id, user_id, amount, reason} → {request_id, balance}; a repeated request id grants once
 *   <li>statement {user_id, limit} → {balance, held, available, recent[]}
 * </ul>
 */
public final class CreditVerticle extends VerticleBase {
  private final CreditLedger ledger;

  public CreditVerticle(CreditLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.join(java.util.List.of(
        bus.<JsonObject>consumer(Addresses.CREDIT_RESERVE, this::reserve).completion(),
        bus.<JsonObject>consumer(Addresses.CREDIT_ESTIMATE, this::estimate).completion(),
        bus.<JsonObject>consumer(Addresses.CREDIT_SETTLE, this::settle).completion(),
        bus.<JsonObject>consumer(Addresses.CREDIT_RELEASE, this::release).completion(),
        bus.<JsonObject>consumer(Addresses.CREDIT_GRANT, this::grant).completion(),
        bus.<JsonObject>consumer(Addresses.CREDIT_REFUND, this::refund).completion(),
        bus.<JsonObject>consumer(Addresses.CREDIT_STATEMENT, this::statement).completion()));
  }

  private void reserve(Message<JsonObject> msg) {
    Replies.reply(msg, parse(msg).compose(b -> ledger.reserve(Replies.required(b, "request_id"), user(b), providers(b), count(b, "input_tokens"), admit(b.getJsonObject("admit")))).map(begun -> {
      JsonObject limits = begun.limits() == null ? null
          : new JsonObject().put("outcome", begun.limits().outcome()).put("remaining", begun.limits().remaining()).put("retry_after_ms", begun.limits().retryAfterMs()).put("reset_ms", begun.limits().resetMs());
      CreditLedger.Reservation r = begun.reservation();
      JsonObject reply = r == null ? new JsonObject()
          : new JsonObject().put("request_id", r.requestId()).put("amount", r.amount()).put("max_tokens", r.maxTokens()).put("available_after", r.availableAfter());
      return limits == null ? reply : reply.put("limits", limits);
    }));
  }

  /** The chat limits a reservation runs first: {rate_limit, window_ms, slot?, node, stream_limit, lease_ms}. */
  private static CreditLedger.Admit admit(JsonObject a) {
    if (a == null) {
      return null;
    }
    Integer rate = a.getInteger("rate_limit");
    Long window = a.getLong("window_ms");
    Integer streams = a.getInteger("stream_limit");
    Long lease = a.getLong("lease_ms");
    if (rate == null || rate < 1 || window == null || window < 1 || streams == null || streams < 1 || lease == null || lease < 1) {
      throw ErrorCode.BAD_REQUEST.exception("admit needs rate_limit, window_ms, stream_limit and lease_ms, each a positive whole number");
    }
    UUID slot;
    try {
      slot = a.getString("slot") == null ? null : UUID.fromString(a.getString("slot"));
    } catch (IllegalArgumentException e) {
      throw ErrorCode.BAD_REQUEST.exception("admit.slot is not a UUID");
    }
    return new CreditLedger.Admit(rate, window, slot, Replies.required(a, "node"), streams, lease);
  }

  private void estimate(Message<JsonObject> msg) {
    Replies.reply(msg, parse(msg).compose(b -> ledger.estimate(user(b), providers(b), count(b, "input_tokens")))
        .map(e -> new JsonObject().put("provider", e.provider()).put("tier", e.tier().wire()).put("input_tokens", e.inputTokens()).put("max_tokens", e.maxTokens()).put("max_credits", e.maxCredits())));
  }

  private void settle(Message<JsonObject> msg) {
    Replies.reply(msg, parse(msg).compose(b -> ledger.settle(
                Replies.required(b, "request_id"), user(b), Replies.required(b, "provider"), count(b, "input_tokens"), count(b, "output_tokens"), b.getBoolean("estimated", false), turn(b.getJsonObject("turn"))))
        .map(s -> new JsonObject().put("request_id", s.requestId()).put("charged", s.charged()).put("balance", s.balance()).put("already_settled", s.alreadySettled()).put("turn_stored", s.turnStored()).put("slot_ended", s.slotEnded())));
  }

  /** The chat turn to keep with the settlement: {session_id, new_session, question, answer, slot?}. */
  private static CreditLedger.Turn turn(JsonObject t) {
    if (t == null) {
      return null;
    }
    try {
      return new CreditLedger.Turn(UUID.fromString(Replies.required(t, "session_id")), t.getBoolean("new_session", false), Replies.required(t, "question"), t.getString("answer", ""),
          t.getString("slot") == null ? null : UUID.fromString(t.getString("slot")));
    } catch (IllegalArgumentException e) {
      throw ErrorCode.BAD_REQUEST.exception("turn.session_id and turn.slot must be UUIDs");
    }
  }

  private void release(Message<JsonObject> msg) {
    Replies.reply(msg, parse(msg).compose(b -> ledger.release(Replies.required(b, "request_id"), user(b))).map(v -> new JsonObject()));
  }

  private void refund(Message<JsonObject> msg) {
    Replies.reply(msg, parse(msg).compose(b -> ledger.refund(Replies.required(b, "request_id"), user(b))).map(refunded -> new JsonObject().put("refunded", refunded)));
  }

  private void grant(Message<JsonObject> msg) {
    Replies.reply(msg, parse(msg).compose(b -> {
      String requestId = Replies.required(b, "request_id");
      Long amount = b.getLong("amount");
      if (amount == null || amount <= 0 || amount > CreditLedger.MAX_GRANT) {
        return Future.failedFuture(ErrorCode.BAD_REQUEST.exception("amount must be a whole number of credits from 1 to 10,000,000"));
      }
      return ledger.grant(user(b), amount, Replies.required(b, "reason"), requestId).map(balance -> new JsonObject().put("request_id", requestId).put("balance", balance));
    }));
  }

  private void statement(Message<JsonObject> msg) {
    Replies.reply(msg, parse(msg).compose(b -> ledger.statement(user(b), Math.max(1, Math.min(100, b.getInteger("limit", 20))))));
  }

  private static Future<JsonObject> parse(Message<JsonObject> msg) {
    return msg.body() == null ? Future.failedFuture(ErrorCode.BAD_REQUEST.exception("empty body")) : Future.succeededFuture(msg.body());
  }

  /** {@code providers} (a non-empty array of names) or the single {@code provider}. */
  private static java.util.List<String> providers(JsonObject b) {
    io.vertx.core.json.JsonArray list = b.getJsonArray("providers");
    if (list == null) {
      return java.util.List.of(Replies.required(b, "provider"));
    }
    if (list.isEmpty()) {
      throw ErrorCode.BAD_REQUEST.exception("providers must name at least one provider");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Object p : list) {
      if (!(p instanceof String name) || name.isBlank()) {
        throw ErrorCode.BAD_REQUEST.exception("providers must be names");
      }
      out.add(name);
    }
    return out;
  }

  private static UUID user(JsonObject b) {
    try {
      return UUID.fromString(Replies.required(b, "user_id"));
    } catch (IllegalArgumentException e) {
      throw ErrorCode.BAD_REQUEST.exception("user_id is not a UUID");
    }
  }

  private static long count(JsonObject b, String field) {
    Long v = b.getLong(field);
    if (v == null || v < 0) {
      throw ErrorCode.BAD_REQUEST.exception(field + " must be a number of tokens (0 or more)");
    }
    return v;
  }
}
