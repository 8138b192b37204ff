package ai.zmarty;

import ai.zmarty.config.PgUrl;
import ai.zmarty.config.Secrets;
import ai.zmarty.config.ZmartyConfig.ChatConfig;
import ai.zmarty.config.ZmartyConfig.Role;
import ai.zmarty.config.ZmartyConfig;
import ai.zmarty.credit.CreditLedger;
import ai.zmarty.credit.CreditVerticle;
import ai.zmarty.credit.Pricing;
import ai.zmarty.session.ChatSessions;
import ai.zmarty.db.Pools;
import ai.zmarty.http.Authenticator;
import ai.zmarty.http.HttpVerticle;
import ai.zmarty.bus.Addresses;
import ai.zmarty.ingest.IngestVerticle;
import ai.zmarty.config.LensEvaluateConfig;
import ai.zmarty.lens.EvaluateVerticle;
import ai.zmarty.lens.EvaluationPanel;
import ai.zmarty.lens.JudgeVerticle;
import ai.zmarty.lens.LeaderboardQueries;
import ai.zmarty.ingest.WatcherPauses;
import ai.zmarty.ingest.LiquidationQueries;
import ai.zmarty.lens.DlqRetry;
import ai.zmarty.lens.EventQueries;
import ai.zmarty.lens.EventQueryRoutes;
import ai.zmarty.lens.IntakeApi;
import ai.zmarty.lens.IntakeCaller;
import ai.zmarty.lens.IntakeReadiness;
import ai.zmarty.lens.IntakeRoutes;
import ai.zmarty.lens.IntakeStore;
import ai.zmarty.lens.SourceKeys;
import ai.zmarty.limit.ClusterRateLimiter;
import ai.zmarty.lens.EnrichStore;
import ai.zmarty.lens.EnrichVerticle;
import ai.zmarty.lens.Enricher;
import ai.zmarty.market.LiveMarket;
import ai.zmarty.market.LiveMarkets;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.MarketProviders;
import ai.zmarty.market.SymbolCatalog;
import ai.zmarty.metrics.LensEnrichMetrics;
import ai.zmarty.metrics.Metrics;
import ai.zmarty.metrics.MetricsServerVerticle;
import ai.zmarty.metrics.OpsMetrics;
import ai.zmarty.ops.HealthChecks;
import ai.zmarty.ops.HealthVerticle;
import ai.zmarty.ops.NightlyPipeline;
import ai.zmarty.ops.NightlyVerticle;
import ai.zmarty.ops.PipelineStore;
import ai.zmarty.ops.SchedulerVerticle;
import ai.zmarty.ops.SystemChecks;
import ai.zmarty.queue.DeadLetterHook;
import ai.zmarty.queue.PgmqClient;
import ai.zmarty.queue.QueueAdmin;
import ai.zmarty.queue.PgmqPollerVerticle;
import ai.zmarty.router.ModelProvider;
import ai.zmarty.router.ModelRouterVerticle;
import ai.zmarty.router.OfflineAnalyst;
import ai.zmarty.router.TokenCounter;
import ai.zmarty.router.providers.Providers;
import ai.zmarty.signal.DoublingGuard;
import ai.zmarty.signal.SignalQueries;
import ai.zmarty.outbox.EventPublisherVerticle;
import ai.zmarty.sync.OutboxBacklog;
import ai.zmarty.sync.OutboxKeeperVerticle;
import ai.zmarty.sync.OutboxRelayVerticle;
import ai.zmarty.sync.WatchersUpsertHook;
import ai.zmarty.sync.WebhookTarget;
import ai.zmarty.voice.AudioCache;
import ai.zmarty.voice.ElevenLabsClient;
import ai.zmarty.voice.VoiceService;
import ai.zmarty.voice.VoiceVerticle;
import ai.zmarty.watchlist.Watchlist;
import ai.zmarty.winrate.AnalyticsQueries;
import ai.zmarty.winrate.WinRateQueries;
import ai.zmarty.signal.SignalVerticle;
import ai.zmarty.winrate.WinRateVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the parts are put together: pools for A and B, the clients built on them,
 * and the verticles each role deploys.
 */
