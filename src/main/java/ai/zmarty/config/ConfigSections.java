package ai.zmarty.config;

import ai.zmarty.config.ZmartyConfig.ChatConfig;
import ai.zmarty.config.ZmartyConfig.Price;
import ai.zmarty.config.ZmartyConfig.ProviderConfig;
import ai.zmarty.config.ZmartyConfig.ProvidersConfig;
import ai.zmarty.config.ZmartyConfig.QueueConfig;
import ai.zmarty.config.ZmartyConfig.SyncConfig;
import ai.zmarty.config.ZmartyConfig.VoiceConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How {@link ZmartyConfig#from} reads and checks each section; every error names its variable. */
final class ConfigSections {
  private static final Pattern QUEUE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,46}");
  private static final Pattern WEBHOOK_URL = Pattern.compile("https?://[^\\s/?#]+(/\\S*)?");

  private ConfigSections() {}

  private static final Set<String> MODEL_PROVIDERS = Set.of("grok", "gpt", "claude", "gemini");
  private static final Pattern VOICE_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

  /** An exact browser origin: scheme, host (a name, IPv4 or [IPv6]) and an optional port; no path, no wildcard. */
  private static final Pattern ORIGIN = Pattern.compile("https?://([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+])(:[0-9]{1,5})?");

  /** {@code CORS_ORIGINS}: the origins whose pages may call the API; compared exactly, so kept as browsers send them (lower case). */
  static List<String> corsOrigins(RawConfig raw) {
    List<String> origins = new java.util.ArrayList<>();
    for (String origin : raw.list("CORS_ORIGINS")) {
      String lower = origin.toLowerCase(Locale.ROOT);
      Matcher m = ORIGIN.matcher(lower);
      if (!m.matches() || (m.group(5) != null && Integer.parseInt(m.group(5).substring(1)) > 65535)) {
        throw new ConfigException("CORS_ORIGINS", "'" + origin + "' is not an origin like https://app.example.com (scheme, host, optional port; no path, no trailing slash, no wildcard)");
      }
      origins.add(lower);
    }
    return List.copyOf(origins);
  }

  static List<String> healthProviders(RawConfig raw) {
    List<String> names = raw.list("HEALTH_PROVIDERS").stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty()).distinct().toList();
    for (String n : names) {
      if (!MODEL_PROVIDERS.contains(n)) {
        throw new ConfigException("HEALTH_PROVIDERS", "unknown provider '" + n + "' (providers: grok, gpt, claude, gemini; empty: none)");
      }
    }
    return names;
  }

  static VoiceConfig voiceConfig(RawConfig raw) {
    String url = baseUrl(raw, "ELEVENLABS_BASE_URL");
    String voice = raw.required("ELEVENLABS_VOICE_ID");
    if (!VOICE_ID.matcher(voice).matches()) {
      throw new ConfigException("ELEVENLABS_VOICE_ID", "must be an ElevenLabs voice id (letters and digits), got '" + voice + "'");
    }
    return new VoiceConfig(raw.optional("ELEVENLABS_API_KEY"), url, voice, raw.required("ELEVENLABS_MODEL"), raw.integer("PRICE_VOICE_PER_1K_CHARS", 0, 1_000_000), raw.integer("VOICE_CACHE_MAX_MB", 1, 1_000_000),
        raw.choice("VOICE_STORE", ZmartyConfig.AudioStoreKind.class));
  }


  static double fraction(RawConfig raw, String key) {
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

  /** An http(s) base URL without trailing slashes. */
  private static String baseUrl(RawConfig raw, String key) {
    String url = raw.required(key);
    if (!BASE_URL.matcher(url).matches()) {
      throw new ConfigException(key, "must be an http:// or https:// URL, got '" + url + "'");
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    return url;
  }

  private static final Pattern BASE_URL = Pattern.compile("https?://[^\\s/?#]+(/[^\\s?#]*)?");

  static ProvidersConfig providersConfig(RawConfig raw) {
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
    String url = baseUrl(raw, prefix + "_BASE_URL");
    return new ProviderConfig(name, raw.optional(prefix + "_API_KEY"), url, raw.required(prefix + "_MODEL"));
  }

  private static final Pattern PRICE = Pattern.compile("(\\d+)/(\\d+)/(\\d+)");

  static ChatConfig chatConfig(RawConfig raw) {
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
        raw.integer("CHAT_MAX_TURNS", 1, 10_000),
        raw.choice("CHAT_LIMITS_SCOPE", LimitScope.class),
        raw.duration("CHAT_STREAM_LEASE", Duration.ofSeconds(1), Duration.ofMinutes(10)));
  }

  static SyncConfig syncConfig(RawConfig raw) {
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
        raw.duration("SYNC_BACKOFF_MAX", Duration.ofSeconds(1), Duration.ofDays(1)),
        raw.integer("SYNC_MAX_ATTEMPTS", 1, 1_000),
        raw.duration("SYNC_RETENTION", Duration.ofMinutes(1), Duration.ofDays(3650)));
  }

  static QueueConfig queueConfig(RawConfig raw) {
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
        raw.integer("QUEUE_READERS", 1, 16),
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

  static String logLevel(String level) {
    String upper = level.toUpperCase(Locale.ROOT);
    if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(upper)) {
      throw new ConfigException("LOG_LEVEL", "must be one of trace, debug, info, warn, error, got '" + level + "'");
    }
    return upper;
  }
}
