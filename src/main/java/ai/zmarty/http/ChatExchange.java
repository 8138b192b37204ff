package ai.zmarty.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.router.ChatLog;
import ai.zmarty.router.RouterFailure;
import ai.zmarty.router.StreamEvent;
import ai.zmarty.session.ChatSessions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.logstash.logback.argument.StructuredArgument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code POST /chat}: claims its idempotency key, takes the session's turn, asks the router and
 * relays the answer, then keeps the key's response (the turn's two messages the router kept with
 * its settlement) or gives both back.
 * Its {@link ChatState} moves only through {@link #moveTo}. Interrupted (the client left, or the node is
 * stopping) it asks the router to stop and still waits for the answer's last event: what was
 * produced is charged, and a charged answer's turn is stored, so a turn is stored whole or not charged.
 */
final class ChatExchange {
  private static final Logger log = LoggerFactory.getLogger(ChatExchange.class);
  private static final long IDLE_TIMEOUT_MS = 60_000;
  /** The router answers at the first token, after any fallbacks (each up to its first-byte timeout). */
  private static final long ACCEPT_TIMEOUT_MS = 150_000;
  /** Two ElevenLabs calls (one retry when busy) and the backoff between them. */
  private static final long VOICE_TIMEOUT_MS = 50_000;
  static final String ENDPOINT = "/chat";

  private final Vertx vertx;
  private final ChatSessions sessions;
  private final RoutingContext rc;
  private final ChatRequest request;
  private final UUID user;
  private final String requestId = UUID.randomUUID().toString();
  private final long startedAt = System.nanoTime();
  private final ChatReply reply;
  private final SseWriter sse;
  private final List<Object> early = new ArrayList<>();
  private final StringBuilder answer = new StringBuilder();
  private final Promise<Void> over = Promise.promise();
  private ChatState state = ChatState.NEW;
  private ChatState.Interruption interrupted;
  private MessageConsumer<Object> stream;
  private final ChatTurnStore store;
  private final IdleDeadline idle;
  /** The router kept the turn's messages with its settlement ({@link StreamEvent#TURN_STORED}). */
  private boolean storedWithCharge;

