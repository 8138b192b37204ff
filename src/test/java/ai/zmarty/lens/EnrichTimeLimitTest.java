package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EnrichTimeLimitTest {
  @Test
  void theMarketGetsTheHandlerTimeoutLessTwoSecondsButAtLeastHalfOfIt() {
    assertThat(Enricher.marketTimeLimit(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(28));
    assertThat(Enricher.marketTimeLimit(Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(4));
    assertThat(Enricher.marketTimeLimit(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(1500));
    assertThat(Enricher.marketTimeLimit(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(100));
  }
}
