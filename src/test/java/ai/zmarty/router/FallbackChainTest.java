package ai.zmarty.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every rule of the fallback decision. */
class FallbackChainTest {
  private static final List<String> ORDER = List.of("grok", "gpt", "claude");

  @Test
  void startsWithTheFirstCandidate() {
    assertThat(FallbackChain.next(ORDER, 0, Set.of(), false, false)).isEqualTo(new FallbackChain.Next("grok", 0));
  }

  @Test
  void afterAFailureBeforeOutputTriesTheNext() {
    assertThat(FallbackChain.next(ORDER, 1, Set.of(), false, false)).isEqualTo(new FallbackChain.Next("gpt", 1));
  }

  @Test
  void skipsAProviderWhoseBreakerOpenedMeanwhile() {
    assertThat(FallbackChain.next(ORDER, 1, Set.of("gpt"), false, false)).isEqualTo(new FallbackChain.Next("claude", 2));
  }

  @Test
  void stopsWhenEveryRemainingBreakerIsOpen() {
    assertThat(FallbackChain.next(ORDER, 1, Set.of("gpt", "claude"), false, false)).isEqualTo(new FallbackChain.Stop(FallbackChain.StopReason.EXHAUSTED));
  }

  @Test
  void stopsWhenEveryCandidateWasTried() {
    assertThat(FallbackChain.next(ORDER, 3, Set.of(), false, false)).isEqualTo(new FallbackChain.Stop(FallbackChain.StopReason.EXHAUSTED));
  }

  @Test
  void neverFallsBackOnceOutputReachedTheClient() {
    assertThat(FallbackChain.next(ORDER, 1, Set.of(), true, false)).isEqualTo(new FallbackChain.Stop(FallbackChain.StopReason.OUTPUT_REACHED_CLIENT));
  }

  @Test
  void stopsWhenTheClientLeftBeforeAnyOutput() {
    assertThat(FallbackChain.next(ORDER, 1, Set.of(), false, true)).isEqualTo(new FallbackChain.Stop(FallbackChain.StopReason.CLIENT_GONE));
  }

  @Test
  void theRetryHintIsTheSmallestAProviderGaveRoundedUp() {
    assertThat(FallbackChain.retryAfterSeconds(List.of(Duration.ofSeconds(7), Duration.ofMillis(2100)), Duration.ofSeconds(30))).isEqualTo(3);
  }

  @Test
  void withoutProviderHintsTheBreakerResetIsTheHint() {
    assertThat(FallbackChain.retryAfterSeconds(List.of(), Duration.ofMillis(1500))).isEqualTo(2);
  }

  @Test
  void theRetryHintIsAtLeastOneSecond() {
    assertThat(FallbackChain.retryAfterSeconds(List.of(Duration.ZERO), Duration.ofSeconds(30))).isEqualTo(1);
  }
}
