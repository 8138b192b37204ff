package ai.zmarty.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.zmarty.ingest.LiquidationMap.Level;
import ai.zmarty.ingest.LiquidationMap.Side;
import ai.zmarty.market.Candle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiquidationMapTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Candle bar(int i, double low, double high, double close, double volume) {
    return new Candle(T0.plusSeconds(3600L * i), close, high, low, close, volume);
  }

  @Test
  void levelsSitWhereEachLeverageTierIsLiquidated() {
    assertThat(LiquidationMap.longLiquidation(100, 10)).isCloseTo(90.5, within(1e-9));
    assertThat(LiquidationMap.shortLiquidation(100, 10)).isCloseTo(109.5, within(1e-9));
    assertThat(LiquidationMap.longLiquidation(100, 100)).isCloseTo(99.5, within(1e-9));
  }

  @Test
  void oneQuietBarLeavesTheTiersOnBothSides() {
    List<Level> levels = LiquidationMap.estimate(List.of(bar(0, 99.9, 100.1, 100, 10)));
    // 100x levels (99.5 / 100.5) are outside the bar's range, so all five tiers remain per side
    assertThat(levels.stream().filter(l -> l.side() == Side.LONG)).hasSize(5);
    assertThat(levels.stream().filter(l -> l.side() == Side.SHORT)).hasSize(5);
    Level strongest = levels.getFirst();
    assertThat(strongest.intensity()).isEqualTo(1.0);
    // the 5x and 10x tiers carry 30 % each of half the notional (10 × 100 / 2 = 500): 150
    assertThat(strongest.notional()).isCloseTo(150, within(1e-9));
    assertThat(levels.stream().filter(l -> l.side() == Side.LONG).mapToDouble(Level::price).max().orElseThrow()).isCloseTo(99.5, within(0.25));
  }

  @Test
  void aLevelIsRemovedOncePriceTradesThroughIt() {
    List<Candle> bars = new ArrayList<>();
    bars.add(bar(0, 99.9, 100.1, 100, 10));
    bars.add(bar(1, 90.0, 100, 95, 0)); // the low reaches the 10x long level at 90.5
    List<Level> levels = LiquidationMap.estimate(bars);
    assertThat(levels).noneMatch(l -> l.side() == Side.LONG && l.price() > 90.0);
    assertThat(levels).anyMatch(l -> l.side() == Side.LONG && Math.abs(l.price() - 80.5) < 0.3); // 5x survives
    assertThat(levels).anyMatch(l -> l.side() == Side.SHORT && Math.abs(l.price() - 109.5) < 0.3);
  }

  @Test
  void levelsDecayWithAHalfLife() {
    List<Candle> bars = new ArrayList<>();
    bars.add(bar(0, 99.9, 100.1, 100, 10));
    for (int i = 1; i <= 48; i++) {
      bars.add(bar(i, 99.9, 100.1, 100, 0));
    }
    double notional = LiquidationMap.estimate(bars).getFirst().notional();
    assertThat(notional).isCloseTo(75, within(1e-6)); // 150 halved after 48 bars
  }
}
