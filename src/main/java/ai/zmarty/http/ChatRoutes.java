package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
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

/**
 * {@code POST /chat}: asks the model router for an answer and relays it, as Server-Sent Events
 * ({@code event: token} … {@code event: done}) when the client accepts them, else as one JSON
 * body. A refused reservation (402) or any failure before the first token is a plain JSON error.
 * A client that goes away cancels the answer; it is charged for what was produced.
 */
final class ChatRoutes {
  private static final long HEARTBEAT_MS = 15_000;
  private static final long IDLE_TIMEOUT_MS = 60_000;
  /** The router answers at the first token, after any fallbacks (each up to its first-byte timeout). */
  private static final long ACCEPT_TIMEOUT_MS = 150_000;
  /** Two ElevenLabs calls (one retry when busy) and the backoff between them. */
  private static final long VOICE_TIMEOUT_MS = 50_000;
  /** The router's retry hint in an UNAVAILABLE message, turned into a {@code Retry-After} header. */
  private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+) s");

  private final Vertx vertx;
  private final int maxMessageChars;

  ChatRoutes(Vertx vertx, int maxMessageChars) {
    this.vertx = vertx;
    this.maxMessageChars = maxMessageChars;
  }

  void mount(Router router) {
    router.post("/chat/estimate").handler(this::estimate);
    router.post("/chat").handler(this::chat);
  }

  private String message(RoutingContext rc) {
    JsonObject body = UserRoutes.jsonBody(rc);
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
    UserRoutes.respond(rc, 200, vertx.eventBus().<JsonObject>request(Addresses.MODEL_ESTIMATE, request).map(m -> m.body()));
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
    String accept = rc.request().getHeader("Accept");
    boolean sse = accept != null && accept.contains("text/event-stream");
    Exchange exchange = new Exchange(rc, sse, message);
    exchange.voice = "voice".equals(mode);
    exchange.start();
  }

  /** One chat request: the stream consumer, the HTTP response, and what arrived before headers. */
  private final class Exchange {
    private final RoutingContext rc;
    private final boolean sse;
    private final String message;
    private final String requestId = UUID.randomUUID().toString();
    private final List<JsonObject> early = new ArrayList<>();
    private final StringBuilder answer = new StringBuilder();
    private MessageConsumer<JsonObject> stream;
    private boolean started;
    private boolean finished;
    private long heartbeat = -1;
    private long idle = -1;
    /** {@code mode: voice}: the {@code done} event waits for the spoken answer ({@link #speak}). */
    private boolean voice;

    Exchange(RoutingContext rc, boolean sse, String message) {
      this.rc = rc;
      this.sse = sse;
      this.message = message;
    }

    void start() {
      EventBus bus = vertx.eventBus();
      stream = bus.consumer(Addresses.chatStream(requestId), m -> onEvent(m.body()));
      rc.response().closeHandler(v -> {
        if (!finished) {
          finished = true;
          bus.send(Addresses.chatCancel(requestId), new JsonObject());
          cleanUp();
        }
      });
      JsonObject request =
          new JsonObject()
              .put("request_id", requestId)
              .put("user_id", Authenticator.user(rc).id().toString())
              .put("message", message)
              .put("stream_address", Addresses.chatStream(requestId));
      // The consumer must be known cluster-wide before the router, maybe on another node, sends to it.
      stream.completion()
          .compose(v -> bus.<JsonObject>request(Addresses.MODEL_CHAT, request, new DeliveryOptions().setSendTimeout(ACCEPT_TIMEOUT_MS)))
          .onSuccess(reply -> begin())
          .onFailure(err -> {
            finished = true;
            cleanUp();
            ErrorCode code = ErrorCode.of(err);
            String message = code == ErrorCode.INTERNAL ? "internal error" : err.getMessage();
            Matcher retry = RETRY_AFTER.matcher(String.valueOf(message));
            if (code == ErrorCode.UNAVAILABLE && retry.find() && !rc.response().headWritten()) {
              rc.response().putHeader("Retry-After", retry.group(1));
            }
            Errors.send(rc, code, message);
          });
    }

    private void begin() {
      if (finished) {
        return;
      }
      started = true;
      if (sse) {
        rc.response().setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache").putHeader("x-request-id", requestId);
        rc.response().write(": zmarty " + requestId + "\n\n");
        heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> rc.response().write(": keep-alive\n\n"));
      }
      resetIdle();
      List<JsonObject> queued = List.copyOf(early);
      early.clear();
      queued.forEach(this::onEvent);
    }

    private void onEvent(JsonObject event) {
      if (finished) {
        return;
      }
      if (!started) {
        early.add(event);
        return;
      }
      resetIdle();
      String type = event.getString("type", "token");
      HttpServerResponse response = rc.response();
      if (type.equals("token")) {
        answer.append(event.getString("text", ""));
        if (sse) {
          response.write(frame("token", new JsonObject().put("text", event.getString("text", ""))));
        }
        return;
      }
      finished = true;
      if (voice && type.equals("done") && !event.containsKey("audio_url")) {
        speak(event);
        return;
      }
      event.remove("type");
      if (sse) {
        response.end(frame(type, event));
      } else if (type.equals("done")) {
        UserRoutes.json(rc, 200, event.put("answer", answer.toString()));
      } else {
        UserRoutes.json(rc, answer.isEmpty() ? 503 : 502, event.put("answer", answer.toString()));
      }
      cleanUp();
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

    private void resetIdle() {
      if (idle >= 0) {
        vertx.cancelTimer(idle);
      }
      idle = vertx.setTimer(IDLE_TIMEOUT_MS, id -> onEvent(new JsonObject().put("type", "error").put("error", ErrorCode.TIMEOUT.wire()).put("message", "the model router stopped answering")));
    }

    private void cleanUp() {
      if (heartbeat >= 0) {
        vertx.cancelTimer(heartbeat);
      }
      if (idle >= 0) {
        vertx.cancelTimer(idle);
      }
      stream.unregister();
    }
  }

  static String frame(String event, JsonObject data) {
    return "event: " + event + "\ndata: " + data.encode() + "\n\n";
  }
}
