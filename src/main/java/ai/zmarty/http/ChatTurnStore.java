package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import ai.zmarty.session.ChatSessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What one chat keeps or gives back: its idempotency claim and its session turn. A charged answer's
 * turn is stored with the claim's response (or the claim released); a turn that cannot be stored has
 * its charge refunded, so no charge stands without its turn.
 */
final class ChatTurnStore {
  private final Vertx vertx;
  private final ChatSessions sessions;
  private final UUID user;
  private final String requestId;
  private final String key;
  /** {@code (what, error)}: how a failed step is logged. */
  private final BiConsumer<String, Throwable> onError;
  /** Gives the answer's stream slot back (its limits, {@link Limits#giveSlotBack}). */
  private final Supplier<Future<Void>> slotBack;
  private ChatSessions.Turn turn;
  private boolean claimed;

  ChatTurnStore(Vertx vertx, ChatSessions sessions, UUID user, String requestId, String key, Supplier<Future<Void>> slotBack, BiConsumer<String, Throwable> onError) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.user = user;
    this.requestId = requestId;
    this.key = key;
    this.onError = onError;
    this.slotBack = slotBack;
  }

  void claimed() {
    claimed = key != null;
  }

  void turn(ChatSessions.Turn t) {
    turn = t;
  }

  ChatSessions.Turn turn() {
    return turn;
  }

  /** Nothing to keep: a retry with the same key runs again, and the session's turn is not used up. */
  Future<Void> giveBack() {
    Future<Void> keyBack = !claimed ? Future.succeededFuture()
        : sessions.abandon(user, key, requestId).<Void>mapEmpty().onFailure(e -> onError.accept("giving back the idempotency key failed", e));
    Future<Void> turnBack = turn == null ? Future.succeededFuture()
        : sessions.giveBack(user, turn).<Void>mapEmpty().onFailure(e -> onError.accept("giving back the session turn failed", e));
    return Future.join(keyBack, turnBack, slotBack.get()).mapEmpty();
  }

  /**
   * Stores the turn's question and answer (unless {@code stored}: the router kept them with the
   * settlement), then completes the claim with {@code response}, or releases it
   * ({@code releaseKey}); meanwhile the answer's stream slot goes back.
   */
  Future<Void> keep(String question, String answer, JsonObject response, boolean releaseKey, boolean stored) {
    Future<Void> kept = (stored ? Future.<Void>succeededFuture() : sessions.record(user, turn, question, answer, requestId))
        .compose(v -> !claimed ? Future.<Void>succeededFuture()
            : releaseKey ? sessions.abandon(user, key, requestId) : sessions.complete(user, key, requestId, response));
    return Future.join(kept, slotBack.get()).transform(ar -> kept);
  }

  /** The turn could not be stored: the charge is refunded, then the turn and the claim go back. */
  Future<Void> refund() {
    JsonObject refund = new JsonObject().put("request_id", requestId).put("user_id", user.toString());
    return vertx.eventBus().<JsonObject>request(Addresses.CREDIT_REFUND, refund)
        .onFailure(e -> onError.accept("refunding an unstored chat turn failed", e))
        .transform(ar -> giveBack());
  }
}
