package ai.zmarty.config;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Where the workers get candles from ({@code MARKET_PROVIDER}), the simulator's seed
 * ({@code MARKET_SEED}), the network latency it imitates ({@code MARKET_LATENCY}) and, for the
 * replay of shipped history, where the replay starts ({@code REPLAY_START}) and how fast it runs
 * ({@code REPLAY_SPEED}: {@code realtime} or 4h bars per wall second), and how the exchange
 * adapters reach their APIs ({@link Exchanges}).
 */
public record MarketConfig(Provider provider, long seed, Duration latency, Instant replayStart, ReplaySpeed replaySpeed, Exchanges exchanges) {

  /** The offline providers' settings, with the exchanges at their defaults. */
  public MarketConfig(Provider provider, long seed, Duration latency, Instant replayStart, ReplaySpeed replaySpeed) {
    this(provider, seed, latency, replayStart, replaySpeed, Exchanges.DEFAULTS);
  }

  /**
   * {@code HYPERLIQUID_BASE_URL}, {@code BINANCE_BASE_URL}, the time limit per request
   * ({@code MARKET_TIMEOUT}) and the retries after a 429, 5xx or timeout ({@code MARKET_RETRIES}).
   */
  public record Exchanges(String hyperliquidBaseUrl, String binanceBaseUrl, Duration timeout, int retries) {
    public static final Exchanges DEFAULTS = new Exchanges("https://api.hyperliquid.xyz", "https://data-api.binance.vision", Duration.ofSeconds(10), 3);
  }

  public enum Provider {
    /** The seeded offline market: identical candles on every node, no network. */
    SIMULATED,
    /** The shipped BTC and ETH 4h history (2016–2025), played back from {@code REPLAY_START}. */
    REPLAY,
    /** Hyperliquid's public info API. */
    HYPERLIQUID,
    /** Binance's public klines. */
    BINANCE,
    /** The seed's Cryptometer: a slot only, no public API documentation to build against. */
    CRYPTOMETER,
    /** The seed's KingFisher: a slot only, no public API documentation to build against. */
    KINGFISHER;

    /** Why this provider cannot start, or null when it can. */
    public String unavailable() {
      return switch (this) {
        case CRYPTOMETER, KINGFISHER ->
            name().toLowerCase(Locale.ROOT) + " is not available: no public API documentation; configure its adapter (base URL and API key settings, added next to HYPERLIQUID_BASE_URL) when it is";
        default -> null;
      };
    }
  }

  /** {@code realtime} (barsPerSecond null) or a number of 4h bars per wall second. */
  public record ReplaySpeed(Double barsPerSecond) {
    public static final ReplaySpeed REALTIME = new ReplaySpeed(null);

    /** Replay seconds per wall second. */
    public double factor() {
      return barsPerSecond == null ? 1.0 : barsPerSecond * Duration.ofHours(4).toSeconds();
    }
  }

  static MarketConfig from(RawConfig raw) {
    String name = raw.required("MARKET_PROVIDER").toLowerCase(Locale.ROOT);
    Provider provider =
        switch (name) {
          case "simulated" -> Provider.SIMULATED;
          case "replay" -> Provider.REPLAY;
          case "hyperliquid" -> Provider.HYPERLIQUID;
          case "binance" -> Provider.BINANCE;
          case "cryptometer" -> Provider.CRYPTOMETER;
          case "kingfisher" -> Provider.KINGFISHER;
          default -> throw new ConfigException("MARKET_PROVIDER", "must be simulated, replay, hyperliquid or binance, got '" + name + "'");
        };
    if (provider.unavailable() != null) {
      throw new ConfigException("MARKET_PROVIDER", provider.unavailable());
    }
    return new MarketConfig(
        provider,
        raw.integer("MARKET_SEED", 0, Integer.MAX_VALUE),
        raw.duration("MARKET_LATENCY", Duration.ZERO, Duration.ofMinutes(1)),
        replayStart(raw),
        replaySpeed(raw),
        new Exchanges(
            url(raw, "HYPERLIQUID_BASE_URL"),
            url(raw, "BINANCE_BASE_URL"),
            raw.duration("MARKET_TIMEOUT", Duration.ofMillis(100), Duration.ofMinutes(5)),
            raw.integer("MARKET_RETRIES", 0, 10)));
  }

  private static String url(RawConfig raw, String key) {
    String v = raw.required(key);
    if (!v.matches("https?://[^\\s/]+(/\\S*)?")) {
      throw new ConfigException(key, "must be an http(s) URL like https://api.example.com, got '" + v + "'");
    }
    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
  }

  private static Instant replayStart(RawConfig raw) {
    String v = raw.required("REPLAY_START");
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ConfigException("REPLAY_START", "must be an ISO-8601 UTC time like 2025-01-01T00:00:00Z, got '" + v + "'");
    }
  }

  private static ReplaySpeed replaySpeed(RawConfig raw) {
    String v = raw.required("REPLAY_SPEED").trim().toLowerCase(Locale.ROOT);
    if (v.equals("realtime")) {
      return ReplaySpeed.REALTIME;
    }
    try {
      double bars = Double.parseDouble(v);
      if (bars > 0 && bars <= 1_000) {
        return new ReplaySpeed(bars);
      }
    } catch (NumberFormatException e) {
      // falls through to the message
    }
    throw new ConfigException("REPLAY_SPEED", "must be realtime or a number of 4h bars per second above 0 and at most 1000 (e.g. 0.5), got '" + v + "'");
  }
}
