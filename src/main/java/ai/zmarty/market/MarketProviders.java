package ai.zmarty.market;

import ai.zmarty.config.MarketConfig;
import ai.zmarty.config.MarketConfig.Exchanges;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;

/** Builds the {@link MarketDataProvider} that {@code MARKET_PROVIDER} names. */
public final class MarketProviders {
  private MarketProviders() {}

  /** The offline providers (simulated, replay), which need no Vert.x. */
  public static MarketDataProvider create(MarketConfig config, Clock clock) {
    return create(null, config, clock);
  }

  /** Any provider; the exchange adapters make their HTTP clients on {@code vertx}. */
  public static MarketDataProvider create(Vertx vertx, MarketConfig config, Clock clock) {
    Exchanges x = config.exchanges();
    MarketDataProvider provider =
        switch (config.provider()) {
          case SIMULATED -> new SimulatedMarket(config.seed(), clock);
          case REPLAY -> new ReplayMarket(config.replayStart(), config.replaySpeed().factor(), clock);
          case HYPERLIQUID -> new HyperliquidMarket(needs(vertx), new ExchangeOptions(x.hyperliquidBaseUrl(), x.timeout(), x.retries(), ExchangeOptions.DEFAULT_BACKOFF), clock);
          case BINANCE -> new BinanceMarket(needs(vertx), new ExchangeOptions(x.binanceBaseUrl(), x.timeout(), x.retries(), ExchangeOptions.DEFAULT_BACKOFF), clock);
          case CRYPTOMETER, KINGFISHER -> throw new IllegalStateException("MARKET_PROVIDER: " + config.provider().unavailable());
        };
    return config.latency().isZero() ? provider : new DelayedMarket(provider, config.latency());
  }

  private static Vertx needs(Vertx vertx) {
    return Objects.requireNonNull(vertx, "the exchange providers need a Vertx to make their HTTP client");
  }
}
