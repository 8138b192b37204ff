package ai.zmarty.http;

import ai.zmarty.bus.Addresses;
import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.LensPublishConfig;
import ai.zmarty.lens.DecisionSocketSubscriptions;
import ai.zmarty.lens.SourceKeys;
import ai.zmarty.metrics.LensSocketMetrics;
import ai.zmarty.metrics.LensSocketMetrics.CloseReason;
import ai.zmarty.outbox.RecentEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws/decisions}: live model decisions on outside signals. Every {@code
 * events.lens.decision} published anywhere in the cluster reaches this node's consumer and is
 * written to the sockets whose subscriptions match it. A socket is authenticated by a user JWT
 * ({@code Authorization: Bearer} or, for browsers, {@code ?token=}) or a source key ({@code
 * X-API-Key}); without one it is closed with 4401. Beyond {@code LENS_WS_MAX_CONNECTIONS} a socket
 * is closed with 1013; one that answers no ping for {@code LENS_WS_PONG_TIMEOUT} with 4408; one
 * whose outgoing queue is full when a decision arrives with 1008 ("slow consumer") rather than
 * buffering without bound. A decision whose {@code decision_id} this node passed on lately (the
 * outbox's rare repeat) is dropped. All of it runs on the HTTP verticle's event loop.
 */
public final class DecisionSockets {
  private static final Logger log = LoggerFactory.getLogger(DecisionSockets.class);
  public static final String PATH = "/ws/decisions";
  public static final short UNAUTHORIZED = 4401;
  public static final short PONG_TIMEOUT = 4408;
  public static final short TRY_AGAIN_LATER = 1013;
  public static final short POLICY = 1008;
  public static final short GOING_AWAY = 1001;
  public static final short SERVER_ERROR = 1011;
  /** How many decision ids a node remembers to drop repeats (a repeat comes within the outbox's claim, 30 s). */
  static final int RECENT_DECISIONS = 16_384;

  private final Vertx vertx;
  private final LensPublishConfig config;
  private final Authenticator auth;
  private final SourceKeys keys;
  private final LensSocketMetrics metrics;
  private final Map<ServerWebSocket, DecisionSocket> open = new LinkedHashMap<>();
  /** The decisions this node passed on lately: the outbox publishes at least once, a repeat is dropped by its id. */
  private final RecentEvents recent = new RecentEvents(RECENT_DECISIONS, "decision_id");
  private MessageConsumer<JsonObject> consumer;
  private long pinger = -1;

  public DecisionSockets(Vertx vertx, LensPublishConfig config, Authenticator auth, SourceKeys keys, LensSocketMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.auth = auth;
    this.keys = keys;
    this.metrics = metrics;
  }

  /** Consumes the decisions and starts pinging; call from the verticle that mounts the route. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.EVENTS_LENS_DECISION, msg -> deliver(msg.body()));
    pinger = vertx.setPeriodic(config.wsPingInterval().toMillis(), id -> pingAll());
    return consumer.completion();
  }

  public void mount(Router router) {
    router.get(PATH).handler(this::upgrade);
  }

  /** Closes every socket with 1001 and stops consuming. */
  public Future<Void> stop() {
    vertx.cancelTimer(pinger);
    new ArrayList<>(open.values()).forEach(s -> s.close(GOING_AWAY, "server shutting down", CloseReason.SHUTDOWN));
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void upgrade(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "GET " + PATH + " is a WebSocket: connect with Upgrade: websocket");
      return;
    }
    String bearer = req.getHeader("Authorization");
    String key = req.getHeader("X-API-Key");
    String token = req.getParam("token");
    req.toWebSocket().onFailure(err -> {
      log.info("decision socket upgrade from {} failed: {}", req.remoteAddress(), err.toString());
      Errors.send(req.response(), 400, "not a valid WebSocket handshake");
    }).onSuccess(ws -> {
      ws.pause(); // frames wait until the socket is authenticated
      ws.setWriteQueueMaxSize(config.wsWriteQueueBytes());
      DecisionSocket socket = new DecisionSocket(ws);
      open.put(ws, socket);
      metrics.opened();
      ws.closeHandler(v -> closed(socket));
      // a client going away without a close frame is ordinary: not worth more than a debug line
      ws.exceptionHandler(err -> {
        if (err instanceof io.vertx.core.http.HttpClosedException) {
          log.debug("decision socket {}: {}", ws.remoteAddress(), err.toString());
        } else {
          log.info("decision socket {}: {}", ws.remoteAddress(), err.toString());
        }
      });
      if (open.size() > config.wsMaxConnections()) {
        socket.close(TRY_AGAIN_LATER, "too many connections on this node (at most " + config.wsMaxConnections() + ")", CloseReason.CAPACITY);
        return;
      }
      authenticate(bearer, key, token).onComplete(ar -> {
        if (ar.failed() && ar.cause() instanceof Refused) {
          socket.close(UNAUTHORIZED, ar.cause().getMessage(), CloseReason.UNAUTHORIZED);
          return;
        }
        if (ar.failed()) {
          log.warn("decision socket from {}: credentials could not be checked: {}", ws.remoteAddress(), ar.cause().toString());
          socket.close(SERVER_ERROR, "credentials could not be checked now, try again", CloseReason.UNAUTHORIZED);
          return;
        }
        if (socket.closing) {
          return;
        }
        socket.principal = ar.result();
        ws.textMessageHandler(text -> socket.answer(text));
        ws.binaryMessageHandler(b -> socket.heard());
        ws.pongHandler(b -> socket.heard());
        ws.resume();
        socket.send(new JsonObject().put("type", "ready").put("as", socket.principal).encode());
        log.info("decision socket open for {} from {}", socket.principal, ws.remoteAddress());
      });
    });
  }

  /** {@code user:<uuid>} or {@code source:<name>}; a failure's message says what was missing or wrong. */
  private Future<String> authenticate(String bearer, String key, String token) {
    if (bearer != null && bearer.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return user(bearer.substring(7).trim());
    }
    if (key != null) {
      return keys.authenticate(key).compose(name -> name.map(n -> Future.succeededFuture("source:" + n))
          .orElseGet(() -> Future.failedFuture(new Refused("unknown or revoked source key"))));
    }
    if (token != null) {
      return user(token);
    }
    return Future.failedFuture(new Refused("authentication required: Authorization: Bearer <jwt>, X-API-Key or ?token=<jwt>"));
  }

  /** The JWT's user; a refused token is a {@link Refused} with the authenticator's words. */
  private Future<String> user(String token) {
    return auth.verify(token).transform(ar -> ar.succeeded() ? Future.succeededFuture("user:" + ar.result().id()) : Future.failedFuture(new Refused(ar.cause().getMessage())));
  }

  /** Credentials that were checked and refused (as opposed to a check that could not run). */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private void closed(DecisionSocket socket) {
    if (open.remove(socket.ws) != null) {
      metrics.ended();
      if (!socket.closing) {
        metrics.closing(CloseReason.CLIENT);
      }
    }
  }

  private void deliver(JsonObject decision) {
    if (!recent.first(decision)) {
      log.debug("decision {} repeated by the outbox: dropped", decision.getString("decision_id"));
      return;
    }
    String frame = null;
    for (DecisionSocket s : new ArrayList<>(open.values())) {
      // a socket the client closed stays in the map until its close handler runs: skipped, never a
      // failure that would keep the decision from the sockets after it
      if (s.principal == null || s.closing || s.ws.isClosed() || !s.wants(decision)) {
        continue;
      }
      if (frame == null) {
        frame = new JsonObject().put("type", "decision").put("data", decision).encode();
      }
      if (s.ws.writeQueueFull() || s.pendingBytes + frame.length() > config.wsWriteQueueBytes()) {
        log.warn("decision socket of {} closed: slow consumer, more than {} bytes waiting", s.principal, config.wsWriteQueueBytes());
        s.close(POLICY, "slow consumer: more than " + config.wsWriteQueueBytes() + " bytes waiting", CloseReason.SLOW_CONSUMER);
        continue;
      }
      s.send(frame);
      metrics.sent();
    }
  }

  private void pingAll() {
    long now = System.nanoTime();
    long timeout = config.wsPongTimeout().toNanos();
    for (DecisionSocket s : new ArrayList<>(open.values())) {
      if (s.closing) {
        continue;
      }
      if (now - s.lastHeard > timeout) {
        log.info("decision socket of {} closed: no answer for {} ms", s.principal, config.wsPongTimeout().toMillis());
        s.close(PONG_TIMEOUT, "no pong within " + config.wsPongTimeout().toMillis() + " ms", CloseReason.PONG_TIMEOUT);
      } else if (s.principal != null) {
        s.ws.writePing(Buffer.buffer("zmarty")).onFailure(err -> log.debug("ping failed: {}", err.toString()));
      }
    }
  }

  /** The sockets open on this node now. */
  public int openCount() {
    return open.size();
  }

  /** One socket: who it is, what it subscribed to, when it was last heard from. */
  private final class DecisionSocket {
    final ServerWebSocket ws;
    final DecisionSocketSubscriptions subscriptions = new DecisionSocketSubscriptions();
    String principal;
    long lastHeard;
    /** Characters written but not yet handed to the kernel: the socket's own bound on its queue. */
    long pendingBytes;
    boolean closing;

    DecisionSocket(ServerWebSocket ws) {
      this.ws = ws;
      this.lastHeard = System.nanoTime();
    }

    void heard() {
      lastHeard = System.nanoTime();
    }

    boolean wants(JsonObject decision) {
      return subscriptions.wants(decision);
    }

    void answer(String text) {
      heard();
      send(subscriptions.handle(text).encode());
    }

    void send(String text) {
      pendingBytes += text.length();
      ws.writeTextMessage(text).onComplete(ar -> {
        pendingBytes -= text.length();
        if (ar.failed()) {
          log.debug("decision socket write failed: {}", ar.cause().toString());
        }
      });
    }

    void close(short code, String why, CloseReason reason) {
      if (closing) {
        return;
      }
      closing = true;
      metrics.closing(reason);
      ws.close(code, shortened(why)).onFailure(err -> log.debug("decision socket close failed: {}", err.toString()));
    }

    /** A close reason is at most 123 bytes of UTF-8. */
    private static String shortened(String why) {
      String s = why == null ? "" : why;
      while (s.getBytes(StandardCharsets.UTF_8).length > 123) {
        s = s.substring(0, s.length() - 1);
      }
      return s;
    }
  }
}
