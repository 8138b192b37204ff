package ai.zmarty.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.MarketConfig.Provider;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketConfigTest {

  private static ZmartyConfig load(Map<String, String> env) {
    return ZmartyConfig.from(RawConfig.load(env));
  }

  @Test
  void defaultsToTheSimulatedMarketWithSeed42() {
    assertThat(load(Map.of()).market()).isEqualTo(new MarketConfig(Provider.SIMULATED, 42, java.time.Duration.ZERO));
  }

  @Test
  void seedAndProviderComeFromTheEnvironment() {
    assertThat(load(Map.of("MARKET_SEED", "7", "MARKET_PROVIDER", "Simulated")).market()).isEqualTo(new MarketConfig(Provider.SIMULATED, 7, java.time.Duration.ZERO));
  }

  @Test
  void anyOtherProviderIsRefusedWithAReason() {
    assertThatThrownBy(() -> load(Map.of("MARKET_PROVIDER", "binance")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MARKET_PROVIDER: must be simulated, got 'binance'")
        .hasMessageContaining("not built yet");
  }

  @Test
  void seedMustBeANonNegativeWholeNumber() {
    assertThatThrownBy(() -> load(Map.of("MARKET_SEED", "-1"))).isInstanceOf(ConfigException.class).hasMessageStartingWith("MARKET_SEED: ");
    assertThatThrownBy(() -> load(Map.of("MARKET_SEED", "abc"))).isInstanceOf(ConfigException.class).hasMessageContaining("whole number");
  }
}
