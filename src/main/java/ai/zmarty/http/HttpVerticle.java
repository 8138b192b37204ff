package ai.zmarty.http;

import ai.zmarty.bus.ErrorCode;
import ai.zmarty.config.ZmartyConfig.ChatConfig;
import ai.zmarty.contracts.Contracts;
import ai.zmarty.config.ZmartyConfig.HttpConfig;
import ai.zmarty.ops.HealthChecks;
import ai.zmarty.session.ChatSessions;
import ai.zmarty.ingest.LiquidationQueries;
import ai.zmarty.lens.IntakeApi;
import ai.zmarty.limit.ChatLimiter;
import ai.zmarty.metrics.ChatMetrics;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.metrics.MetricsServerVerticle;
import ai.zmarty.signal.SignalQueries;
import ai.zmarty.sync.WatchersUpsertHook;
import ai.zmarty.voice.AudioCache;
import ai.zmarty.watchlist.Watchlist;
import ai.zmarty.winrate.AnalyticsQueries;
import ai.zmarty.winrate.WinRateQueries;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
  private final AnalyticsQueries analytics;
  private final WatchersUpsertHook watchersHook;
  private final AudioCache audio;
  private final ChatSessions sessions;
  private static final long BODY_LIMIT = 64 * 1024;
  private final Metrics metrics;
  private final IntakeApi intake;
  private final Lens lens;
  private final Web web;
  private final ChatLimiter limiter;
  private DecisionSockets decisionSockets;
  private SignalStreams signalStreams;
  private HttpServer server;
  private Router router;
  private ChatRoutes chatRoutes;

  public HttpVerticle(
      HttpConfig config,
      ChatConfig chat,
      HealthChecks health,
      Authenticator auth,
      Watchlist watchlist,
      SignalQueries signals,
      WinRateQueries winRates,
      AnalyticsQueries analytics,
      WatchersUpsertHook watchersHook,
      AudioCache audio,
      ChatSessions sessions,
      LiquidationQueries liquidations,
      Metrics metrics,
      IntakeApi intake,
      Lens lens,
      Web web,
      ChatLimiter limiter) {
    this.config = config;
    this.chat = chat;
    this.health = health;
    this.auth = auth;
    this.watchlist = watchlist;
    this.liquidations = liquidations;
    this.signals = signals;
    this.winRates = winRates;
    this.analytics = analytics;
    this.watchersHook = watchersHook;
    this.audio = audio;
    this.sessions = sessions;
    this.metrics = metrics;
    this.intake = intake;
    this.lens = lens;
    this.web = web;
    this.limiter = limiter;
  }

  /** The lens routes' parts: decision sockets and the judges' leaderboard. */
  /** The chat app's page and config.js, and the closes its charts draw. */
  public record Web(ai.zmarty.config.WebAppConfig app, ai.zmarty.ingest.PriceQueries prices) {}

  public record Lens(ai.zmarty.config.LensPublishConfig config, ai.zmarty.lens.SourceKeys keys, ai.zmarty.lens.LeaderboardQueries leaderboard) {}

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    ConnectionDeadlines deadlines = new ConnectionDeadlines(vertx, config.requestTimeout());
    router.route().handler(rc -> {
      rc.addEndHandler(ar -> deadlines.answered(rc.request().connection()));
      rc.next();
    });
    // CORS before anything answers: listed origins only (CORS_ORIGINS), a refused preflight ends here
    router.route().handler(new Cors(config.corsOrigins())::handle);
    // Operators' live view: the bridge reads its own frames (before the body handler), the page is static.
    new EventBusBridge(vertx, auth).mount(router);
    new AdminPage().mount(router);
    new WebApp(web.app()).mount(router); // the chat app: /, /config.js, /app/*
    // a signal declaring more than its limit is refused before its body is read
    intake.mountBeforeBody(router);
    // Nothing here takes uploads: a multipart body is never written to disk.
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.get("/healthz").handler(this::healthz);
    intake.mountProbes(router); // GET /health, GET /ready
    if (metrics.enabled()) {
      // Prometheus scrapes without a user token: /metrics belongs on a private network (README)
      var scrape = MetricsServerVerticle.handler(vertx, metrics);
      router.get("/metrics").handler(rc -> scrape.handle(rc.request()));
    }
    // Signed by HMAC, not by a user token.
    watchersHook.mount(router, vertx);
    // Public: an <audio> element sends no token; the name is an unguessable SHA-256.
    new AudioRoutes(audio).mount(router);

    // Every route below needs a valid user token.
    for (String path : new String[] {"/symbols", "/symbols/*", "/signals", "/signals/stream", "/win-rates", "/liquidations", "/credits", "/candles", "/chat", "/chat/*", "/admin/*", "/analytics/*"}) {
      router.route(path).handler(auth::handle);
    }
    limiter.start(vertx);
    Limits limits = new Limits(limiter, () -> metrics.chat().provider(ChatMetrics.NO_PROVIDER).outcome(ChatMetrics.Outcome.RATE_LIMITED));
    router.post("/chat").handler(limits::chat);
    router.post("/chat/estimate").handler(limits::rate);
    AdminRoutes admin = new AdminRoutes(vertx);
    admin.guard(router);
    // after the token and role checks, before the routes read a body: 400 naming each bad field
    EdgeValidation.install(router, Contracts.bundled());
    signalStreams = new SignalStreams(vertx, watchlist, config.signalStreamsMax());
    signalStreams.mount(router);
    new UserRoutes(vertx, watchlist, signals, winRates, liquidations).mount(router);
    admin.mount(router);
    new AnalyticsRoutes(analytics).mount(router);
    new CandleRoutes(web.prices()).mount(router);
    chatRoutes = new ChatRoutes(vertx, chat.maxMessageChars(), sessions);
    chatRoutes.mount(router);
    // lens: a source's key (X-API-Key) or a service-role token, checked by each route
    intake.mount(router);
    decisionSockets = new DecisionSockets(vertx, lens.config(), auth, lens.keys(), metrics.lensSockets());
    decisionSockets.mount(router);
    new LeaderboardRoutes(auth, lens.keys(), lens.leaderboard()).mount(router);

    router.route().last().handler(rc -> Errors.send(rc, ErrorCode.NOT_FOUND, "no route for " + rc.request().method() + " " + rc.request().path()));
    Failures.install(router, BODY_LIMIT);
    this.router = router;
    return auth.start().compose(v -> decisionSockets.start()).compose(v -> signalStreams.start()).compose(v -> vertx
        .createHttpServer(serverOptions())
        .connectionHandler(deadlines::opened)
        .invalidRequestHandler(Failures::invalidRequest)
        .requestHandler(req -> {
          Optional<Framing.Refusal> refused = Framing.refusal(req);
          if (refused.isPresent()) {
            log.info("refused request from {} status={}: {}", req.remoteAddress(), refused.get().status(), refused.get().message());
            Errors.send(req.response(), refused.get().status(), refused.get().message());
            req.connection().close();
            return;
          }
          deadlines.begin(req);
          router.handle(req);
        })
        .listen(config.port(), config.host())
        .onSuccess(
            s -> {
              server = s;
              log.info("HTTP API listening on {}:{}", config.host(), s.actualPort());
            }));
  }

  /**
   * HTTP/1.1 only: HTTP/2 without TLS (the {@code PRI * HTTP/2.0} preface) is refused at once with
   * 501 and a closed connection, and {@code Upgrade: h2c} is ignored. A request line over 4 KB
   * gets 414, headers over 8 KB 431.
   */
  private HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setIdleTimeout((int) config.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHttp2ClearTextEnabled(false)
        .setMaxInitialLineLength(4096)
        .setMaxHeaderSize(8192);
  }

  /** The routes this node serves (the fuzz test walks them all). */
  public List<Route> routes() {
    return router.getRoutes();
  }

  /**
   * Answers in flight end with {@code error: shutting_down} (charged for what was delivered, holds
   * settled or released, keys released) before the server closes; at most {@link #DRAIN_MS}. Then
   * the stream slots this node still holds are given back.
   */
  @Override
  public Future<?> stop() {
    Future<?> drained = chatRoutes == null ? Future.succeededFuture() : chatRoutes.shutdown(DRAIN_MS);
    Future<?> chats = drained.transform(v -> limiter.close());
    return Future.join(chats, decisionSockets == null ? Future.succeededFuture() : decisionSockets.stop(), signalStreams == null ? Future.succeededFuture() : signalStreams.stop());
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
}