public final class Wiring {
  private static final Logger log = LoggerFactory.getLogger(Wiring.class);

  private final Vertx vertx;
  private final Pool chat;
  private final Pool trading;
  private final Deployments deployments;
  /** Removes this wiring's scrape-time readings from the node's metrics. */
  private final List<Runnable> scrapeHooks = new ArrayList<>();
  private HttpVerticle http;
  private MetricsServerVerticle metricsServer;

  private Wiring(Vertx vertx, Pool chat, Pool trading) {
    this.vertx = vertx;
    this.chat = chat;
    this.trading = trading;
    this.deployments = new Deployments(vertx);
  }

  /** {@link #deploy(Vertx, ZmartyConfig, Metrics, PgUrl, PgUrl)} with metrics of its own, not bound to {@code vertx}'s. */
  public static Future<Wiring> deploy(Vertx vertx, ZmartyConfig config, PgUrl chatUrl, PgUrl tradingUrl) {
    return deploy(vertx, config, Metrics.create(config.metrics()), chatUrl, tradingUrl);
  }

  /** Deploys the verticles of {@code config.roles()} into {@code vertx}, against A and B, reporting into {@code metrics}. */
  public static Future<Wiring> deploy(Vertx vertx, ZmartyConfig config, Metrics metrics, PgUrl chatUrl, PgUrl tradingUrl) {
    Wiring w = new Wiring(vertx, Pools.create(vertx, chatUrl, config.database().poolSize(), "chat"), Pools.create(vertx, tradingUrl, config.database().poolSize(), "trading"));
    ai.zmarty.router.RouterFailure.registerCodec(vertx); // every node: the API reads the router's failures, wherever it runs
    PgmqClient queues = new PgmqClient(w.trading);
    Supplier<String> webhookSecret = Secrets.webhookSecret(config);
    Future<Void> all = Future.succeededFuture();
    // every node reports the queues' depths (the same figures from each: alert on their max)
    w.scrapeHooks.add(metrics.beforeScrape(() -> queues.metricsAll().onSuccess(list -> list.forEach(q -> metrics.jobs().depth(q.queue(), q.length(), q.oldestMessageAgeSeconds())))));
    // and the newest nightly run of the cluster, as stored in B (pipeline_runs)
    PipelineStore pipelineRuns = new PipelineStore(w.trading);
    w.scrapeHooks.add(metrics.beforeScrape(() -> pipelineRuns.lastRun().onSuccess(last -> last.ifPresent(run -> metrics.ops().nightly(run.getString("status"), java.time.Instant.parse(run.getString("finished_at")))))));
    // every node: its WARN/ERROR events and a heartbeat (roles, chats, providers) for the admin feed
    String node = ai.zmarty.admin.NodeReporter.nodeName(vertx, NightlyPipeline.nodeName(config));
    all = all.compose(v -> w.deploy(new ai.zmarty.admin.NodeReporter(node, config.roles().stream().map(Enum::name).toList(), metrics.registry())));
    // the workers' candles, the api's check that a pair to watch is listed, the ops health check's probe
    MarketDataProvider market = MarketProviders.create(vertx, config.market(), Clock.systemUTC());
    if (config.roles().contains(Role.WORKER)) {
      // what "now" is for the market: wall time, or replay time when history is played back
      Clock clock = market.clock(Clock.systemUTC());
      // the job consumers first, so the poller's first messages find them
      WatcherPauses pauses = new WatcherPauses(w.trading, config.watch().pauseAfter());
      // the consumers and the poller stop together (one grace for all their jobs in flight)
      all = all.compose(v -> w.deployments.beginGroup()).compose(v -> w.deploy(new IngestVerticle(w.trading, market, queues, clock, config.watch().ingestConcurrency(), config.watch().keptPairs(), pauses)))
          .compose(v -> w.deploy(new SignalVerticle(w.trading, queues, DoublingGuard.of(config.guardrails()))))
          .compose(v -> w.deploy(new WinRateVerticle(w.trading, market, clock)))
          .compose(v -> w.deploy(new JudgeVerticle(w.trading, market, clock, config.lensPublish())))
          // events written with their rows (signals, lens decisions) go out on the bus after commit
          .compose(v -> w.deploy(new EventPublisherVerticle(w.trading, Pools.connectOptions(tradingUrl, "trading-listen"), config.queue().idlePoll())));
      // lens: outside signals enriched with the live market (its DLQ entries also when the poller gives up on a delivery)
      EnrichStore enrichStore = new EnrichStore(w.trading, NightlyPipeline.nodeName(config));
      LiveMarket live = LiveMarkets.of(market, config.market(), Clock.systemUTC());
      Enricher enricher = new Enricher(live, enrichStore, config.lensEnrich(), config.queue().maxReads(), Enricher.marketTimeLimit(config.queue().handlerTimeout()), clock, new LensEnrichMetrics(metrics.registry()));
      all = all.compose(v -> w.deploy(new EnrichVerticle(enricher, queues)));
      String evaluator = NightlyPipeline.nodeName(config);
      all = all.compose(v -> w.deploy(lensEvaluate(vertx, config, w.trading, metrics, evaluator)));
      Map<String, DeadLetterHook> hooks = Map.of(Addresses.QUEUE_INGEST_INDICATORS, pauses, Addresses.QUEUE_LENS_ENRICH, enrichStore.deadLetterHook(config.queue().maxReads()),
          Addresses.QUEUE_LENS_EVALUATE, EvaluateVerticle.deadLetterHook(w.trading, evaluator));
      all = all.compose(v -> w.deploy(new PgmqPollerVerticle(queues, config.queue(), hooks, metrics.jobs(), Pools.connectOptions(tradingUrl, "trading-queue-listen")))).compose(v -> w.deployments.endGroup());
    }
    if (config.roles().contains(Role.API)) {
      Watchlist watchlist = new Watchlist(w.chat, config.watch(), new SymbolCatalog(market, config.market().provider().name().toLowerCase(java.util.Locale.ROOT)));
      SignalQueries signals = new SignalQueries(w.trading);
      WinRateQueries winRates = new WinRateQueries(w.trading);
      TokenCounter tokens = new TokenCounter();
      CreditLedger ledger = new CreditLedger(w.chat, pricing(config.chat()), config.chat().holdTtl(), config.chat().maxCreditsPerRequest());
      ModelProvider offline = new OfflineAnalyst(vertx, tokens, config.chat().offlinePace());
      // MODEL_PROVIDER=auto: the real providers that have a key (none: the offline analyst answers)
      List<ModelProvider> real = config.chat().provider().equals("auto") ? Providers.configured(vertx, config.providers(), tokens) : List.of();
      var breakers = new ModelRouterVerticle.Breakers(config.providers().breakerMaxFailures(), config.providers().breakerReset());
      AudioCache audio = AudioCache.of(vertx, config.voice(), w.chat, config.database().dataDir());
      // ElevenLabs: 20 s per call; a busy answer (429) is retried once after 500 ms
      VoiceService voice = new VoiceService(config.voice(), new ElevenLabsClient(vertx, config.voice(), config.providers().connectTimeout(), java.time.Duration.ofSeconds(20), java.time.Duration.ofMillis(500)), audio, ledger);
      Authenticator authenticator = new Authenticator(vertx, config.auth(), Secrets.jwtSecret(config));
      HealthChecks health = new HealthChecks(vertx, w.chat, w.trading, queues, config.queue().deadLetterQueue(), config.health(), config.providers());
      w.scrapeHooks.add(metrics.beforeScrape(() -> health.run().onSuccess(report -> report.checks().forEach(c -> metrics.ops().health(c.name(), c.up() ? OpsMetrics.Level.HEALTHY : OpsMetrics.Level.CRITICAL)))));
      HttpVerticle http =
          new HttpVerticle(
              config.http(), config.chat(),
              health,
              authenticator,
              watchlist,
              signals,
              winRates,
              new AnalyticsQueries(w.trading, config.analytics().minTrades()),
              new WatchersUpsertHook(w.trading, queues, config.sync(), webhookSecret),
              audio,
              new ChatSessions(w.chat, config.chat().maxTurns(), config.chat().holdTtl()),
              new LiquidationQueries(w.trading),
              metrics,
              intakeApi(config, w, queues, authenticator, metrics),
              new HttpVerticle.Lens(config.lensPublish(), new SourceKeys(w.trading), new LeaderboardQueries(w.trading)),
              new HttpVerticle.Web(config.webApp(), new ai.zmarty.ingest.PriceQueries(w.trading)),
              ai.zmarty.limit.ChatLimiter.of(config.chat(), w.chat, node));
      all =
          all.compose(v -> w.deploy(new CreditVerticle(ledger)))
              .compose(v -> w.deploy(new VoiceVerticle(voice)))
              .compose(v -> w.deploy(new ModelRouterVerticle(offline, real, breakers, watchlist, signals, winRates, tokens, metrics.chat(), Pools.connectOptions(chatUrl, "chat-watchlist-listen"))))
              .compose(v -> w.deploy(http))
              .onSuccess(v -> w.http = http);
    }
    if (config.roles().contains(Role.OPS)) {
      OutboxBacklog backlog = new OutboxBacklog(w.chat);
      w.scrapeHooks.add(metrics.beforeScrape(() -> backlog.pending().onSuccess(metrics.ops()::outboxPending)));
      all = all.compose(v -> w.deploy(new OutboxKeeperVerticle(w.chat, config.sync())))
          .compose(v -> w.deploy(new OutboxRelayVerticle(w.chat, Pools.connectOptions(chatUrl, "chat-listen"), config.sync(), webhookSecret, () -> WebhookTarget.url(config.sync().webhookUrl(), config.http(), w.httpPort()))))
          .compose(v -> w.deploy(new SchedulerVerticle(w.trading, config.scheduler(), metrics.ops())))
          .compose(v -> w.deploy(new ai.zmarty.admin.AdminActionsVerticle(new QueueAdmin(w.trading, config.queue().deadLetterQueue()))))
          .compose(v -> w.deploy(new ai.zmarty.admin.AdminFeedVerticle(new QueueAdmin(w.trading, config.queue().deadLetterQueue()), new ai.zmarty.credit.CreditUsage(w.chat), w.trading)))
          .compose(v -> w.deploy(new NightlyVerticle(new NightlyPipeline(vertx, w.trading, checks(vertx, config, w, market)::run, config.ops(), NightlyPipeline.nodeName(config)))));
    }
    if (config.roles().contains(Role.API) || config.roles().contains(Role.OPS)) {
      all = all.compose(v -> w.deploy(new HealthVerticle(checks(vertx, config, w, market)))); // GET /admin/health
    }
    if (!config.roles().contains(Role.API) && metrics.enabled()) {
      // no API to serve /metrics beside: a server of its own on METRICS_PORT
      MetricsServerVerticle server = new MetricsServerVerticle(metrics, config.http().host(), config.metrics().port());
      all = all.compose(v -> w.deploy(server)).onSuccess(v -> w.metricsServer = server);
    }
    return all.map(v -> {
          log.info("roles {} deployed", config.roles());
          return w;
        })
        .recover(err -> w.close().transform(ignored -> Future.failedFuture(err)));
  }

