package ai.zmarty.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.router.ChatLog;
import ai.zmarty.router.RouterFailure;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code POST /chat}: claims its idempotency key, takes the session's turn, asks the router and
 * relays the answer, then keeps the turn's two messages (and the key's response) or gives both back.
 * Its {@link State} moves only through {@link #moveTo}. Interrupted (the client left, or the node is
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
  /** Set on the stored first response returned to a retry with the same key. */
  static final String REPLAYED = "Idempotent-Replayed";
  static final String ENDPOINT = "/chat";

  enum State {
    NEW, CLAIMING, TAKING_TURN, ASKING, STREAMING, SPEAKING, STORING, DONE;

    boolean canMoveTo(State next) {
      return next == DONE ? this != DONE : switch (this) {
        case NEW -> next == CLAIMING;
        case CLAIMING -> next == TAKING_TURN;
        case TAKING_TURN -> next == ASKING;
        case ASKING -> next == STREAMING;
        case STREAMING -> next == SPEAKING || next == STORING;
        case SPEAKING -> next == STORING;
        case STORING, DONE -> false;
      };
    }
  }

  /** Why an answer was stopped before its end. */
  enum Interruption { CLIENT_GONE, SHUTTING_DOWN }

  private final Vertx vertx;
  private final ChatSessions sessions;
  private final RoutingContext rc;
  private final ChatRequest request;
  private final UUID user;
  private final String requestId = UUID.randomUUID().toString();
  private final long startedAt = System.nanoTime();
  private final SseWriter sse;
  private final List<Object> early = new ArrayList<>();
  private final StringBuilder answer = new StringBuilder();
  private final Promise<Void> over = Promise.promise();
  private State state = State.NEW;
  private Interruption interrupted;
  private MessageConsumer<Object> stream;
  private ChatSessions.Turn turn;
  private boolean claimed;
  private long idle = -1;
  private long lastEventAt;

  ChatExchange(Vertx vertx, ChatSessions sessions, RoutingContext rc, ChatRequest request) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.rc = rc;
    this.request = request;
    this.user = Authenticator.user(rc).id();
    this.sse = request.sse() ? new SseWriter(vertx, rc.response()) : null;
  }

  /** Completes when the exchange is over: answered or failed, and its turn and key kept or given back. */
  Future<Void> over() {
    return over.future();
  }

  private boolean moveTo(State next) {
    if (!state.canMoveTo(next)) {
      return false;
    }
    state = next;
    if (next == State.DONE) {
      cleanUp();
    }
    return true;
  }

  /** Claims the idempotency key (before any reservation), takes the session's turn, then asks the router. */
  void run() {
    moveTo(State.CLAIMING);
    rc.response().closeHandler(v -> interrupt(Interruption.CLIENT_GONE));
    String key = request.idempotencyKey();
    Future<ChatSessions.Claim> claim = key == null ? Future.succeededFuture(new ChatSessions.Claimed())
        : sessions.claim(user, key, requestId, ChatSessions.fingerprint(request.message(), request.sessionId(), request.mode()));
    claim.onFailure(this::fail).onSuccess(c -> {
      switch (c) {
        case ChatSessions.Done done -> end(() -> {
          rc.response().putHeader(REPLAYED, "true");
          replay(done.response());
        });
        case ChatSessions.Mismatch mismatch -> end(() -> Errors.send(rc, ErrorCode.UNPROCESSABLE, "this " + ChatRequest.IDEMPOTENCY_KEY + " was used for a different request (message, session_id or mode); use a new key for a new request"));
        case ChatSessions.Running running -> end(() -> Errors.send(rc, ErrorCode.CONFLICT, "a request with this " + ChatRequest.IDEMPOTENCY_KEY + " is still in progress; retry when it has finished"));
        case ChatSessions.Claimed fresh -> {
          claimed = key != null;
          if (interrupted != null || !moveTo(State.TAKING_TURN)) {
            fail(interruptedFailure());
            return;
          }
          sessions.takeTurn(user, request.sessionId()).onFailure(this::fail).onSuccess(t -> {
            turn = t;
            if (interrupted != null) {
              fail(interruptedFailure());
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
  void interrupt(Interruption why) {
    if (interrupted != null || state == State.DONE || state == State.STORING || state == State.SPEAKING) {
      return;
    }
    interrupted = why;
    log.info("chat interrupted " + ChatLog.PATTERN + " {}", ChatLog.with(fields(null, 0, 0, 0), kv("interruption", why.name().toLowerCase(java.util.Locale.ROOT))));
    if (state == State.ASKING || state == State.STREAMING) {
      vertx.eventBus().send(Addresses.chatCancel(requestId), new JsonObject());
    }
  }

  private void end(Runnable answer) {
    moveTo(State.DONE);
    answer.run();
    over.tryComplete();
  }

  private void ask() {
    if (!moveTo(State.ASKING)) {
      return;
    }
    stream = vertx.eventBus().consumer(Addresses.chatStream(requestId), m -> onEvent(m.body()));
    JsonObject ask = new JsonObject().put("request_id", requestId).put("user_id", user.toString()).put("message", request.message()).put("history", turn.history())
        .put("stream_address", Addresses.chatStream(requestId)).put("endpoint", ENDPOINT);
    // The consumer must be known cluster-wide before the router, maybe on another node, sends to it.
    stream.completion()
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.MODEL_CHAT, ask, new DeliveryOptions().setSendTimeout(ACCEPT_TIMEOUT_MS)))
        .onSuccess(reply -> begin())
        .onFailure(this::fail);
  }

  private RuntimeException interruptedFailure() {
    return ErrorCode.UNAVAILABLE.exception("the client went away");
  }

  /** Ends the request with a JSON error before any answer; the claim and the turn go back first. */
  private void fail(Throwable err) {
    if (!moveTo(State.DONE)) {
      return;
    }
    ErrorCode code = ErrorCode.of(err);
    String message = code == ErrorCode.INTERNAL ? "internal error" : err.getMessage();
    if (code == ErrorCode.INTERNAL) {
      log.error("chat failed " + ChatLog.PATTERN, ChatLog.with(fields(null, 0, 0, 0), err));
    } else {
      log.info("chat refused " + ChatLog.PATTERN + " {} {}", ChatLog.with(fields(null, 0, 0, 0), kv("status", code.httpStatus()), kv("reason", message)));
    }
    // The key and turn are given back before the client hears of the failure, so an immediate retry is not "in progress".
    giveBack().onComplete(v -> {
      if (interrupted == Interruption.SHUTTING_DOWN) {
        rc.response().putHeader("Retry-After", "1");
        Responses.json(rc, 503, shuttingDown());
      } else if (interrupted == null) {
        if (err instanceof RouterFailure f && !rc.response().headWritten()) {
          rc.response().putHeader("Retry-After", Long.toString(f.retryAfterSeconds()));
        }
        Errors.send(rc, code, message);
      }
      over.tryComplete();
    });
  }

  private static JsonObject shuttingDown() {
    return new JsonObject().put("error", "shutting_down").put("message", "the server is stopping; the answer was cut here and only what was delivered is charged; retry");
  }

  /** The stored outcome of the key's first request: JSON (502 when it was cut), or SSE as its whole answer and then its last event. */
  private void replay(JsonObject stored) {
    boolean cut = stored.containsKey("error");
    if (sse == null) {
      Responses.json(rc, cut ? 502 : 200, stored);
      return;
    }
    JsonObject last = stored.copy();
    sse.replay((String) last.remove("answer"), cut ? "error" : "done", last);
  }

  /** Nothing to keep: a retry with the same key runs again, and the session's turn is not used up. */
  private Future<Void> giveBack() {
    Future<Void> keyBack = !claimed ? Future.succeededFuture()
        : sessions.abandon(user, request.idempotencyKey(), requestId).<Void>mapEmpty().onFailure(e -> log.error("giving back the idempotency key failed " + ChatLog.PATTERN + ": {}", ChatLog.with(fields(null, 0, 0, 0), e.toString())));
    Future<Void> turnBack = turn == null ? Future.succeededFuture()
        : sessions.giveBack(user, turn).<Void>mapEmpty().onFailure(e -> log.error("giving back the session turn failed " + ChatLog.PATTERN + ": {}", ChatLog.with(fields(null, 0, 0, 0), e.toString())));
    return Future.join(keyBack, turnBack).mapEmpty();
  }

  private void begin() {
    if (!moveTo(State.STREAMING)) {
      return;
    }
    if (sse != null && interrupted == null) {
      sse.open(requestId);
    }
    resetIdle();
    List<Object> queued = List.copyOf(early);
    early.clear();
    queued.forEach(this::onEvent);
  }

  /** One stream message from the router: a String is answer text, a JsonObject its last event. */
  private void onEvent(Object body) {
    if (state == State.ASKING) {
      early.add(body);
      return;
    }
    if (state != State.STREAMING) {
      return;
    }
    resetIdle();
    if (body instanceof String text) {
      answer.append(text);
      if (sse != null && interrupted == null) {
        sse.token(text);
      }
      return;
    }
    JsonObject event = (JsonObject) body;
    String type = event.getString("type", "error");
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
    moveTo(State.DONE);
    giveBack().onComplete(v -> {
      if (interrupted == Interruption.SHUTTING_DOWN) {
        finishStopped(event);
      } else if (interrupted == null) {
        if (sse != null) {
          sse.end(type, event);
        } else {
          Responses.json(rc, answer.isEmpty() ? 503 : 502, event.put("answer", answer.toString()));
        }
      }
      over.tryComplete();
    });
  }

  /** The node is stopping: the stream ends with {@code error: shutting_down} and what was charged. */
  private void finishStopped(JsonObject event) {
    JsonObject stopped = shuttingDown().put("credits_charged", event.getLong("credits_charged", 0L)).put("balance", event.getLong("balance")).put("usage", event.getJsonObject("usage"));
    if (turn != null) {
      stopped.put("session_id", turn.sessionId().toString());
    }
    if (sse != null && rc.response().headWritten()) {
      sse.end("error", stopped);
    } else {
      Responses.json(rc, 503, stopped.put("answer", answer.toString()));
    }
  }

  /**
   * Keeps the turn's two messages, then the key's response (or releases the key when the node is
   * stopping), then ends the answer. When the turn cannot be stored, the charge is refunded.
   */
  private void keep(String type, JsonObject event) {
    moveTo(State.STORING);
    event.put("session_id", turn.sessionId().toString());
    JsonObject response = event.copy().put("answer", answer.toString());
    long charged = event.getLong("credits_charged", 0L);
    sessions.record(user, turn, request.message(), answer.toString(), requestId)
        .compose(v -> !claimed ? Future.<Void>succeededFuture()
            : interrupted == Interruption.SHUTTING_DOWN ? sessions.abandon(user, request.idempotencyKey(), requestId)
            : sessions.complete(user, request.idempotencyKey(), requestId, response))
        .onSuccess(v -> {
          log.info("chat kept " + ChatLog.PATTERN, (Object[]) fields(event.getString("provider"), tokens(event, "input_tokens"), tokens(event, "output_tokens"), charged));
          moveTo(State.DONE);
          if (interrupted == Interruption.SHUTTING_DOWN) {
            finishStopped(event);
          } else if (interrupted == null) {
            if (sse != null) {
              sse.end(type, event);
            } else {
              Responses.json(rc, type.equals("done") ? 200 : 502, response);
            }
          }
          over.tryComplete();
        })
        .onFailure(this::unstored);
  }

  /** The turn could not be stored: the charge is refunded and the turn and key go back, so nothing stands without the turn. */
  private void unstored(Throwable err) {
    log.error("storing the chat turn failed, refunding " + ChatLog.PATTERN + ": {}", ChatLog.with(fields(null, 0, 0, 0), err.toString()));
    moveTo(State.DONE);
    JsonObject refund = new JsonObject().put("request_id", requestId).put("user_id", user.toString());
    vertx.eventBus().<JsonObject>request(Addresses.CREDIT_REFUND, refund)
        .onFailure(e -> log.error("refunding an unstored chat turn failed " + ChatLog.PATTERN + ": {}", ChatLog.with(fields(null, 0, 0, 0), e.toString())))
        .transform(ar -> giveBack())
        .onComplete(v -> {
          JsonObject failed = new JsonObject().put("error", ErrorCode.INTERNAL.wire()).put("message", "the answer could not be stored; it was not charged").put("credits_charged", 0);
          if (sse != null && rc.response().headWritten()) {
            sse.end("error", failed);
          } else {
            Responses.json(rc, 500, failed);
          }
          over.tryComplete();
        });
  }

  private static long tokens(JsonObject event, String field) {
    JsonObject usage = event.getJsonObject("usage");
    return usage == null ? 0 : usage.getLong(field, 0L);
  }

  private net.logstash.logback.argument.StructuredArgument[] fields(String provider, long in, long out, long charged) {
    return ChatLog.fields(ENDPOINT, user, requestId, provider, ChatLog.ms(System.nanoTime() - startedAt), in, out, charged);
  }

  /** Asks the voice service to speak the answer, then finishes with {@code audio_url} (null and {@code audio_error} when it could not be spoken). */
  private void speak(JsonObject done) {
    moveTo(State.SPEAKING);
    cancelIdle();
    JsonObject ask = new JsonObject().put("request_id", requestId).put("user_id", user.toString()).put("text", answer.toString()).put("balance", done.getLong("balance"));
    vertx.eventBus().<JsonObject>request(Addresses.VOICE_SPEAK, ask, new DeliveryOptions().setSendTimeout(VOICE_TIMEOUT_MS)).onComplete(ar -> {
      JsonObject audio = ar.succeeded() ? ar.result().body()
          : new JsonObject().put("audio_url", null).put("audio_error", "voice failed: " + ar.cause().getMessage()).put("voice_characters", 0).put("voice_credits_charged", 0);
      done.mergeIn(audio).remove("type");
      keep("done", done);
    });
  }

  /** An event arrived: the idle deadline moves; the one timer re-arms itself for what is left. */
  private void resetIdle() {
    lastEventAt = System.nanoTime();
    if (idle < 0) {
      armIdle(IDLE_TIMEOUT_MS);
    }
  }

  private void armIdle(long ms) {
    idle = vertx.setTimer(ms, id -> {
      idle = -1;
      long quietMs = (System.nanoTime() - lastEventAt) / 1_000_000;
      if (quietMs >= IDLE_TIMEOUT_MS) {
        onEvent(new JsonObject().put("type", "error").put("error", ErrorCode.TIMEOUT.wire()).put("message", "the model router stopped answering"));
      } else if (state == State.STREAMING) {
        armIdle(IDLE_TIMEOUT_MS - quietMs);
      }
    });
  }

  private void cancelIdle() {
    if (idle >= 0) {
      vertx.cancelTimer(idle);
      idle = -1;
    }
  }

  private void cleanUp() {
    cancelIdle();
    if (sse != null) {
      sse.stop();
    }
    if (stream != null) {
      stream.unregister();
    }
  }
}
