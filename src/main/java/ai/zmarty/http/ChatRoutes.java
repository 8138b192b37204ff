package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.session.ChatSessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /chat}: asks the model router for an answer and relays it ({@link ChatExchange}), as
 * Server-Sent Events ({@code event: token} … {@code event: done}) when the client accepts them, else
 * as one JSON body. A refused reservation (402) or any failure before the first token is a plain
 * JSON error. A client that goes away cancels the answer; it is charged for what was produced.
 *
 * <p>Sessions: {@code session_id} continues a session (its latest messages feed the prompt; 404
 * when not the caller's, 409 when its turns are used up), absent starts one; {@code done} names it.
 * {@code Idempotency-Key}: the first request with a key claims it before any reservation; a retry
 * after it completed gets the stored response (as JSON, or as SSE when it asks for that) with
 * {@code Idempotent-Replayed: true} and no new charge; a retry while it runs gets 409. An answer
 * cut after output and charged for counts as completed: its turn keeps the partial answer and a
 * retry gets that outcome (502 with {@code error}); one that failed with nothing charged gives its
 * key and turn back, so a retry runs again. When the node stops, answers in flight end with
 * {@code error: shutting_down}, charged for what was delivered, and their keys are released.
 */
final class ChatRoutes {
  private final Vertx vertx;
  private final int maxMessageChars;
  private final ChatSessions sessions;
  private final Set<ChatExchange> live = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  ChatRoutes(Vertx vertx, int maxMessageChars, ChatSessions sessions) {
    this.vertx = vertx;
    this.maxMessageChars = maxMessageChars;
    this.sessions = sessions;
  }

  void mount(Router router) {
    router.post("/chat/estimate").handler(this::estimate);
    router.post("/chat").handler(this::chat);
    router.get("/chat/sessions").handler(this::sessions);
    router.get("/chat/sessions/:id").handler(this::session);
  }

  private void estimate(RoutingContext rc) {
    JsonObject body = Responses.jsonBody(rc);
    if (body == null) {
      return;
    }
    try {
      String message = ChatRequest.message(body, maxMessageChars);
      JsonObject request = new JsonObject().put("user_id", Authenticator.user(rc).id().toString()).put("message", message);
      Responses.respond(rc, 200, vertx.eventBus().<JsonObject>request(Addresses.MODEL_ESTIMATE, request).map(m -> m.body()));
    } catch (ChatRequest.Invalid e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, e.getMessage());
    }
  }

  private void chat(RoutingContext rc) {
    JsonObject body = Responses.jsonBody(rc);
    if (body == null) {
      return;
    }
    ChatRequest request;
    try {
      request = ChatRequest.parse(body, rc.request().getHeader(ChatRequest.IDEMPOTENCY_KEY), rc.request().getHeader("Accept"), maxMessageChars);
    } catch (ChatRequest.Invalid e) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, e.getMessage());
      return;
    }
    if (stopping) {
      rc.response().putHeader("Retry-After", "1");
      Responses.json(rc, 503, new JsonObject().put("error", "shutting_down").put("message", "the server is stopping; retry"));
      return;
    }
    ChatExchange exchange = new ChatExchange(vertx, sessions, rc, request);
    live.add(exchange);
    exchange.over().onComplete(v -> live.remove(exchange));
    exchange.run();
  }

  private void sessions(RoutingContext rc) {
    int limit = Responses.intParam(rc, "limit", 20, 1, 100);
    if (limit > 0) {
      Responses.respond(rc, 200, sessions.list(Authenticator.user(rc).id(), limit));
    }
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
   * The node is stopping: new chats get 503, answers in flight are interrupted; completes when each
   * has ended (charged for what was delivered, its hold settled or released), or after {@code waitMs}.
   */
  Future<Void> shutdown(long waitMs) {
    stopping = true;
    List<Future<Void>> ends = live.stream().map(e -> {
      e.interrupt(ChatState.Interruption.SHUTTING_DOWN);
      return e.over();
    }).toList();
    return Future.join(ends).timeout(waitMs, TimeUnit.MILLISECONDS).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }
}
