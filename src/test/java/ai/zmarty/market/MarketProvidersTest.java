package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.MarketConfig;
import ai.zmarty.config.MarketConfig.Exchanges;
import ai.zmarty.config.MarketConfig.Provider;
import ai.zmarty.config.MarketConfig.ReplaySpeed;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MarketProvidersTest {
  private static MarketConfig config(Provider p) {
    return new MarketConfig(p, 42, Duration.ZERO, Instant.parse("2025-01-01T00:00:00Z"), ReplaySpeed.REALTIME, Exchanges.DEFAULTS);
  }

  @Test
  void exchangeProvidersAreBuiltOnVertx() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(MarketProviders.create(vertx, config(Provider.HYPERLIQUID), Clock.systemUTC())).isInstanceOf(HyperliquidMarket.class);
      assertThat(MarketProviders.create(vertx, config(Provider.BINANCE), Clock.systemUTC())).isInstanceOf(BinanceMarket.class);
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void exchangeProvidersNeedVertx() {
    assertThatThrownBy(() -> MarketProviders.create(config(Provider.BINANCE), Clock.systemUTC())).hasMessageContaining("need a Vertx");
  }

  @Test
  void cryptometerAndKingfisherAreSlotsWithoutAnAdapter() {
    assertThatThrownBy(() -> MarketProviders.create(config(Provider.KINGFISHER), Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("MARKET_PROVIDER: kingfisher is not available: no public API documentation");
  }
}