  ChatExchange(Vertx vertx, ChatSessions sessions, RoutingContext rc, ChatRequest request) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.rc = rc;
    this.request = request;
    this.user = Authenticator.user(rc).id();
    this.reply = new ChatReply(vertx, rc, request.sse());
    this.sse = reply.sse();
    this.idle = new IdleDeadline(vertx, IDLE_TIMEOUT_MS, () -> onEvent(new JsonObject().put("type", "error").put("error", ErrorCode.TIMEOUT.wire()).put("message", "the model router stopped answering")));
    this.store = new ChatTurnStore(vertx, sessions, user, requestId, request.idempotencyKey(), () -> Limits.giveSlotBack(rc),
        (what, e) -> log.error(what + " " + ChatLog.PATTERN + ": {}", ChatLog.with(fields(null, 0, 0, 0), e.toString())));
  }

  /** Completes when the exchange is over: answered or failed, and its turn and key kept or given back. */
  Future<Void> over() {
    return over.future();
  }

  private boolean moveTo(ChatState next) {
    if (!state.canMoveTo(next)) {
      return false;
    }
    state = next;
    if (next == ChatState.DONE) {
      cleanUp();
    }
    return true;
  }

  /** Claims the idempotency key (before any reservation), takes the session's turn, then asks the router. */
  void run() {
    moveTo(ChatState.CLAIMING);
    rc.response().closeHandler(v -> interrupt(ChatState.Interruption.CLIENT_GONE));
    String key = request.idempotencyKey();
    Future<ChatSessions.Claim> claim = key == null ? Future.succeededFuture(new ChatSessions.Claimed())
        : sessions.claim(user, key, requestId, ChatSessions.fingerprint(request.message(), request.sessionId(), request.mode()));
    claim.onFailure(this::fail).onSuccess(c -> {
      switch (c) {
        case ChatSessions.Done done -> end(() -> reply.replay(done.response()));
        case ChatSessions.Mismatch mismatch -> end(() -> Errors.send(rc, ErrorCode.UNPROCESSABLE, "this " + ChatRequest.IDEMPOTENCY_KEY + " was used for a different request (message, session_id or mode); use a new key for a new request"));
        case ChatSessions.Running running -> end(() -> Errors.send(rc, ErrorCode.CONFLICT, "a request with this " + ChatRequest.IDEMPOTENCY_KEY + " is still in progress; retry when it has finished"));
        case ChatSessions.Claimed fresh -> {
          store.claimed();
          if (interrupted != null || !moveTo(ChatState.TAKING_TURN)) {
            fail(ErrorCode.UNAVAILABLE.exception("the client went away"));
            return;
          }
          sessions.takeTurn(user, request.sessionId()).onFailure(this::fail).onSuccess(t -> {
            store.turn(t);
            if (interrupted != null) {
              fail(ErrorCode.UNAVAILABLE.exception("the client went away"));
            } else {
              ask();
            }
          });
        }
      }
    });
  }

  /**
   * The client left, or the node is stopping. Before the router has the request, the exchange ends
   * here; after, the router is told to stop and its last event still settles the turn.
   */
  void interrupt(ChatState.Interruption why) {
    if (interrupted != null || state == ChatState.DONE || state == ChatState.STORING || state == ChatState.SPEAKING) {
      return;
    }
    interrupted = why;
    if (sse != null && why == ChatState.Interruption.CLIENT_GONE) {
      sse.stop(); // no heartbeat to a closed connection while the router settles
    }
    log.info("chat interrupted " + ChatLog.PATTERN + " {}", ChatLog.with(fields(null, 0, 0, 0), kv("interruption", why.name().toLowerCase(java.util.Locale.ROOT))));
    if (state == ChatState.ASKING || state == ChatState.STREAMING) {
      vertx.eventBus().send(Addresses.chatCancel(requestId), new JsonObject());
    }
  }

  private void end(Runnable answer) {
    moveTo(ChatState.DONE);
    answer.run();
    over.tryComplete();
  }

  private void ask() {
    if (!moveTo(ChatState.ASKING)) {
      return;
    }
    stream = vertx.eventBus().consumer(Addresses.chatStream(requestId), m -> onEvent(m.body()));
    JsonObject ask = new JsonObject().put("request_id", requestId).put("user_id", user.toString()).put("message", request.message()).put("history", store.turn().history())
        .put("stream_address", Addresses.chatStream(requestId)).put("endpoint", ENDPOINT)
        // kept with the settlement, in its transaction, when the answer is charged
        .put("turn", new JsonObject().put("session_id", store.turn().sessionId().toString()).put("new_session", !store.turn().stored()).put("slot", Limits.slot(rc)));
    JsonObject admit = Limits.deferred(rc);
    if (admit != null) {
      ask.put("admit", admit); // the limits run in the hold's round trip
    }
    // The consumer must be known cluster-wide before the router, maybe on another node, sends to it.
    stream.completion()
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.MODEL_CHAT, ask, new DeliveryOptions().setSendTimeout(ACCEPT_TIMEOUT_MS)))
        .onSuccess(reply -> {
          JsonObject limits = reply.body().getJsonObject("limits");
          if (Limits.decided(rc, limits)) {
            begin();
          } else {
            refused(limits);
          }
        })
        .onFailure(this::fail);
  }

  /** The limits refused the chat (nothing was held): the claim and the turn go back, then 429. */
  private void refused(JsonObject limits) {
    if (!moveTo(ChatState.DONE)) {
      return;
    }
    log.info("chat refused " + ChatLog.PATTERN + " {} {}", ChatLog.with(fields(null, 0, 0, 0), kv("status", ErrorCode.RATE_LIMITED.httpStatus()), kv("reason", limits.getString("outcome"))));
    store.giveBack().onComplete(v -> {
      if (interrupted == ChatState.Interruption.SHUTTING_DOWN) {
        reply.stoppedBeforeAnswer();
      } else if (interrupted == null) {
        Limits.refuse(rc, limits);
      }
      over.tryComplete();
    });
  }

  /** Ends the request with a JSON error before any answer; the claim and the turn go back first. */
  private void fail(Throwable err) {
    if (!moveTo(ChatState.DONE)) {
      return;
    }
    ErrorCode code = ErrorCode.of(err);
    String message = code == ErrorCode.INTERNAL ? "internal error" : ai.zmarty.db.Unreachable.is(err) ? "database unavailable; retry shortly" : err.getMessage();
    if (code == ErrorCode.INTERNAL) {
      log.error("chat failed " + ChatLog.PATTERN, ChatLog.with(fields(null, 0, 0, 0), err));
    } else {
      log.info("chat refused " + ChatLog.PATTERN + " {} {}", ChatLog.with(fields(null, 0, 0, 0), kv("status", code.httpStatus()), kv("reason", message)));
    }
    // The key and turn are given back before the client hears of the failure, so an immediate retry is not "in progress".
    store.giveBack().onComplete(v -> {
      if (interrupted == ChatState.Interruption.SHUTTING_DOWN) {
        reply.stoppedBeforeAnswer();
      } else if (interrupted == null) {
        if (err instanceof RouterFailure f && !rc.response().headWritten()) {
          rc.response().putHeader("Retry-After", Long.toString(f.retryAfterSeconds()));
        } else if (code == ErrorCode.UNAVAILABLE && !rc.response().headWritten()) {
          rc.response().putHeader("Retry-After", Integer.toString(ai.zmarty.db.Unreachable.RETRY_AFTER_SECONDS));
        }
        Errors.send(rc, code, message);
      }
      over.tryComplete();
    });
  }

  private void begin() {
    if (!moveTo(ChatState.STREAMING)) {
      return;
    }
    if (sse != null && interrupted == null) {
      sse.open(requestId);
    }
    idle.touch();
    List<Object> queued = List.copyOf(early);
    early.clear();
    queued.forEach(this::onEvent); // the first of them takes the headers along, in one write
    if (sse != null && state == ChatState.STREAMING) {
      sse.flush();
    }
  }

  /** One stream message from the router: a String is answer text, a JsonObject its last event. */
  private void onEvent(Object body) {
    if (state == ChatState.ASKING) {
      early.add(body);
      return;
    }
    if (state != ChatState.STREAMING) {
      return;
    }
    idle.touch();
    if (body instanceof String text) {
      answer.append(text);
      if (sse != null && interrupted == null) {
        sse.token(text);
      }
      return;
    }
    JsonObject event = (JsonObject) body;
    String type = event.getString("type", "error");
    storedWithCharge = Boolean.TRUE.equals(event.remove(StreamEvent.TURN_STORED));
    if (Boolean.TRUE.equals(event.remove(StreamEvent.SLOT_ENDED))) {
      Limits.slotEndedWithSettlement(rc);
    }
    if (request.voice() && interrupted == null && type.equals("done") && !event.containsKey("audio_url")) {
      speak(event);
      return;
    }
    event.remove("type");
    if (event.getLong("credits_charged", 0L) > 0) {
      // charged for output: the turn keeps what was paid for; a cut answer's key keeps that outcome
      // (a retry gets it instead of a second charge), unless the node was stopping: then the key is released
      keep(type.equals("done") && interrupted == null ? "done" : "error", event);
      return;
    }
    moveTo(ChatState.DONE);
    store.giveBack().onComplete(v -> {
      if (interrupted == ChatState.Interruption.SHUTTING_DOWN) {
        reply.stopped(event, answer.toString(), store.turn() == null ? null : store.turn().sessionId().toString());
      } else if (interrupted == null) {
        int status = ErrorCode.INTERNAL.wire().equals(event.getString("error")) ? 500 : answer.isEmpty() ? 503 : 502;
        reply.end(type, event, status, event.copy().put("answer", answer.toString()));
      }
      over.tryComplete();
    });
  }

  /**
   * Keeps the turn's two messages, then the key's response (or releases the key when the node is
   * stopping), then ends the answer. When the turn cannot be stored, the charge is refunded.
   */
  private void keep(String type, JsonObject event) {
    moveTo(ChatState.STORING);
    event.put("session_id", store.turn().sessionId().toString());
    JsonObject response = event.copy().put("answer", answer.toString());
    store.keep(request.message(), answer.toString(), response, interrupted == ChatState.Interruption.SHUTTING_DOWN, storedWithCharge)
        .onSuccess(v -> {
          moveTo(ChatState.DONE);
          if (interrupted == ChatState.Interruption.SHUTTING_DOWN) {
            reply.stopped(event, answer.toString(), store.turn() == null ? null : store.turn().sessionId().toString());
          } else if (interrupted == null) {
            reply.end(type, event, type.equals("done") ? 200 : 502, response);
          }
          over.tryComplete();
        })
        .onFailure(err -> unstored(err, event));
  }

  /** The turn could not be stored: the charge is refunded and the turn and key go back, so nothing stands without the turn. */
  private void unstored(Throwable err, JsonObject event) {
    log.error("storing the chat turn failed, refunding " + ChatLog.PATTERN + ": {}",
        ChatLog.with(fields(event.getString("provider"), tokens(event, "input_tokens"), tokens(event, "output_tokens"), event.getLong("credits_charged", 0L)), err.toString()));
    moveTo(ChatState.DONE);
    store.refund().onComplete(v -> {
      reply.unstored();
      over.tryComplete();
    });
  }

  private static long tokens(JsonObject event, String field) {
    return event.getJsonObject("usage") == null ? 0 : event.getJsonObject("usage").getLong(field, 0L);
  }

  private StructuredArgument[] fields(String provider, long in, long out, long charged) {
    return ChatLog.fields(ENDPOINT, user, requestId, provider, ChatLog.ms(System.nanoTime() - startedAt), in, out, charged);
  }

  /** Asks the voice service to speak the answer, then finishes with {@code audio_url} (null and {@code audio_error} when it could not be spoken). */
  private void speak(JsonObject done) {
    moveTo(ChatState.SPEAKING);
    idle.stop();
    JsonObject ask = new JsonObject().put("request_id", requestId).put("user_id", user.toString()).put("text", answer.toString()).put("balance", done.getLong("balance"));
    vertx.eventBus().<JsonObject>request(Addresses.VOICE_SPEAK, ask, new DeliveryOptions().setSendTimeout(VOICE_TIMEOUT_MS)).onComplete(ar -> {
      JsonObject audio = ar.succeeded() ? ar.result().body()
          : new JsonObject().put("audio_url", null).put("audio_error", "voice failed: " + ar.cause().getMessage()).put("voice_characters", 0).put("voice_credits_charged", 0);
      done.mergeIn(audio).remove("type");
      keep("done", done);
    });
  }

  private void cleanUp() {
    idle.stop();
    if (sse != null) {
      sse.stop();
    }
    if (stream != null) {
      stream.unregister();
    }
  }
}
