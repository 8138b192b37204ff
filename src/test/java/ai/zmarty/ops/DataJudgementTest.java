package ai.zmarty.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.ops.DataJudgement.Newest;
import ai.zmarty.ops.DataJudgement.PairCounts;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataJudgementTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:30:00Z");

  private static Newest newest(String symbol, String tf, String barOpen) {
    return new Newest(symbol, tf, Optional.ofNullable(barOpen).map(Instant::parse));
  }

  @Test
  void ageCountsBarsSinceTheNewestBarClosed() {
    // the 11:00 hour bar closed at 12:00: half a bar ago at 12:30
    assertThat(DataJudgement.age(Instant.parse("2026-03-01T11:00:00Z"), "1h", NOW)).isEqualTo(0.5);
    assertThat(DataJudgement.age(Instant.parse("2026-03-01T09:00:00Z"), "1h", NOW)).isEqualTo(2.5);
    assertThat(DataJudgement.age(Instant.parse("2026-03-01T12:00:00Z"), "15m", NOW)).isEqualTo(1.0);
  }

  @Test
  void exactlyTheThresholdIsStillTheBetterVerdict() {
    assertThat(DataJudgement.freshness(List.of(newest("BTC/USDT", "1h", "2026-03-01T09:30:00Z")), NOW, 2, 6, 0).status()).isEqualTo(Status.HEALTHY);
    assertThat(DataJudgement.freshness(List.of(newest("BTC/USDT", "1h", "2026-03-01T05:30:00Z")), NOW, 2, 6, 0).status()).isEqualTo(Status.WARNING);
    assertThat(DataJudgement.freshness(List.of(newest("BTC/USDT", "1h", "2026-03-01T05:29:00Z")), NOW, 2, 6, 0).status()).isEqualTo(Status.CRITICAL);
  }

  @Test
  void aPairWithNoBarIsCriticalAndNamedFirst() {
    var check = DataJudgement.freshness(List.of(newest("BTC/USDT", "1h", "2026-03-01T11:00:00Z"), newest("SOL/USDT", "4h", null)), NOW, 2, 6, 0);
    assertThat(check.status()).isEqualTo(Status.CRITICAL);
    assertThat(check.message()).isEqualTo("1 of 2 pair(s) behind: SOL/USDT 4h (no bars)");
  }

  @Test
  void aPairWithinItsHorizonIsNotExpectedToHaveAWinRate() {
    PairCounts young = new PairCounts("BTC/USDT", "1h", 3, 0, Optional.of(Instant.parse("2026-03-01T02:00:00Z")), 12, Optional.empty());
    assertThat(DataJudgement.integrity(List.of(young), NOW, 1, 0).status()).isEqualTo(Status.HEALTHY);
    PairCounts old = new PairCounts("BTC/USDT", "1h", 3, 0, Optional.of(Instant.parse("2026-02-28T20:00:00Z")), 12, Optional.empty());
    assertThat(DataJudgement.integrity(List.of(old), NOW, 1, 0).status()).isEqualTo(Status.WARNING);
  }

  @Test
  void aWinRateWithNoSignalsLeftIsStillCountedAgainst() {
    PairCounts orphan = new PairCounts("ETH/USDT", "1h", 0, 0, Optional.empty(), 0, Optional.of(4L));
    var check = DataJudgement.integrity(List.of(orphan), NOW, 1, 0);
    assertThat(check.status()).isEqualTo(Status.CRITICAL);
    assertThat(check.message()).contains("ETH/USDT 1h (win_rate 4, resolved 0)");
  }
}
