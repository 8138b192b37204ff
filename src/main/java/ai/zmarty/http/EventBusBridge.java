package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-bus bridge for operators' browsers at {@code /eventbus/*} (SockJS; raw WebSocket at
 * {@code /eventbus/websocket}). Deny by default: out only {@code admin.*} snapshots, in only
 * {@code admin.actions.*} sends. Every {@code register} and {@code send} frame must carry
 * {@code headers.Authorization: Bearer <token>} of an operator (a service-role token or a JWT whose
 * {@code app_metadata.role} is {@code admin}), unless the socket was opened with such a token in
 * its {@code token} query parameter; anything else is refused and the socket closed. A send
 * reaches the bus without the token and with the header {@code operator} set here (who asked), so
 * an action can be logged with the operator's identity and never forged by the browser.
 */
final class EventBusBridge {
  private static final Logger log = LoggerFactory.getLogger(EventBusBridge.class);
  /** The header the bridge sets on every inbound send: the operator's identity. */
  static final String OPERATOR_HEADER = "operator";
  /** The body of the bridge's refusal frames. */
  static final String REJECTED = "rejected";

  private final Vertx vertx;
  private final Authenticator auth;
  /** Sockets opened with an operator's token in the query: who they are. */
  private final Map<SockJSSocket, String> opened = new ConcurrentHashMap<>();

  EventBusBridge(Vertx vertx, Authenticator auth) {
    this.vertx = vertx;
    this.auth = auth;
  }

  void mount(Router router) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddressRegex(java.util.regex.Pattern.quote(Addresses.ADMIN_ACTIONS_PREFIX) + "[a-z_.]+"))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(java.util.regex.Pattern.quote(Addresses.ADMIN_PREFIX) + "(?!actions\\.)[a-z_.]+"));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options, this::event));
  }

  private void event(BridgeEvent e) {
    switch (e.type()) {
      case SOCKET_CREATED -> opening(e);
      case SOCKET_CLOSED -> {
        opened.remove(e.socket());
        e.complete(true);
      }
      case REGISTER, SEND -> frame(e);
      // a publish to an action would get no answer: operators send
      case PUBLISH -> e.complete(false);
      default -> e.complete(true); // unregister, receive (only what was registered), ping, idle, error
    }
  }

  /** A socket with a {@code token} query parameter is an operator's or is closed at once; one without waits for its frames' headers. */
  private void opening(BridgeEvent e) {
    List<String> tokens = new QueryStringDecoder(e.socket().uri()).parameters().get("token");
    if (tokens == null || tokens.isEmpty()) {
      e.complete(true);
      return;
    }
    operator(tokens.get(0)).onComplete(ar -> {
      if (ar.succeeded()) {
        opened.put(e.socket(), ar.result());
        e.complete(true);
      } else {
        refuse(e, ar.cause().getMessage());
      }
    });
  }

  private void frame(BridgeEvent e) {
    JsonObject raw = e.getRawMessage();
    JsonObject headers = raw.getJsonObject("headers");
    String header = headers == null ? null : headers.getString("Authorization");
    Future<String> who;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      who = operator(header.substring(7).trim());
    } else if (header == null && opened.containsKey(e.socket())) {
      who = Future.succeededFuture(opened.get(e.socket()));
    } else {
      who = Future.failedFuture(header == null ? "missing bearer token (headers.Authorization: Bearer <jwt>)" : "the Authorization header must be 'Bearer <jwt>'");
    }
    who.onComplete(ar -> {
      if (ar.failed()) {
        refuse(e, ar.cause().getMessage());
        return;
      }
      if (e.type() == BridgeEventType.SEND) {
        // the token stays here; the bus gets who asked, set by us
        JsonObject clean = headers == null ? new JsonObject() : headers.copy();
        clean.remove("Authorization");
        clean.put(OPERATOR_HEADER, ar.result());
        e.setRawMessage(raw.copy().put("headers", clean));
      }
      e.complete(true);
    });
  }

  /** The operator's identity ({@code sub (role)}, with the e-mail when the token has one), or a failure saying why not. */
  private Future<String> operator(String token) {
    return auth.claims(token).compose(claims -> {
      if (!Authenticator.isOperator(claims)) {
        return Future.failedFuture("not an operator: the bridge needs a service_role token or app_metadata.role admin");
      }
      String role = "service_role".equals(claims.getString("role")) ? "service_role" : "admin";
      String email = claims.getString("email");
      return Future.succeededFuture(claims.getString("sub") + " (" + role + (email == null ? "" : ", " + email) + ")");
    });
  }

  private void refuse(BridgeEvent e, String why) {
    log.info("event-bus bridge refused {} from {}: {}", e.type(), e.socket().remoteAddress(), why);
    // our own refusal frame, saying why, written before the close (the bridge's own "rejected"
    // frame is written only after this handler returns, by when the socket may be closed)
    e.socket().write(new JsonObject().put("type", "err").put("body", REJECTED).put("message", why).toBuffer());
    e.complete(false);
    e.socket().close();
  }
}
