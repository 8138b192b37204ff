package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.session.ChatSessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /chat}: asks the model router for an answer and relays it, as Server-Sent Events
 * ({@code event: token} … {@code event: done}) when the client accepts them, else as one JSON
 * body. A refused reservation (402) or any failure before the first token is a plain JSON error.
 * A client that goes away cancels the answer; it is charged for what was produced.
 *
 * <p>Sessions: {@code session_id} continues a session (its latest messages feed the prompt; 404
 * when not the caller's, 409 when its turns are used up), absent starts one; {@code done} names it.
 * {@code Idempotency-Key}: the first request with a key claims it before any reservation; a retry
 * after it completed gets the stored response (as JSON, or as SSE when it asks for that) with
 * {@code Idempotent-Replayed: true} and no new charge; a retry while it runs gets 409. An answer
 * cut after output and charged for counts as completed: its turn keeps the partial answer and a
 * retry gets that outcome (502 with {@code error}); one that failed with nothing charged gives its
 * key and turn back, so a retry runs again.
 */
final class ChatRoutes {
  private static final Logger log = LoggerFactory.getLogger(ChatRoutes.class);
  private static final long HEARTBEAT_MS = 15_000;
  private static final long IDLE_TIMEOUT_MS = 60_000;
  /** The router answers at the first token, after any fallbacks (each up to its first-byte timeout). */
  private static final long ACCEPT_TIMEOUT_MS = 150_000;
  /** Two ElevenLabs calls (one retry when busy) and the backoff between them. */
  private static final long VOICE_TIMEOUT_MS = 50_000;
  /** The router's retry hint in an UNAVAILABLE message, turned into a {@code Retry-After} header. */
  private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+) s");

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** Set on the stored first response returned to a retry with the same key. */
  static final String REPLAYED = "Idempotent-Replayed";
  static final int MAX_KEY_CHARS = 200;

  private final Vertx vertx;
  private final int maxMessageChars;
  private final ChatSessions sessions;

  ChatRoutes(Vertx vertx, int maxMessageChars, ChatSessions sessions) {
    this.vertx = vertx;
    this.maxMessageChars = maxMessageChars;
    this.sessions = sessions;
  }

  void mount(Router router) {
    router.post("/chat/estimate").handler(this::estimate);
    router.post("/chat").handler(this::chat);
    router.get("/chat/sessions/:id").handler(this::session);
  }

  private String message(RoutingContext rc) {
    JsonObject body = Responses.jsonBody(rc);
    if (body == null) {
      return null;
    }
    Object m = body.getValue("message");
    if (!(m instanceof String s) || s.isBlank()) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "message is required: {\"message\": \"What's the signal for BTC?\"}");
      return null;
    }
    if (s.length() > maxMessageChars) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "message is " + s.length() + " characters; the limit is " + maxMessageChars);
      return null;
    }
    return s;
  }

  private void estimate(RoutingContext rc) {
    String message = message(rc);
    if (message == null) {
      return;
    }
    JsonObject request = new JsonObject().put("user_id", Authenticator.user(rc).id().toString()).put("message", message);
    Responses.respond(rc, 200, vertx.eventBus().<JsonObject>request(Addresses.MODEL_ESTIMATE, request).map(m -> m.body()));
  }

  private void chat(RoutingContext rc) {
    String message = message(rc);
    if (message == null) {
      return;
    }
    Object mode = rc.body().asJsonObject().getValue("mode");
    if (mode != null && !"text".equals(mode) && !"voice".equals(mode)) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "mode must be \"text\" or \"voice\"");
      return;
    }
    UUID session = null;
    Object sid = rc.body().asJsonObject().getValue("session_id");
    if (sid != null) {
      try {
        session = UUID.fromString((String) sid);
      } catch (ClassCastException | IllegalArgumentException e) {
        Errors.send(rc, ErrorCode.BAD_REQUEST, "session_id must be the id of one of your chat sessions (a UUID), or absent for a new session");
        return;
      }
    }
    String key = rc.request().getHeader(IDEMPOTENCY_KEY);
    if (key != null && (key.isBlank() || key.length() > MAX_KEY_CHARS)) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_CHARS + " characters, got " + key.length());
      return;
    }
    String accept = rc.request().getHeader("Accept");
    boolean sse = accept != null && accept.contains("text/event-stream");
    Exchange exchange = new Exchange(rc, sse, message, session, key);
    exchange.voice = "voice".equals(mode);
    exchange.run();
  }

  private void session(RoutingContext rc) {
    UUID id;
    try {
      id = UUID.fromString(rc.pathParam("id"));
    } catch (IllegalArgumentException e) {
      Errors.send(rc, ErrorCode.NOT_FOUND, "no chat session " + rc.pathParam("id"));
      return;
    }
    Responses.respond(rc, 200, sessions.messages(Authenticator.user(rc).id(), id));
  }

  /**
   * One chat request: its idempotency claim and session turn, the stream consumer, the HTTP
   * response, and what arrived before headers. A request that ends without an answer gives its
   * claim and its turn back; a completed one records both messages and then the claim's response.
   */
  private final class Exchange {
    private final RoutingContext rc;
    private final boolean sse;
    private final String message;
    private final UUID requestedSession;
    private final String key;
    private final UUID user;
    private final String requestId = UUID.randomUUID().toString();
    private final List<Object> early = new ArrayList<>();
    private final StringBuilder answer = new StringBuilder();
    private MessageConsumer<Object> stream;
    private ChatSessions.Turn turn;
    private boolean claimed;
    private boolean started;
    private boolean finished;
    private long heartbeat = -1;
    private long idle = -1;
    private long lastEventAt;
    /** {@code mode: voice}: the {@code done} event waits for the spoken answer ({@link #speak}). */
    private boolean voice;

    Exchange(RoutingContext rc, boolean sse, String message, UUID session, String key) {
      this.rc = rc;
      this.sse = sse;
      this.message = message;
      this.requestedSession = session;
      this.key = key;
      this.user = Authenticator.user(rc).id();
    }

    /** Claims the idempotency key (before any reservation), takes the session's turn, then asks the router. */
    void run() {
      rc.response().closeHandler(v -> {
        if (!finished) {
          finished = true;
          if (stream != null) {
            vertx.eventBus().send(Addresses.chatCancel(requestId), new JsonObject());
            cleanUp();
          }
          giveBack();
        }
      });
      Future<ChatSessions.Claim> claim = key == null ? Future.succeededFuture(new ChatSessions.Claimed()) : sessions.claim(user, key, requestId, ChatSessions.fingerprint(message, requestedSession, voice ? "voice" : "text"));
      claim.onFailure(this::fail).onSuccess(c -> {
        switch (c) {
          case ChatSessions.Done done -> {
            finished = true;
            rc.response().putHeader(REPLAYED, "true");
            replay(done.response());
          }
          case ChatSessions.Mismatch mismatch -> {
            finished = true;
            Errors.send(rc, ErrorCode.UNPROCESSABLE, "this " + IDEMPOTENCY_KEY + " was used for a different request (message, session_id or mode); use a new key for a new request");
          }
          case ChatSessions.Running running -> {
            finished = true;
            Errors.send(rc, ErrorCode.CONFLICT, "a request with this " + IDEMPOTENCY_KEY + " is still in progress; retry when it has finished");
          }
          case ChatSessions.Claimed fresh -> {
            claimed = key != null;
            sessions.takeTurn(user, requestedSession).onFailure(this::fail).onSuccess(t -> {
              turn = t;
              if (finished) {
                giveBack(); // the client went away meanwhile
              } else {
                start();
              }
            });
          }
        }
      });
    }

    private void start() {
      EventBus bus = vertx.eventBus();
      stream = bus.consumer(Addresses.chatStream(requestId), m -> onEvent(m.body()));
      JsonObject request =
          new JsonObject()
              .put("request_id", requestId)
              .put("user_id", user.toString())
              .put("message", message)
              .put("history", turn.history())
              .put("stream_address", Addresses.chatStream(requestId));
      // The consumer must be known cluster-wide before the router, maybe on another node, sends to it.
      stream.completion()
          .compose(v -> bus.<JsonObject>request(Addresses.MODEL_CHAT, request, new DeliveryOptions().setSendTimeout(ACCEPT_TIMEOUT_MS)))
          .onSuccess(reply -> begin())
          .onFailure(this::fail);
    }

    /** Ends the request with a JSON error before any answer; the claim and the turn go back. */
    private void fail(Throwable err) {
      if (finished) {
        return;
      }
      finished = true;
      if (stream != null) {
        cleanUp();
      }
      ErrorCode code = ErrorCode.of(err);
      if (code == ErrorCode.INTERNAL) {
        log.error("chat failed request_id={} user_id={}: {}", requestId, user, err.toString(), err);
      }
      String message = code == ErrorCode.INTERNAL ? "internal error" : err.getMessage();
      Matcher retry = RETRY_AFTER.matcher(String.valueOf(message));
      // The key and turn are given back before the client hears of the failure, so an immediate retry is not "in progress".
      giveBack().onComplete(v -> {
        if (code == ErrorCode.UNAVAILABLE && retry.find() && !rc.response().headWritten()) {
          rc.response().putHeader("Retry-After", retry.group(1));
        }
        Errors.send(rc, code, message);
      });
    }

    /**
     * The stored outcome of the key's first request, in the form this one asked for: JSON (502 when
     * it was cut), or SSE as one token event with the whole answer and then its done or error event.
     */
    private void replay(JsonObject stored) {
      boolean cut = stored.containsKey("error");
      if (!sse) {
        Responses.json(rc, cut ? 502 : 200, stored);
        return;
      }
      JsonObject last = stored.copy();
      String text = (String) last.remove("answer");
      sseHeaders(rc.response());
      if (text != null && !text.isEmpty()) {
        rc.response().write(tokenFrame(text));
      }
      rc.response().end(frame(cut ? "error" : "done", last));
    }

    /** Nothing to keep: a retry with the same key runs again, and the session's turn is not used up. */
    private Future<Void> giveBack() {
      Future<Void> keyBack = !claimed ? Future.succeededFuture()
          : sessions.abandon(user, key, requestId).<Void>mapEmpty().onFailure(e -> log.error("giving back idempotency key failed request_id={}: {}", requestId, e.toString()));
      Future<Void> turnBack = turn == null ? Future.succeededFuture()
          : sessions.giveBack(user, turn).<Void>mapEmpty().onFailure(e -> log.error("giving back session turn failed request_id={}: {}", requestId, e.toString()));
      return Future.join(keyBack, turnBack).mapEmpty();
    }

    private void begin() {
      if (finished) {
        return;
      }
      started = true;
      if (sse) {
        sseHeaders(rc.response()).putHeader("x-request-id", requestId);
        rc.response().write(": zmarty " + requestId + "\n\n");
        heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> rc.response().write(": keep-alive\n\n"));
      }
      resetIdle();
      List<Object> queued = List.copyOf(early);
      early.clear();
      queued.forEach(this::onEvent);
    }

    /** One stream message from the router: a String is answer text, a JsonObject the done or error event. */
    private void onEvent(Object body) {
      if (finished) {
        return;
      }
      if (!started) {
        early.add(body);
        return;
      }
      resetIdle();
      HttpServerResponse response = rc.response();
      if (body instanceof String text) {
        answer.append(text);
        if (sse) {
          response.write(tokenFrame(text));
        }
        return;
      }
      JsonObject event = (JsonObject) body;
      String type = event.getString("type", "error");
      finished = true;
      if (voice && type.equals("done") && !event.containsKey("audio_url")) {
        speak(event);
        return;
      }
      event.remove("type");
      cleanUp();
      if (type.equals("done")) {
        keep("done", event, 200);
        return;
      }
      if (event.getLong("credits_charged", 0L) > 0) {
        // cut after output and charged for it: the user keeps what they paid for, and a retry with
        // the same key gets this outcome back instead of a second charge
        keep(type, event, 502);
        return;
      }
      giveBack();
      if (sse) {
        response.end(frame(type, event));
      } else {
        Responses.json(rc, answer.isEmpty() ? 503 : 502, event.put("answer", answer.toString()));
      }
    }

    /**
     * Keeps the turn's two messages and the key's response, then ends the answer with
     * {@code type} (SSE) or {@code status} (JSON).
     */
    private void keep(String type, JsonObject event, int status) {
      event.put("session_id", turn.sessionId().toString());
      JsonObject response = event.copy().put("answer", answer.toString());
      sessions.record(user, turn, message, answer.toString(), requestId)
          .recover(e -> {
            log.error("recording the session's messages failed request_id={} session_id={}: {}", requestId, turn.sessionId(), e.toString());
            return Future.succeededFuture();
          })
          .compose(v -> claimed ? sessions.complete(user, key, requestId, response) : Future.<Void>succeededFuture())
          .onFailure(e -> log.error("storing the idempotent response failed request_id={}: {}", requestId, e.toString()))
          .onComplete(ar -> {
            if (sse) {
              rc.response().end(frame(type, event));
            } else {
              Responses.json(rc, status, response);
            }
          });
    }

    /**
     * Asks the voice service to speak the answer, then sends {@code done} with {@code audio_url}
     * (null and {@code audio_error} when it could not be spoken: the text answer stands).
     */
    private void speak(JsonObject done) {
      if (idle >= 0) {
        vertx.cancelTimer(idle);
        idle = -1;
      }
      JsonObject request = new JsonObject().put("request_id", requestId).put("user_id", Authenticator.user(rc).id().toString()).put("text", answer.toString()).put("balance", done.getLong("balance"));
      vertx.eventBus().<JsonObject>request(Addresses.VOICE_SPEAK, request, new DeliveryOptions().setSendTimeout(VOICE_TIMEOUT_MS)).onComplete(ar -> {
        JsonObject audio = ar.succeeded() ? ar.result().body() : new JsonObject().put("audio_url", null).put("audio_error", "voice failed: " + ar.cause().getMessage()).put("voice_characters", 0).put("voice_credits_charged", 0);
        if (rc.response().closed() || rc.response().ended()) {
          cleanUp();
          return;
        }
        finished = false;
        onEvent(done.mergeIn(audio));
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
        } else if (!finished) {
          armIdle(IDLE_TIMEOUT_MS - quietMs);
        }
      });
    }

    private void cleanUp() {
      if (stream == null) {
        return;
      }
      if (heartbeat >= 0) {
        vertx.cancelTimer(heartbeat);
      }
      if (idle >= 0) {
        vertx.cancelTimer(idle);
      }
      stream.unregister();
    }
  }

  static HttpServerResponse sseHeaders(HttpServerResponse response) {
    return response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
  }

  /** {@code event: token} with {@code {"text": …}}, written without building a JsonObject per token. */
  static String tokenFrame(String text) {
    return "event: token\ndata: {\"text\":" + io.vertx.core.json.Json.encode(text) + "}\n\n";
  }

  static String frame(String event, JsonObject data) {
    return "event: " + event + "\ndata: " + data.encode() + "\n\n";
  }
}
