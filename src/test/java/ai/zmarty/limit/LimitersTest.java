package ai.zmarty.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitersTest {

  @Test
  void sixtyAMinuteThenRetryAfterTheOldestLeaves() {
    RateLimiter limiter = new RateLimiter(60, Duration.ofMinutes(1));
    for (int i = 0; i < 60; i++) {
      assertThat(limiter.hit("u", 1_000 + i * 100L).allowed()).isTrue();
    }
    RateLimiter.Decision refused = limiter.hit("u", 7_000);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(54); // the first hit (t=1 s) leaves at t=61 s
    assertThat(limiter.hit("other", 7_000).allowed()).isTrue();
    assertThat(limiter.hit("u", 61_000).allowed()).isTrue();
  }

  @Test
  void refusedHitsDoNotCount() {
    RateLimiter limiter = new RateLimiter(1, Duration.ofSeconds(10));
    assertThat(limiter.hit("u", 0).allowed()).isTrue();
    for (int i = 1; i < 50; i++) {
      assertThat(limiter.hit("u", i * 100L).allowed()).isFalse();
    }
    assertThat(limiter.hit("u", 10_000).allowed()).isTrue();
  }

  @Test
  void streamsAreCountedPerUserAndReleased() {
    StreamLimiter streams = new StreamLimiter(2);
    assertThat(streams.acquire("u")).isTrue();
    assertThat(streams.acquire("u")).isTrue();
    assertThat(streams.acquire("u")).isFalse();
    assertThat(streams.acquire("v")).isTrue();
    streams.release("u");
    assertThat(streams.acquire("u")).isTrue();
    streams.release("u");
    streams.release("u");
    streams.release("u");
    assertThat(streams.open("u")).isZero();
  }
}