  /** The operator's seven checks; with no HEALTH_API_URL, a node that serves the API checks its own bound port. */
  private static SystemChecks checks(Vertx vertx, ZmartyConfig config, Wiring w, MarketDataProvider market) {
    return new SystemChecks(vertx, w.chat, w.trading, market, config, Clock.systemUTC(),
        () -> config.ops().apiUrl().isEmpty() && w.httpPort().isPresent() ? "http://127.0.0.1:" + w.httpPort().get() + "/healthz" : SystemChecks.apiUrl(config));
  }

  /** The lens evaluation worker: LENS_MODELS, each real one through the router's provider adapter. */
  private static EvaluateVerticle lensEvaluate(Vertx vertx, ZmartyConfig config, Pool trading, Metrics metrics, String node) {
    LensEvaluateConfig lens = config.lensEvaluate();
    lens.cappedFrom().ifPresent(asked -> log.warn("LENS_MODEL_TIMEOUT {} lowered to {} ms: three quarters of QUEUE_HANDLER_TIMEOUT", asked, lens.modelTimeout().toMillis()));
    return new EvaluateVerticle(trading, EvaluationPanel.of(vertx, lens, config.providers(), pricing(config.chat())), metrics.evaluate(), config.queue().maxReads(), node);
  }

  /** The lens intake's routes: signals from outside sources, their audit trail and dead letters, /health and /ready. */
  private static IntakeApi intakeApi(ZmartyConfig config, Wiring w, PgmqClient queues, Authenticator auth, Metrics metrics) {
    String node = NightlyPipeline.nodeName(config);
    SourceKeys keys = new SourceKeys(w.trading);
    ClusterRateLimiter limiter = new ClusterRateLimiter(w.trading, new ClusterRateLimiter.Policy(config.intake().ratePerMinute(), config.intake().rateBurst()), "lens.source");
    IntakeRoutes signals = new IntakeRoutes(keys, limiter, new IntakeStore(w.trading, node), metrics.intake(), config.intake().defaultProfile());
    EventQueryRoutes queries = new EventQueryRoutes(new IntakeCaller(keys, auth), new EventQueries(w.trading), new DlqRetry(w.trading, queues, node));
    return new IntakeApi(signals, queries, new IntakeReadiness(w.chat, w.trading, queues, config.intake().readyMaxAge(), config.health().checkTimeout()));
  }

