package ai.zmarty.config;

import java.util.Locale;

/** Where the workers get candles from ({@code MARKET_PROVIDER}) and the simulator's seed ({@code MARKET_SEED}). */
public record MarketConfig(Provider provider, long seed) {

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
    return new MarketConfig(provider, raw.integer("MARKET_SEED", 0, Integer.MAX_VALUE));
  }
}
