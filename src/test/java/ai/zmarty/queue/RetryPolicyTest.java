package ai.zmarty.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(60));

  @Test
  void delayDoublesWithEachRead() {
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(16));
  }

  @Test
  void delayIsCapped() {
    assertThat(policy.backoff(10)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.backoff(1000)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void retriesBeforeTheLastRead() {
    assertThat(policy.decide(4, false)).isEqualTo(new RetryPolicy.Retry(Duration.ofSeconds(16)));
  }

  @Test
  void deadLettersOnTheLastRead() {
    assertThat(policy.decide(5, false)).isInstanceOf(RetryPolicy.DeadLetter.class);
    assertThat(policy.decide(9, false)).isInstanceOf(RetryPolicy.DeadLetter.class);
  }

  @Test
  void neverDeadLettersAJobNoHandlerSaw() {
    assertThat(policy.decide(50, true)).isInstanceOf(RetryPolicy.Retry.class);
  }

  @Test
  void deadLettersARejectedPayloadAtItsFirstRead() {
    assertThat(policy.decide(1, false, true)).isInstanceOf(RetryPolicy.DeadLetter.class);
    assertThat(policy.decide(1, false, false)).isInstanceOf(RetryPolicy.Retry.class);
  }
}
