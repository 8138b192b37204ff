package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.ZmartyConfig.ChatConfig;
import ai.zmarty.config.ZmartyConfig.HttpConfig;
import ai.zmarty.ops.HealthChecks;
import ai.zmarty.session.ChatSessions;
import ai.zmarty.ingest.LiquidationQueries;
import ai.zmarty.metrics.ChatMetrics;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.metrics.MetricsServerVerticle;
import ai.zmarty.signal.SignalQueries;
import ai.zmarty.sync.WatchersUpsertHook;
import ai.zmarty.voice.AudioStore;
import ai.zmarty.watchlist.Watchlist;
import ai.zmarty.winrate.WinRateQueries;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API. Every answer, errors included, is JSON; no stack trace ever reaches a client. */
public final class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);
  /** How long stopping waits for answers in flight to be charged and closed. */
  private static final long DRAIN_MS = 10_000;

  private final HttpConfig config;
  private final ChatConfig chat;
  private final HealthChecks health;
  private final Authenticator auth;
  private final Watchlist watchlist;
  private final LiquidationQueries liquidations;
  private final SignalQueries signals;
  private final WinRateQueries winRates;
  private final WatchersUpsertHook watchersHook;
  private final AudioStore audio;
  private final ChatSessions sessions;
  private final Metrics metrics;
  private HttpServer server;
  private ChatRoutes chatRoutes;

  public HttpVerticle(
      HttpConfig config,
      ChatConfig chat,
      HealthChecks health,
      Authenticator auth,
      Watchlist watchlist,
      SignalQueries signals,
      WinRateQueries winRates,
      WatchersUpsertHook watchersHook,
      AudioStore audio,
      ChatSessions sessions,
      LiquidationQueries liquidations,
      Metrics metrics) {
    this.config = config;
    this.chat = chat;
    this.health = health;
    this.auth = auth;
    this.watchlist = watchlist;
    this.liquidations = liquidations;
    this.signals = signals;
    this.winRates = winRates;
    this.watchersHook = watchersHook;
    this.audio = audio;
    this.sessions = sessions;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
    router.get("/healthz").handler(this::healthz);
    if (metrics.enabled()) {
      // Prometheus scrapes without a user token: /metrics belongs on a private network (README)
      var scrape = MetricsServerVerticle.handler(vertx, metrics);
      router.get("/metrics").handler(rc -> scrape.handle(rc.request()));
    }
    // Signed by HMAC, not by a user token.
    watchersHook.mount(router);
    // Public: an <audio> element sends no token; the name is an unguessable SHA-256.
    new AudioRoutes(vertx, audio).mount(router);

    // Every route below needs a valid user token.
    for (String path : new String[] {"/symbols", "/symbols/*", "/signals", "/win-rates", "/liquidations", "/credits", "/chat", "/chat/*", "/admin/*"}) {
      router.route(path).handler(auth::handle);
    }
    Limits limits = new Limits(new RateLimiter(chat.ratePerMinute(), java.time.Duration.ofMinutes(1)), new StreamLimiter(chat.maxConcurrentStreams()),
        () -> metrics.chat().provider(ChatMetrics.NO_PROVIDER).outcome(ChatMetrics.Outcome.RATE_LIMITED));
    router.post("/chat").handler(limits::chat);
    router.post("/chat/estimate").handler(limits::rate);
    new UserRoutes(vertx, watchlist, signals, winRates, liquidations).mount(router);
    new AdminRoutes(vertx).mount(router);
    chatRoutes = new ChatRoutes(vertx, chat.maxMessageChars(), sessions);
    chatRoutes.mount(router);

    router.route().last().handler(rc -> Errors.send(rc, ErrorCode.NOT_FOUND, "no route for " + rc.request().method() + " " + rc.request().path()));
    router.route().failureHandler(this::failure);
    return auth.start().compose(v -> vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.host())
        .onSuccess(
            s -> {
              server = s;
              log.info("HTTP API listening on {}:{}", config.host(), s.actualPort());
            }));
  }

  /**
   * Answers in flight end with {@code error: shutting_down} (charged for what was delivered, holds
   * settled or released, keys released) before the server closes; at most {@link #DRAIN_MS}.
   */
  @Override
  public Future<?> stop() {
    return chatRoutes == null ? Future.succeededFuture() : chatRoutes.shutdown(DRAIN_MS);
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    return server.actualPort();
  }

  private void healthz(RoutingContext rc) {
    health
        .run()
        .onSuccess(report -> rc.response().setStatusCode(report.httpStatus()).putHeader("content-type", "application/json").end(report.toJson().encode()))
        .onFailure(rc::fail);
  }

  private void failure(RoutingContext rc) {
    int status = rc.statusCode();
    if (status == 413) {
      Errors.send(rc, ErrorCode.BAD_REQUEST, "request body too large");
      return;
    }
    if (status >= 400 && status < 500) {
      ErrorCode code = ErrorCode.fromFailureCode(status);
      Errors.send(rc, code == ErrorCode.INTERNAL ? ErrorCode.BAD_REQUEST : code, "request rejected");
      return;
    }
    Throwable cause = rc.failure();
    ErrorCode code = cause == null ? ErrorCode.INTERNAL : ErrorCode.of(cause);
    if (code.httpStatus() < 500) {
      // an ordinary refusal (not found, forbidden, …) from a service: no stack trace
      log.info("request refused endpoint={} status={}: {}", rc.request().path(), code.httpStatus(), cause.getMessage());
    } else {
      log.error("request failed endpoint={} {}", rc.request().path(), cause == null ? status : cause.toString(), cause);
    }
    Errors.send(rc, code, code == ErrorCode.INTERNAL ? "internal error" : cause.getMessage());
  }
}
