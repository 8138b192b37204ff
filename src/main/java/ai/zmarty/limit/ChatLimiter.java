package ai.zmarty.limit;

import ai.zmarty.config.ZmartyConfig.ChatConfig;
import ai.zmarty.config.LimitScope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-user limits in front of the chat: {@code RATE_LIMIT_PER_MINUTE} requests in any minute
 * ({@code POST /chat} and {@code POST /chat/estimate} together) and {@code MAX_CONCURRENT_STREAMS}
 * answers at once. {@code CHAT_LIMITS_SCOPE=cluster} (the default, {@link SharedChatLimiter})
 * counts them in database A, so they hold over every API node together; {@code node} ({@link
 * NodeChatLimiter}) counts in each node's memory. A refused request counts against nothing.
 */
public interface ChatLimiter {
  /** The rate limit's window. */
  Duration WINDOW = Duration.ofMinutes(1);

  /** Counts one request of {@code user}; with {@code stream}, it also takes one of the user's stream slots. */
  Future<Admission> admit(UUID user, boolean stream);

  /**
   * For a streamed chat whose limits run in its credit hold's round trip ({@code credit.reserve}
   * with {@code admit}): the slot it will take, held by this node (renewed, and given back by
   * {@link #release} with {@link Deferred#slotHolder}) from now on. Empty when this limiter answers
   * at once from memory: then {@link #admit} is the check.
   */
  default Optional<Deferred> defer(UUID user) {
    return Optional.empty();
  }

  /**
   * A chat's limits to be checked in database A with its hold: {@code admit} is what
   * {@code credit.reserve} takes, {@link #decided} reads what it answered.
   */
  record Deferred(String user, UUID slot, int limit, Duration window, JsonObject admit) {
    /** What {@link #release} takes to give the slot back, whatever was decided. */
    public Admission slotHolder() {
      return new Admission(Admission.Outcome.ADMITTED, user, slot, limit, window.toSeconds(), 0, 0, 0);
    }

    /** From {@code limits} {outcome, remaining, retry_after_ms, reset_ms}. */
    public Admission decided(JsonObject limits) {
      Admission.Outcome outcome = Admission.Outcome.valueOf(limits.getString("outcome").toUpperCase(Locale.ROOT));
      return new Admission(outcome, user, outcome == Admission.Outcome.ADMITTED ? slot : null, limit, window.toSeconds(),
          limits.getInteger("remaining", 0), limits.getLong("retry_after_ms", 0L), limits.getLong("reset_ms", 0L));
    }
  }

  /**
   * Gives an admission's stream slot back (nothing without one; once only, however often called);
   * completes when it is given back, or when giving it back failed (then it lapses with its lease).
   */
  Future<Void> release(Admission admission);

  /**
   * The admission's slot was ended in database A by its answer's settlement (the chat's turn,
   * {@code chat_settle_turn}): this node stops holding it without a statement of its own. Where
   * the slots are not in A, the same as {@link #release}.
   */
  default void endedWithSettlement(Admission admission) {
    release(admission);
  }

  /** Starts keeping the slots this node holds alive, on the caller's context (an HTTP verticle's start). */
  void start(Vertx vertx);

  /** Stops renewing and gives back every slot still held (the node is stopping). */
  Future<Void> close();

  /** The limiter {@code chat} asks for: on database A's {@code pool}, slots named after {@code node}. */
  static ChatLimiter of(ChatConfig chat, Pool pool, String node) {
    return chat.limitScope() == LimitScope.NODE
        ? new NodeChatLimiter(chat.ratePerMinute(), chat.maxConcurrentStreams())
        : new SharedChatLimiter(pool, chat.ratePerMinute(), chat.maxConcurrentStreams(), chat.streamLease(), node);
  }
}
