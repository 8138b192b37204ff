package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.Candle;
import ai.zmarty.market.Timeframe;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EnrichTaMemoTest {
  private static final Instant LAST = Instant.parse("2026-01-10T11:00:00Z");

  private static List<Candle> bars(double base) {
    return IntStream.range(0, 300).mapToObj(i -> new Candle(LAST.minus(Duration.ofHours(299 - i)), base + i % 7, base + 8, base - 1, base + (i * 13) % 5, 1)).toList();
  }

  /** A memo over the real analysis that counts how often it runs. */
  private static EnrichTa.Memo counting(int size, AtomicInteger calls) {
    return new EnrichTa.Memo(size, (tf, b) -> {
      calls.incrementAndGet();
      return EnrichTa.of(tf, b);
    });
  }

  @Test
  void theSameListIsAnalysedOnceAndGivesWhatTheIndicatorsGive() {
    AtomicInteger calls = new AtomicInteger();
    EnrichTa.Memo memo = counting(8, calls);
    List<Candle> btc = bars(100);
    JsonObject first = memo.of(Timeframe.H1, btc);
    JsonObject second = memo.of(Timeframe.H1, btc);
    assertThat(calls).hasValue(1);
    assertThat(first).isEqualTo(EnrichTa.of(Timeframe.H1, btc)).isEqualTo(second);
  }

  @Test
  void anotherListIsAnalysedAgainEvenWithEqualBars() {
    AtomicInteger calls = new AtomicInteger();
    EnrichTa.Memo memo = counting(8, calls);
    JsonObject btc = memo.of(Timeframe.H1, bars(100));
    JsonObject eth = memo.of(Timeframe.H1, bars(50));
    memo.of(Timeframe.H1, new ArrayList<>(bars(100)));
    assertThat(calls).hasValue(3);
    assertThat(btc.getDouble("close")).isNotEqualTo(eth.getDouble("close"));
  }

  @Test
  void eachCallerGetsItsOwnCopy() {
    EnrichTa.Memo memo = new EnrichTa.Memo(8);
    List<Candle> btc = bars(100);
    JsonObject first = memo.of(Timeframe.H1, btc);
    double rsi = first.getDouble("rsi_14");
    first.put("rsi_14", -1.0);
    assertThat(memo.of(Timeframe.H1, btc).getDouble("rsi_14")).isEqualTo(rsi);
  }

  @Test
  void theLeastRecentlyUsedListIsDroppedPastTheSize() {
    AtomicInteger calls = new AtomicInteger();
    EnrichTa.Memo memo = counting(2, calls);
    List<Candle> a = bars(100);
    List<Candle> b = bars(200);
    List<Candle> c = bars(300);
    memo.of(Timeframe.H1, a);
    memo.of(Timeframe.H1, b);
    memo.of(Timeframe.H1, a); // a is now the most recent
    memo.of(Timeframe.H1, c); // drops b
    memo.of(Timeframe.H1, a);
    assertThat(calls).hasValue(3);
    memo.of(Timeframe.H1, b);
    assertThat(calls).hasValue(4);
  }

  @Test
  void noBarsNoValues() {
    assertThat(new EnrichTa.Memo(2).of(Timeframe.H1, List.of())).isNull();
  }
}
