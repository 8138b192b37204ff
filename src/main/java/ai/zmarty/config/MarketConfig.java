package ai.zmarty.config;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Where the workers get candles from ({@code MARKET_PROVIDER}), the simulator's seed
 * ({@code MARKET_SEED}), the network latency it imitates ({@code MARKET_LATENCY}) and, for the
 * replay of shipped history, where the replay starts ({@code REPLAY_START}) and how fast it runs
 * ({@code REPLAY_SPEED}: {@code realtime} or 4h bars per wall second).
 */
public record MarketConfig(Provider provider, long seed, Duration latency, Instant replayStart, ReplaySpeed replaySpeed) {

  public enum Provider {
    /** The seeded offline market: identical candles on every node, no network. */
    SIMULATED,
    /** The shipped BTC and ETH 4h history (2016–2025), played back from {@code REPLAY_START}. */
    REPLAY
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
          default ->
              throw new ConfigException(
                  "MARKET_PROVIDER",
                  "must be simulated or replay, got '" + name + "' (the seeded offline market and the replay of shipped history are the only providers so far; exchange adapters such as hyperliquid and binance are not built yet)");
        };
    return new MarketConfig(
        provider,
        raw.integer("MARKET_SEED", 0, Integer.MAX_VALUE),
        raw.duration("MARKET_LATENCY", Duration.ZERO, Duration.ofMinutes(1)),
        replayStart(raw),
        replaySpeed(raw));
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
