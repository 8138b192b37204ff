package ai.zmarty.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
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
    WatchConfig watch) {

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

  public enum LogFormat {
    JSON,
    TEXT
  }

  public record HttpConfig(String host, int port) {}

  public record DatabaseConfig(Optional<PgUrl> chatUrl, Optional<PgUrl> tradingUrl, int poolSize, Path dataDir, int embeddedPort) {
    /** Both URLs unset: the program runs its own PostgreSQL. */
    public boolean embedded() {
      return chatUrl.isEmpty() && tradingUrl.isEmpty();
    }
  }

  /** {@code jwtSecret} empty means: use (or create) the one kept under the data directory. */
  public record AuthConfig(Optional<String> jwtSecret, String audience, Optional<String> jwksUrl) {}

  /** Credits per 1,000 input tokens, per 1,000 output tokens, per call. */
  public record Price(long inPer1k, long outPer1k, long minPerCall) {}

  public record ChatConfig(
      String provider, Map<String, Price> prices, Duration holdTtl, int maxMessageChars, Duration offlinePace, int ratePerMinute, int maxConcurrentStreams,
      long maxCreditsPerRequest, int maxTurns) {}

  public record ClusterConfig(String name, String host, int port, List<String> members) {}

  public record QueueConfig(
      List<String> queues,
      String deadLetterQueue,
      int maxReads,
      int batchSize,
      int maxInFlight,
      Duration visibilityTimeout,
      Duration handlerTimeout,
      Duration idlePoll,
      Duration backoffBase,
      Duration backoffMax) {}

  /** {@code providers}: the model providers whose reachability /healthz reports (grok, gpt, claude, gemini). */
  public record HealthConfig(int queueDepthThreshold, Duration checkTimeout, List<String> providers) {}

  /** ElevenLabs text-to-speech: {@code apiKey} empty means voice answers say so instead. The key never appears in {@link #toString()}. */
  /** {@code cacheMaxMb}: the most the spoken-answer cache keeps on this node's disk; the oldest files go first. */
  public record VoiceConfig(Optional<String> apiKey, String baseUrl, String voiceId, String model, int pricePer1kChars, int cacheMaxMb) {
    public boolean configured() {
      return apiKey.isPresent();
    }

    @Override
    public String toString() {
      return "VoiceConfig[apiKey=" + (apiKey.isPresent() ? "(set)" : "(empty)") + ", baseUrl=" + baseUrl + ", voiceId=" + voiceId + ", model=" + model + ", pricePer1kChars=" + pricePer1kChars + ", cacheMaxMb=" + cacheMaxMb + "]";
    }
  }

  public record LogConfig(LogFormat format, String level) {}

  /**
   * The signed A→B sync. {@code webhookUrl} empty: this node's own receiver; {@code webhookSecret}
   * empty: the one generated under the data directory ({@link Secrets#webhookSecret}).
   */
  public record SyncConfig(Optional<String> webhookUrl, Optional<String> webhookSecret, Duration tolerance, Duration poll, Duration backoffMax) {}

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

  private static final Pattern QUEUE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,46}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\-\\[\\]]+");
  private static final Pattern WEBHOOK_URL = Pattern.compile("https?://[^\\s/?#]+(/\\S*)?");

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
    ClusterConfig cluster = new ClusterConfig(raw.required("CLUSTER_NAME"), host, raw.integer("CLUSTER_PORT", 1, 65535), members);

    QueueConfig queue = queueConfig(raw);
    HealthConfig health =
        new HealthConfig(raw.integer("HEALTH_QUEUE_DEPTH_THRESHOLD", 1, Integer.MAX_VALUE), raw.duration("HEALTH_CHECK_TIMEOUT", Duration.ofMillis(100), Duration.ofMinutes(1)), healthProviders(raw));
    LogConfig log = new LogConfig(raw.choice("LOG_FORMAT", LogFormat.class), logLevel(raw.required("LOG_LEVEL")));

    return new ZmartyConfig(
        new HttpConfig(raw.required("HTTP_HOST"), raw.integer("HTTP_PORT", 0, 65535)),
        database,
        new AuthConfig(secret, raw.required("JWT_AUDIENCE"), raw.optional("JWT_JWKS_URL")),
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
        providersConfig(raw),
        voiceConfig(raw),
        WatchConfig.from(raw));
  }

  private static final Set<String> MODEL_PROVIDERS = Set.of("grok", "gpt", "claude", "gemini");
  private static final Pattern VOICE_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

  private static List<String> healthProviders(RawConfig raw) {
    List<String> names = raw.list("HEALTH_PROVIDERS").stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty()).distinct().toList();
    for (String n : names) {
      if (!MODEL_PROVIDERS.contains(n)) {
        throw new ConfigException("HEALTH_PROVIDERS", "unknown provider '" + n + "' (providers: grok, gpt, claude, gemini; empty: none)");
      }
    }
    return names;
  }

  private static VoiceConfig voiceConfig(RawConfig raw) {
    String url = raw.required("ELEVENLABS_BASE_URL");
    if (!BASE_URL.matcher(url).matches()) {
      throw new ConfigException("ELEVENLABS_BASE_URL", "must be an http:// or https:// URL, got '" + url + "'");
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    String voice = raw.required("ELEVENLABS_VOICE_ID");
    if (!VOICE_ID.matcher(voice).matches()) {
      throw new ConfigException("ELEVENLABS_VOICE_ID", "must be an ElevenLabs voice id (letters and digits), got '" + voice + "'");
    }
    return new VoiceConfig(raw.optional("ELEVENLABS_API_KEY"), url, voice, raw.required("ELEVENLABS_MODEL"), raw.integer("PRICE_VOICE_PER_1K_CHARS", 0, 1_000_000), raw.integer("VOICE_CACHE_MAX_MB", 1, 1_000_000));
  }

  /** The doubling guardrails of the paper position book (see signal.DoublingGuard). */
  public record GuardrailConfig(double scoreDelta, double maxPositionPct, Duration cooldown, double volatilityThreshold) {}

  private static double fraction(RawConfig raw, String key) {
    String v = raw.required(key);
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(key, "must be a number from 0 to 1, got '" + v + "'");
  }

  private static final Pattern BASE_URL = Pattern.compile("https?://[^\\s/?#]+(/[^\\s?#]*)?");

  private static ProvidersConfig providersConfig(RawConfig raw) {
    return new ProvidersConfig(
        provider(raw, "grok", "XAI"),
        provider(raw, "gpt", "OPENAI"),
        provider(raw, "claude", "ANTHROPIC"),
        provider(raw, "gemini", "GEMINI"),
        raw.duration("PROVIDER_CONNECT_TIMEOUT", Duration.ofMillis(10), Duration.ofMinutes(5)),
        raw.duration("PROVIDER_FIRST_BYTE_TIMEOUT", Duration.ofMillis(10), Duration.ofMinutes(10)),
        raw.duration("PROVIDER_IDLE_TIMEOUT", Duration.ofMillis(10), Duration.ofMinutes(10)),
        raw.integer("PROVIDER_BREAKER_FAILURES", 1, 1000),
        raw.duration("PROVIDER_BREAKER_RESET", Duration.ofMillis(10), Duration.ofHours(1)));
  }

  private static ProviderConfig provider(RawConfig raw, String name, String prefix) {
    String url = raw.required(prefix + "_BASE_URL");
    if (!BASE_URL.matcher(url).matches()) {
      throw new ConfigException(prefix + "_BASE_URL", "must be an http:// or https:// URL, got '" + url + "'");
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    return new ProviderConfig(name, raw.optional(prefix + "_API_KEY"), url, raw.required(prefix + "_MODEL"));
  }

  private static final Pattern PRICE = Pattern.compile("(\\d+)/(\\d+)/(\\d+)");

  private static ChatConfig chatConfig(RawConfig raw) {
    Map<String, Price> prices = new LinkedHashMap<>();
    for (String provider : List.of("offline", "grok", "gpt", "claude", "gemini")) {
      String key = "PRICE_" + provider.toUpperCase(Locale.ROOT);
      Matcher m = PRICE.matcher(raw.required(key));
      if (!m.matches()) {
        throw new ConfigException(key, "must be in/out/min credits like 1/4/1, got '" + raw.string(key) + "'");
      }
      prices.put(provider, new Price(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
    }
    String provider = raw.required("MODEL_PROVIDER").toLowerCase(Locale.ROOT);
    if (!provider.equals("offline") && !provider.equals("auto")) {
      throw new ConfigException("MODEL_PROVIDER", "must be 'auto' (the real providers that have a key, else offline) or 'offline', got '" + provider + "'");
    }
    return new ChatConfig(
        provider,
        Map.copyOf(prices),
        raw.duration("CREDIT_HOLD_TTL", Duration.ofSeconds(30), Duration.ofDays(1)),
        raw.integer("CHAT_MAX_MESSAGE_CHARS", 1, 100_000),
        raw.duration("OFFLINE_PACE", Duration.ofMillis(0), Duration.ofSeconds(1)),
        raw.integer("RATE_LIMIT_PER_MINUTE", 1, 100_000),
        raw.integer("MAX_CONCURRENT_STREAMS", 1, 1_000),
        raw.integer("CHAT_MAX_CREDITS_PER_REQUEST", 1, 10_000_000),
        raw.integer("CHAT_MAX_TURNS", 1, 10_000));
  }

  private static SyncConfig syncConfig(RawConfig raw) {
    Optional<String> url = raw.optional("WEBHOOK_URL");
    if (url.isPresent() && !WEBHOOK_URL.matcher(url.get()).matches()) {
      throw new ConfigException("WEBHOOK_URL", "must be an http:// or https:// URL, got '" + url.get() + "'");
    }
    Optional<String> secret = raw.optional("WEBHOOK_SECRET");
    if (secret.isPresent() && secret.get().length() < 32) {
      throw new ConfigException("WEBHOOK_SECRET", "must be at least 32 characters, got " + secret.get().length());
    }
    return new SyncConfig(
        url,
        secret,
        raw.duration("WEBHOOK_TOLERANCE", Duration.ofSeconds(1), Duration.ofDays(1)),
        raw.duration("SYNC_POLL", Duration.ofMillis(50), Duration.ofMinutes(5)),
        raw.duration("SYNC_BACKOFF_MAX", Duration.ofSeconds(1), Duration.ofDays(1)));
  }

  private static QueueConfig queueConfig(RawConfig raw) {
    List<String> queues = raw.list("QUEUE_NAMES");
    for (String q : queues) {
      checkQueueName("QUEUE_NAMES", q);
    }
    String dead = raw.required("QUEUE_DEAD_LETTER");
    checkQueueName("QUEUE_DEAD_LETTER", dead);
    if (queues.contains(dead)) {
      throw new ConfigException("QUEUE_DEAD_LETTER", "must not be one of QUEUE_NAMES (" + dead + ")");
    }
    Duration vt = raw.duration("QUEUE_VISIBILITY_TIMEOUT", Duration.ofSeconds(1), Duration.ofHours(12));
    Duration handler = raw.duration("QUEUE_HANDLER_TIMEOUT", Duration.ofMillis(100), Duration.ofHours(12));
    if (handler.compareTo(vt) >= 0) {
      throw new ConfigException("QUEUE_HANDLER_TIMEOUT", "must be shorter than QUEUE_VISIBILITY_TIMEOUT (" + RawConfig.format(vt) + "), or a slow job would be handed out twice");
    }
    Duration base = raw.duration("QUEUE_BACKOFF_BASE", Duration.ofSeconds(1), Duration.ofHours(1));
    Duration max = raw.duration("QUEUE_BACKOFF_MAX", Duration.ofSeconds(1), Duration.ofDays(1));
    if (max.compareTo(base) < 0) {
      throw new ConfigException("QUEUE_BACKOFF_MAX", "must not be shorter than QUEUE_BACKOFF_BASE");
    }
    return new QueueConfig(
        queues,
        dead,
        raw.integer("QUEUE_MAX_READS", 1, 1000),
        raw.integer("QUEUE_BATCH_SIZE", 1, 1000),
        raw.integer("QUEUE_MAX_IN_FLIGHT", 1, 10_000),
        vt,
        handler,
        raw.duration("QUEUE_IDLE_POLL", Duration.ofMillis(10), Duration.ofMinutes(5)),
        base,
        max);
  }

  private static void checkQueueName(String key, String name) {
    if (!QUEUE_NAME.matcher(name).matches()) {
      throw new ConfigException(key, "'" + name + "' is not a queue name (lower-case letters, digits and _, at most 47 characters)");
    }
  }

  private static String logLevel(String level) {
    String upper = level.toUpperCase(Locale.ROOT);
    if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(upper)) {
      throw new ConfigException("LOG_LEVEL", "must be one of trace, debug, info, warn, error, got '" + level + "'");
    }
    return upper;
  }
}
