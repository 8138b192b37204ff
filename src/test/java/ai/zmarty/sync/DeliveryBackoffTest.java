package ai.zmarty.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryBackoffTest {
  private final DeliveryBackoff backoff = DeliveryBackoff.upTo(Duration.ofSeconds(60));

  @Test
  void startsAtOneSecondAndDoubles() {
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(32));
  }

  @Test
  void isCappedAtTheMaximum() {
    assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.delay(1000)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aMaximumBelowTheBaseWins() {
    assertThat(new DeliveryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(2)).delay(1)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void zeroOrNegativeAttemptsCountAsTheFirst() {
    assertThat(backoff.delay(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(-3)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aHugeCapDoesNotOverflow() {
    DeliveryBackoff wide = new DeliveryBackoff(Duration.ofSeconds(1), Duration.ofMillis(Long.MAX_VALUE));
    assertThat(wide.delay(41)).isEqualTo(Duration.ofMillis(1000L << 40));
    assertThat(wide.delay(1000)).isEqualTo(Duration.ofMillis(1000L << 40));
  }
}
