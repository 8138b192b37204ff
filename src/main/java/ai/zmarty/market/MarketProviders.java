package ai.zmarty.market;

import ai.zmarty.config.MarketConfig;
import java.time.Clock;

/** Builds the {@link MarketDataProvider} that {@code MARKET_PROVIDER} names. */
public final class MarketProviders {
  private MarketProviders() {}

  public static MarketDataProvider create(MarketConfig config, Clock clock) {
    MarketDataProvider provider =
        switch (config.provider()) {
          case SIMULATED -> new SimulatedMarket(config.seed(), clock);
          case REPLAY -> new ReplayMarket(config.replayStart(), config.replaySpeed().factor(), clock);
        };
    return config.latency().isZero() ? provider : new DelayedMarket(provider, config.latency());
  }
}
