package ai.zmarty.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsConfigTest {

  private static OpsConfig load(Map<String, String> env) {
    return ZmartyConfig.from(RawConfig.load(env)).ops();
  }

  @Test
  void defaultsWarnPastTwoBarsCriticalPastSixAndLeaseTwoMinutes() {
    OpsConfig c = load(Map.of());
    assertThat(c.freshWarnBars()).isEqualTo(2);
    assertThat(c.freshCriticalBars()).isEqualTo(6);
    assertThat(c.integrityMinSignals()).isEqualTo(1);
    assertThat(c.apiUrl()).isEmpty();
    assertThat(c.nightlyLease()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.nightlyJobTimeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aCriticalThresholdUnderTheWarningOneIsRefusedByName() {
    assertThatThrownBy(() -> load(Map.of("HEALTH_FRESH_WARN_BARS", "5", "HEALTH_FRESH_CRITICAL_BARS", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HEALTH_FRESH_CRITICAL_BARS")
        .hasMessageContaining("must not be under HEALTH_FRESH_WARN_BARS (5), got 3");
  }

  @Test
  void theApiUrlMustBeHttp() {
    assertThatThrownBy(() -> load(Map.of("HEALTH_API_URL", "ftp://x"))).isInstanceOf(ConfigException.class).hasMessageContaining("HEALTH_API_URL");
    assertThat(load(Map.of("HEALTH_API_URL", "http://10.0.0.5:8080")).apiUrl()).contains("http://10.0.0.5:8080");
  }
}
