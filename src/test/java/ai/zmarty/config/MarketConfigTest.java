package ai.zmarty.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.MarketConfig.Provider;
import ai.zmarty.config.MarketConfig.ReplaySpeed;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketConfigTest {
  private static final Instant REPLAY_START = Instant.parse("2025-01-01T00:00:00Z");

  private static ZmartyConfig load(Map<String, String> env) {
    return ZmartyConfig.from(RawConfig.load(env));
  }

  @Test
  void defaultsToTheSimulatedMarketWithSeed42() {
    assertThat(load(Map.of()).market()).isEqualTo(new MarketConfig(Provider.SIMULATED, 42, Duration.ZERO, REPLAY_START, ReplaySpeed.REALTIME));
  }

  @Test
  void seedAndProviderComeFromTheEnvironment() {
    assertThat(load(Map.of("MARKET_SEED", "7", "MARKET_PROVIDER", "Simulated")).market()).isEqualTo(new MarketConfig(Provider.SIMULATED, 7, Duration.ZERO, REPLAY_START, ReplaySpeed.REALTIME));
  }

  @Test
  void replayTakesItsStartAndSpeed() {
    MarketConfig m = load(Map.of("MARKET_PROVIDER", "replay", "REPLAY_START", "2024-03-01T00:00:00Z", "REPLAY_SPEED", "0.5")).market();
    assertThat(m.provider()).isEqualTo(Provider.REPLAY);
    assertThat(m.replayStart()).isEqualTo("2024-03-01T00:00:00Z");
    assertThat(m.replaySpeed().factor()).isEqualTo(7_200.0); // half a 4h bar per second
    assertThat(load(Map.of("MARKET_PROVIDER", "replay")).market().replaySpeed().factor()).isEqualTo(1.0);
  }

  @Test
  void aBadReplayStartOrSpeedIsRefusedWithAReason() {
    assertThatThrownBy(() -> load(Map.of("REPLAY_START", "yesterday"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("REPLAY_START: must be an ISO-8601");
    assertThatThrownBy(() -> load(Map.of("REPLAY_SPEED", "fast"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("REPLAY_SPEED: must be realtime or a number");
    assertThatThrownBy(() -> load(Map.of("REPLAY_SPEED", "0"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("REPLAY_SPEED: ");
  }

  @Test
  void anyOtherProviderIsRefusedWithAReason() {
    assertThatThrownBy(() -> load(Map.of("MARKET_PROVIDER", "coinbase")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MARKET_PROVIDER: must be simulated, replay, hyperliquid or binance, got 'coinbase'");
  }

  @Test
  void exchangesTakeTheirUrlsTimeoutAndRetries() {
    MarketConfig m = load(Map.of("MARKET_PROVIDER", "Hyperliquid", "HYPERLIQUID_BASE_URL", "http://127.0.0.1:9999/", "MARKET_TIMEOUT", "2s", "MARKET_RETRIES", "5")).market();
    assertThat(m.provider()).isEqualTo(Provider.HYPERLIQUID);
    assertThat(m.exchanges()).isEqualTo(new MarketConfig.Exchanges("http://127.0.0.1:9999", "https://data-api.binance.vision", Duration.ofSeconds(2), 5));
    assertThat(load(Map.of("MARKET_PROVIDER", "binance")).market().exchanges()).isEqualTo(MarketConfig.Exchanges.DEFAULTS);
    assertThatThrownBy(() -> load(Map.of("BINANCE_BASE_URL", "data-api.binance.vision"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("BINANCE_BASE_URL: must be an http(s) URL");
    assertThatThrownBy(() -> load(Map.of("MARKET_RETRIES", "11"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("MARKET_RETRIES: ");
  }

  @Test
  void cryptometerAndKingfisherAreSlotsThatRefuseToStart() {
    for (String name : new String[] {"cryptometer", "kingfisher"}) {
      assertThatThrownBy(() -> load(Map.of("MARKET_PROVIDER", name)))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("MARKET_PROVIDER: " + name + " is not available: no public API documentation; configure");
    }
  }

  @Test
  void seedMustBeANonNegativeWholeNumber() {
    assertThatThrownBy(() -> load(Map.of("MARKET_SEED", "-1"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("MARKET_SEED: ");
    assertThatThrownBy(() -> load(Map.of("MARKET_SEED", "abc"))).isInstanceOf(ConfigException.class).hasMessageContaining("whole number");
  }
}
