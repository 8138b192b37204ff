package ai.zmarty.config;

import static ai.zmarty.config.ConfigSections.chatConfig;
import static ai.zmarty.config.ConfigSections.fraction;
import static ai.zmarty.config.ConfigSections.healthProviders;
import static ai.zmarty.config.ConfigSections.logLevel;
import static ai.zmarty.config.ConfigSections.providersConfig;
import static ai.zmarty.config.ConfigSections.queueConfig;
import static ai.zmarty.config.ConfigSections.syncConfig;
import static ai.zmarty.config.ConfigSections.voiceConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The whole typed configuration, checked once at start-up. */
public record ZmartyConfig(
    HttpConfig http,
    DatabaseConfig database,
    AuthConfig auth,
    ClusterConfig cluster,
    Set<Role> roles,
    QueueConfig queue,
    HealthConfig health,
    LogConfig log,
    ChatConfig chat,
    SyncConfig sync,
    SchedulerConfig scheduler,
    MarketConfig market,
    GuardrailConfig guardrails,
    ProvidersConfig providers,
    VoiceConfig voice,
    WatchConfig watch,
    MetricsConfig metrics,
    OpsConfig ops,
    IntakeConfig intake,
    LensEnrichConfig lensEnrich,
    LensEvaluateConfig lensEvaluate,
    AnalyticsConfig analytics,
    LensPublishConfig lensPublish,
    WebAppConfig webApp,
    int eventLoops) {

  /**
   * Vert.x event-loop threads this node runs ({@code EVENT_LOOPS}; 0: half the processors the JVM
   * sees, at least one, where Vert.x's own default is two per processor). Every verticle here is
   * non-blocking and a chat crosses several of them (HTTP, router, credits, the pools' connections):
   * each crossing from one loop to another is a wake-up, so fewer loops than cores spent less CPU
   * and answered sooner on the 2-core bench machine, which the node shares with PostgreSQL
   * (bench/gateway/README.md).
   */
  public int eventLoopThreads() {
    return eventLoops > 0 ? eventLoops : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  public enum Role {
    API,
    WORKER,
    OPS;

    /** Parses {@code api,worker}; the error names {@code key}. */
    public static Set<Role> parse(String key, List<String> names) {
      if (names.isEmpty()) {
        throw new ConfigException(key, "must name at least one role of api, worker, ops");
      }
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (String name : names) {
        try {
          roles.add(Role.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key, "unknown role '" + name + "' (roles: api, worker, ops)");
        }
      }
      return roles;
    }
  }

  /** {@code auto}: readable text when the process writes to a terminal, else one JSON event per line. */
  public enum LogFormat {
    AUTO,
    JSON,
    TEXT;

    /** The format the logs are written in: {@code json} or {@code text}, never {@code auto}. */
    public LogFormat resolve(boolean onTerminal) {
      return this != AUTO ? this : onTerminal ? TEXT : JSON;
    }
  }

  /**
   * {@code idleTimeout}: a connection with no byte moving either way for this long is closed;
   * {@code requestTimeout}: the time a client has to send a whole request (headers and body);
   * {@code corsOrigins}: the other origins whose pages may call the API (empty: same origin only);
   * {@code signalStreamsMax}: open {@code GET /signals/stream} answers one node holds ({@code SIGNAL_STREAMS_MAX}).
   */
  public record HttpConfig(String host, int port, Duration idleTimeout, Duration requestTimeout, List<String> corsOrigins, int signalStreamsMax) {
    public HttpConfig(String host, int port) {
      this(host, port, Duration.ofSeconds(60), Duration.ofSeconds(30), List.of(), 20_000);
    }
  }

  public record DatabaseConfig(Optional<PgUrl> chatUrl, Optional<PgUrl> tradingUrl, int poolSize, Path dataDir, int embeddedPort) {
    /** Both URLs unset: the program runs its own PostgreSQL. */
    public boolean embedded() {
      return chatUrl.isEmpty() && tradingUrl.isEmpty();
    }
  }

  /**
   * {@code jwtSecret} empty means: use (or create) the one kept under the data directory;
   * {@code allowNoExp}: accept signed tokens without an {@code exp} (local tools only).
   */
  public record AuthConfig(Optional<String> jwtSecret, String audience, Optional<String> jwksUrl, boolean allowNoExp) {}

  /** Credits per 1,000 input tokens, per 1,000 output tokens, per call. */
  public record Price(long inPer1k, long outPer1k, long minPerCall) {}

  /** {@code limitScope}: {@code CHAT_LIMITS_SCOPE}; {@code streamLease}: {@code CHAT_STREAM_LEASE} (a streaming answer's slot outlives its node this long). */
  public record ChatConfig(
      String provider, Map<String, Price> prices, Duration holdTtl, int maxMessageChars, Duration offlinePace, int ratePerMinute, int maxConcurrentStreams,
      long maxCreditsPerRequest, int maxTurns, LimitScope limitScope, Duration streamLease) {}

  /**
   * How members find each other: {@code tcp-ip} from {@code CLUSTER_MEMBERS} (the default), or
   * {@code kubernetes}, a DNS lookup of the headless Service {@code CLUSTER_SERVICE_DNS}.
   */
  public record ClusterConfig(String name, String host, int port, List<String> members, Discovery discovery, String serviceDns) {
    public ClusterConfig(String name, String host, int port, List<String> members) {
      this(name, host, port, members, Discovery.TCP_IP, "");
    }
  }

  public enum AudioStoreKind {
    DATABASE,
    FILE
  }

  public enum Discovery {
    TCP_IP,
    KUBERNETES
  }

  public record QueueConfig(
      List<String> queues,
      String deadLetterQueue,
      int maxReads,
      int batchSize,
      int maxInFlight,
      int readers,
      Duration visibilityTimeout,
      Duration handlerTimeout,
      Duration idlePoll,
      Duration backoffBase,
      Duration backoffMax) {}

  /**
   * {@code queueMaxAge}: a queue whose oldest ready message has waited longer is DOWN;
   * {@code providers}: the model providers whose reachability /healthz reports (grok, gpt, claude, gemini).
   */
  public record HealthConfig(Duration queueMaxAge, Duration checkTimeout, List<String> providers) {}

  /** ElevenLabs text-to-speech: {@code apiKey} empty means voice answers say so instead. The key never appears in {@link #toString()}. */
  /** {@code cacheMaxMb}: the most the spoken-answer cache keeps on this node's disk; the oldest files go first. */
  /** {@code store}: where spoken answers are kept, {@code database} (A, served by every API node) or {@code file} (this node's data directory). */
  public record VoiceConfig(Optional<String> apiKey, String baseUrl, String voiceId, String model, int pricePer1kChars, int cacheMaxMb, AudioStoreKind store) {
    public boolean configured() {
      return apiKey.isPresent();
    }

    @Override
    public String toString() {
      return "VoiceConfig[apiKey=" + (apiKey.isPresent() ? "(set)" : "(empty)") + ", baseUrl=" + baseUrl + ", voiceId=" + voiceId + ", model=" + model + ", pricePer1kChars=" + pricePer1kChars + ", cacheMaxMb=" + cacheMaxMb + ", store=" + store + "]";
    }
  }

  public record LogConfig(LogFormat format, String level) {}

  /**
   * The signed A→B sync. {@code webhookUrl} empty: this node's own receiver; {@code webhookSecret}
   * empty: the one generated under the data directory ({@link Secrets#webhookSecret}).
   */
  /**
   * The A→B sync: a change the receiver answers with a 4xx (other than 429) {@code maxAttempts}
   * times is dead (kept for operators, retryable); delivered rows are purged after {@code retention}.
   */
  public record SyncConfig(Optional<String> webhookUrl, Optional<String> webhookSecret, Duration tolerance, Duration poll, Duration backoffMax, int maxAttempts, Duration retention) {}

  /** One model service: {@code apiKey} empty means it is not routed to. The key never appears in {@link #toString()}. */
  public record ProviderConfig(String name, Optional<String> apiKey, String baseUrl, String model) {
    public boolean configured() {
      return apiKey.isPresent();
    }

    @Override
    public String toString() {
      return "ProviderConfig[name=" + name + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(empty)") + ", baseUrl=" + baseUrl + ", model=" + model + "]";
    }
  }

  /** The real model providers, their timeouts, and when a provider's circuit breaker opens and probes again. */
  public record ProvidersConfig(
      ProviderConfig grok,
      ProviderConfig gpt,
      ProviderConfig claude,
      ProviderConfig gemini,
      Duration connectTimeout,
      Duration firstByteTimeout,
      Duration idleTimeout,
      int breakerMaxFailures,
      Duration breakerReset) {
    public List<ProviderConfig> all() {
      return List.of(grok, gpt, claude, gemini);
    }
  }

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\-\\[\\]]+");

  public static ZmartyConfig fromEnvironment() {
    return from(RawConfig.fromSystemEnvironment());
  }

  public static ZmartyConfig from(RawConfig raw) {
    Optional<PgUrl> chat = raw.optional("CHAT_DATABASE_URL").map(v -> PgUrl.parse("CHAT_DATABASE_URL", v));
    Optional<PgUrl> trading = raw.optional("TRADING_DATABASE_URL").map(v -> PgUrl.parse("TRADING_DATABASE_URL", v));
    if (chat.isPresent() != trading.isPresent()) {
      String missing = chat.isEmpty() ? "CHAT_DATABASE_URL" : "TRADING_DATABASE_URL";
      throw new ConfigException(missing, "must be set too: give both database URLs, or neither to run the embedded PostgreSQL");
    }
    DatabaseConfig database =
        new DatabaseConfig(chat, trading, raw.integer("DB_POOL_SIZE", 1, 200), Path.of(raw.required("ZMARTY_DATA_DIR")), raw.integer("EMBEDDED_PG_PORT", 0, 65535));

    Optional<String> secret = raw.optional("JWT_SECRET");
    if (secret.isPresent() && secret.get().length() < 32) {
      throw new ConfigException("JWT_SECRET", "must be at least 32 characters for HS256, got " + secret.get().length());
    }

    String host = raw.required("CLUSTER_HOST");
    if (!HOST.matcher(host).matches()) {
      throw new ConfigException("CLUSTER_HOST", "must be a host name or IP address, got '" + host + "'");
    }
    List<String> members = raw.list("CLUSTER_MEMBERS");
    if (members.isEmpty()) {
      throw new ConfigException("CLUSTER_MEMBERS", "must list at least one member address");
    }
    for (String m : members) {
      if (!HOST.matcher(m).matches()) {
        throw new ConfigException("CLUSTER_MEMBERS", "'" + m + "' is not a host name, IP address or host:port");
      }
    }
    Discovery discovery = switch (raw.string("CLUSTER_DISCOVERY").trim().toLowerCase(Locale.ROOT)) {
      case "tcp-ip" -> Discovery.TCP_IP;
      case "kubernetes" -> Discovery.KUBERNETES;
      default -> throw new ConfigException("CLUSTER_DISCOVERY", "must be tcp-ip or kubernetes, got '" + raw.string("CLUSTER_DISCOVERY") + "'");
    };
    String serviceDns = raw.optional("CLUSTER_SERVICE_DNS").orElse("");
    if (discovery == Discovery.KUBERNETES && !HOST.matcher(serviceDns).matches()) {
      throw new ConfigException("CLUSTER_SERVICE_DNS", "must name the headless Service (e.g. zmarty-cluster.default.svc.cluster.local) when CLUSTER_DISCOVERY is kubernetes");
    }
    ClusterConfig cluster = new ClusterConfig(raw.required("CLUSTER_NAME"), host, raw.integer("CLUSTER_PORT", 1, 65535), members, discovery, serviceDns);

    QueueConfig queue = queueConfig(raw);
    ProvidersConfig providers = providersConfig(raw);
    HealthConfig health =
        new HealthConfig(raw.duration("HEALTH_QUEUE_MAX_AGE", Duration.ofSeconds(1), Duration.ofDays(1)), raw.duration("HEALTH_CHECK_TIMEOUT", Duration.ofMillis(100), Duration.ofMinutes(1)), healthProviders(raw));
    LogConfig log = new LogConfig(raw.choice("LOG_FORMAT", LogFormat.class), logLevel(raw.required("LOG_LEVEL")));

    return new ZmartyConfig(
        new HttpConfig(
            raw.required("HTTP_HOST"),
            raw.integer("HTTP_PORT", 0, 65535),
            raw.duration("HTTP_IDLE_TIMEOUT", Duration.ofMillis(100), Duration.ofHours(1)),
            raw.duration("HTTP_REQUEST_TIMEOUT", Duration.ofMillis(100), Duration.ofHours(1)),
            ConfigSections.corsOrigins(raw),
            raw.integer("SIGNAL_STREAMS_MAX", 1, 1_000_000)),
        database,
        new AuthConfig(secret, raw.required("JWT_AUDIENCE"), raw.optional("JWT_JWKS_URL"), raw.bool("JWT_ALLOW_NO_EXP")),
        cluster,
        Role.parse("ROLES", raw.list("ROLES")),
        queue,
        health,
        log,
        chatConfig(raw),
        syncConfig(raw),
        SchedulerConfig.from(raw, fraction(raw, "SCHEDULER_INGEST_SPREAD")),
        MarketConfig.from(raw),
        new GuardrailConfig(
            fraction(raw, "SCORE_DELTA_THRESHOLD"),
            fraction(raw, "MAX_POSITION_PCT"),
            Duration.ofSeconds(raw.integer("COOLDOWN_SECONDS", 0, 30 * 86_400)),
            fraction(raw, "VOLATILITY_THRESHOLD")),
        providers,
        voiceConfig(raw),
        WatchConfig.from(raw),
        MetricsConfig.from(raw),
        OpsConfig.from(raw),
        IntakeConfig.from(raw),
        LensEnrichConfig.from(raw),
        LensEvaluateConfig.from(raw, providers, queue),
        AnalyticsConfig.from(raw),
        LensPublishConfig.from(raw),
        WebAppConfig.from(raw),
        raw.integer("EVENT_LOOPS", 0, 256));
  }

  /** The doubling guardrails of the paper position book (see signal.DoublingGuard). */
  public record GuardrailConfig(double scoreDelta, double maxPositionPct, Duration cooldown, double volatilityThreshold) {}
}
