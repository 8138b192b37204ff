package ai.zmarty.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Where the workers get candles from ({@code MARKET_PROVIDER}), the simulator's seed
 * ({@code MARKET_SEED}) and the network latency it imitates ({@code MARKET_LATENCY}).
 */
public record MarketConfig(Provider provider, long seed, Duration latency) {

  public enum Provider {
    /** The seeded offline market: identical candles on every node, no network. */
    SIMULATED
  }

  static MarketConfig from(RawConfig raw) {
    String name = raw.required("MARKET_PROVIDER").toLowerCase(Locale.ROOT);
    Provider provider =
        switch (name) {
          case "simulated" -> Provider.SIMULATED;
          default ->
              throw new ConfigException(
                  "MARKET_PROVIDER",
                  "must be simulated, got '" + name + "' (the seeded offline market is the only provider so far; exchange adapters such as hyperliquid and binance are not built yet)");
        };
    return new MarketConfig(provider, raw.integer("MARKET_SEED", 0, Integer.MAX_VALUE), raw.duration("MARKET_LATENCY", Duration.ZERO, Duration.ofMinutes(1)));
  }
}
