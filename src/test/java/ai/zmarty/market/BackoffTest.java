package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The wait before each retry ({@link ExchangeHttp#delayMillis}). */
class BackoffTest {

  @Test
  void theWaitDoublesFromTheBase() {
    assertThat(ExchangeHttp.delayMillis(0, null, 500)).isEqualTo(500);
    assertThat(ExchangeHttp.delayMillis(1, null, 500)).isEqualTo(1_000);
    assertThat(ExchangeHttp.delayMillis(2, null, 500)).isEqualTo(2_000);
  }

  @Test
  void theWaitIsCappedAtAMinute() {
    assertThat(ExchangeHttp.delayMillis(30, null, 500)).isEqualTo(ExchangeHttp.MAX_WAIT_MILLIS);
  }

  @Test
  void aLongerRetryAfterWins() {
    assertThat(ExchangeHttp.delayMillis(0, "3", 500)).isEqualTo(3_000);
    assertThat(ExchangeHttp.delayMillis(3, "1", 500)).isEqualTo(4_000);
    assertThat(ExchangeHttp.delayMillis(0, "120", 500)).isEqualTo(120_000); // the caller refuses to wait that long
  }

  @Test
  void aRetryAfterThatIsNotSecondsIsIgnored() {
    assertThat(ExchangeHttp.delayMillis(0, "Wed, 21 Oct 2026 07:28:00 GMT", 500)).isEqualTo(500);
    assertThat(ExchangeHttp.delayMillis(0, "-1", 500)).isEqualTo(500);
  }
}
