package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.market.CandleQuality.Kind;
import ai.zmarty.market.CandleQuality.RawBar;
import ai.zmarty.market.CandleQuality.Report;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandleQualityTest {
  private static final long H = 3_600_000;
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final long T = T0.toEpochMilli();

  private static RawBar bar(int i) {
    return new RawBar(T + i * H, 100, 110, 90, 105, 12.5);
  }

  private static List<RawBar> bars(int from, int to) {
    List<RawBar> list = new ArrayList<>();
    for (int i = from; i < to; i++) {
      list.add(bar(i));
    }
    return list;
  }

  private static Report check(List<RawBar> bars, int hoursWindow, double nowHours) {
    return CandleQuality.check(bars, Timeframe.H1, T0, T0.plusMillis(hoursWindow * H), T0.plusMillis((long) (nowHours * H)));
  }

  @Test
  void completeFreshBarsAreClean() {
    Report r = check(bars(0, 10), 10, 10);
    assertThat(r.clean()).isTrue();
    assertThat(r.candles()).hasSize(10);
    assertThat(r.candles().get(0).openTime()).isEqualTo(T0);
  }

  @Test
  void aGapIsFlaggedAsMissingAndTheBarsAroundItAreKept() {
    List<RawBar> b = bars(0, 3);
    b.addAll(bars(5, 10));
    Report r = check(b, 10, 10);
    assertThat(r.candles()).hasSize(8);
    assertThat(r.flags()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Kind.MISSING);
      assertThat(f.at()).isEqualTo(T0.plusMillis(3 * H));
      assertThat(f.detail()).startsWith("2 1h bar(s) missing");
    });
  }

  @Test
  void barsEndingBeforeTheLastClosedOneAreStale() {
    Report r = check(bars(0, 6), 10, 10);
    assertThat(r.flags(Kind.STALE)).singleElement().satisfies(f -> assertThat(f.detail()).contains("4 bar(s) behind"));
    assertThat(r.candles()).hasSize(6);
  }

  @Test
  void noBarsAtAllForAClosedWindowIsStale() {
    assertThat(check(List.of(), 10, 10).flags(Kind.STALE)).hasSize(1);
  }

  @Test
  void aWindowWithNoClosedBarRaisesNothing() {
    assertThat(check(List.of(), 10, 0.5).clean()).isTrue();
  }

  @Test
  void theFormingBarIsDroppedSilently() {
    Report r = check(bars(0, 11), 24, 10.5);
    assertThat(r.candles()).hasSize(10);
    assertThat(r.clean()).isTrue();
  }

  @Test
  void barsOutsideTheWindowAndDuplicatesAreDroppedSilently() {
    List<RawBar> b = bars(0, 12);
    b.addAll(bars(3, 5));
    Report r = CandleQuality.check(b, Timeframe.H1, T0.plusMillis(2 * H), T0.plusMillis(8 * H), T0.plusMillis(20 * H));
    assertThat(r.candles()).extracting(c -> c.openTime()).containsExactly(bars(2, 8).stream().map(x -> Instant.ofEpochMilli(x.openMillis())).toArray(Instant[]::new));
    assertThat(r.clean()).isTrue();
  }

  @Test
  void impossibleBarsAreDroppedAndFlagged() {
    List<RawBar> b = bars(0, 10);
    b.set(1, new RawBar(T + H, 100, 110, 0, 105, 1)); // non-positive low
    b.set(2, new RawBar(T + 2 * H, 100, 90, 110, 100, 1)); // high below low
    b.set(3, new RawBar(T + 3 * H, 100, 110, 90, 120, 1)); // close above high
    b.set(4, new RawBar(T + 4 * H, 100, 110, 90, Double.NaN, 1)); // not a number
    b.set(5, new RawBar(T + 5 * H, 100, 110, 90, 100, -1)); // negative volume
    Report r = check(b, 10, 10);
    assertThat(r.candles()).hasSize(5);
    assertThat(r.flags(Kind.OUT_OF_RANGE)).hasSize(5).allSatisfy(f -> assertThat(f.detail()).endsWith("(dropped)"));
    assertThat(r.flags(Kind.OUT_OF_RANGE).get(1).detail()).startsWith("high 90.0 below low 110.0");
    assertThat(r.flags(Kind.OUT_OF_RANGE).get(2).detail()).startsWith("close 120.0 outside [90.0, 110.0]");
    assertThat(r.flags(Kind.MISSING)).singleElement().satisfies(f -> assertThat(f.detail()).startsWith("5 1h bar(s) missing"));
  }

  @Test
  void aBarOffTheTimeframeGridIsOutOfRange() {
    List<RawBar> b = bars(0, 3);
    b.add(new RawBar(T + 3 * H + 1, 100, 110, 90, 100, 1));
    assertThat(check(b, 3, 10).flags(Kind.OUT_OF_RANGE)).isEmpty(); // outside the 3-hour window
    assertThat(check(b, 5, 10).flags(Kind.OUT_OF_RANGE)).singleElement().satisfies(f -> assertThat(f.detail()).contains("not on a 1h boundary"));
  }
}
