package ai.zmarty.market;

import ai.zmarty.config.MarketConfig;
import java.time.Clock;

/** Builds the {@link MarketDataProvider} that {@code MARKET_PROVIDER} names. */
public final class MarketProviders {
  private MarketProviders() {}

  public static MarketDataProvider create(MarketConfig config, Clock clock) {
    return switch (config.provider()) {
      case SIMULATED -> new SimulatedMarket(config.seed(), clock);
    };
  }
}