  /** The router's prices (PRICE_<PROVIDER>), which chat charges and lens decisions cost at. */
  public static Pricing pricing(ChatConfig chat) {
    Map<String, Pricing.Rate> rates = new HashMap<>();
    chat.prices().forEach((provider, p) -> rates.put(provider, new Pricing.Rate(p.inPer1k(), p.outPer1k(), p.minPerCall())));
    return new Pricing(rates);
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle) {
    return deployments.deploy(verticle);
  }

  /** The HTTP port bound, when this node runs the api role. */
  public Optional<Integer> httpPort() {
    return Optional.ofNullable(http).map(HttpVerticle::port);
  }

  /** The port of the metrics server, on a node without the api role (with it, /metrics is on {@link #httpPort}). */
  public Optional<Integer> metricsPort() {
    return Optional.ofNullable(metricsServer).map(MetricsServerVerticle::port);
  }

  /** The HTTP routes this node registered, when it runs the api role (empty otherwise). */
  public List<io.vertx.ext.web.Route> httpRoutes() {
    return http == null ? List.of() : http.routes();
  }

  public Pool chatPool() {
    return chat;
  }

  public Pool tradingPool() {
    return trading;
  }

  /** Undeploys what this wiring deployed, newest first ({@link Deployments}), then closes its pools. */
  public Future<Void> close() {
    scrapeHooks.forEach(Runnable::run);
    scrapeHooks.clear();
    return deployments.undeployAll().transform(v -> Future.join(chat.close(), trading.close())).mapEmpty();
  }
}
