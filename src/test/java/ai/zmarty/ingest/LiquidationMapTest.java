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

  @Test
  void proximityReportsTheNearestStrongClusterOnEachSide() {
    // one quiet bar at 100: the 100x levels (99.5 / 100.5) carry 8 % against 30 % for the 5x and 10x: intensity 0.27, strong enough
    LiquidationProximity p = LiquidationMap.proximity(List.of(bar(0, 99.9, 100.1, 100, 10)), 0);
    assertThat(p.belowDistance()).isCloseTo(0.005, within(0.0015));
    assertThat(p.belowIntensity()).isCloseTo(0.08 / 0.30, within(1e-9));
    assertThat(p.aboveDistance()).isCloseTo(0.005, within(0.0015));
    assertThat(p.aboveIntensity()).isCloseTo(0.08 / 0.30, within(1e-9));
  }

  @Test
  void aClusterPriceTradedThroughIsNoLongerNear() {
    List<Candle> bars = List.of(bar(0, 99.9, 100.1, 100, 10), bar(1, 98.0, 100, 99, 0)); // the low takes out the 100x and 50x longs
    LiquidationProximity p = LiquidationMap.proximity(bars, 1);
    // the 25x longs at 96.5 are next: 3.5 below a close of 99, intensity 0.20 ÷ 0.30 after one bar of decay on both
    assertThat(p.belowDistance()).isCloseTo((99 - 96.5) / 99, within(0.0025));
    assertThat(p.belowIntensity()).isCloseTo(0.20 / 0.30, within(1e-9));
  }

  @Test
  void aBarsMapDependsOnTheBarsOfItsWindowOnly() {
    List<Candle> history = new ArrayList<>();
    List<Candle> other = new ArrayList<>();
    double price = 100;
    for (int i = 0; i < 600; i++) {
      price *= 1 + 0.01 * Math.sin(i * 0.37);
      history.add(bar(i, price * 0.995, price * 1.005, price, 5 + i % 7));
      // the same bars from the window on, anything before it
      other.add(i < 600 - LiquidationMap.WINDOW_BARS ? bar(i, price * 0.5, price * 1.5, price, 1_000) : history.get(i));
    }
    assertThat(LiquidationMap.proximity(other, 599)).isEqualTo(LiquidationMap.proximity(history, 599));
    assertThat(LiquidationMap.estimate(other)).isEqualTo(LiquidationMap.estimate(history));
    // a bar's map never reads later bars
    assertThat(LiquidationMap.proximity(history.subList(0, 401), 400)).isEqualTo(LiquidationMap.proximity(history, 400));
  }

  @Test
  void binsAreOneGridForEveryPriceNotRelativeToTheNewestClose() {
    List<Candle> bars = new ArrayList<>();
    bars.add(bar(0, 99.9, 100.1, 100, 10));
    double first = LiquidationMap.estimate(bars).stream().filter(l -> l.side() == Side.SHORT).mapToDouble(Level::price).max().orElseThrow();
    bars.add(bar(1, 99.0, 110.0, 110, 0)); // price moves on; the 5x shorts at ~119.5 are still there
    double later = LiquidationMap.estimate(bars).stream().filter(l -> l.side() == Side.SHORT).mapToDouble(Level::price).max().orElseThrow();
    assertThat(later).isEqualTo(first);
  }

  @Test
  void noVolumeMeansNoClusters() {
    assertThat(LiquidationMap.proximity(List.of(bar(0, 99.9, 100.1, 100, 0)), 0)).isEqualTo(LiquidationProximity.NONE);
    assertThat(LiquidationMap.estimate(List.of())).isEmpty();
  }

  @Test
  void withOpenInterestThePositionsTheMapHoldsAreScaledToIt() {
    List<Candle> bars = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      double p = 100 + (i % 5);
      bars.add(bar(i, p - 0.5, p + 0.5, p, 10 + i));
    }
    List<Level> proxy = LiquidationMap.estimate(bars);
    List<Level> scaled = LiquidationMap.estimate(bars, 1_000_000.0);
    assertThat(scaled).extracting(Level::price).isEqualTo(proxy.stream().map(Level::price).toList());
    assertThat(scaled).extracting(Level::intensity).isEqualTo(proxy.stream().map(Level::intensity).toList());
    double ratio = scaled.getFirst().notional() / proxy.getFirst().notional();
    assertThat(scaled).allSatisfy(l -> assertThat(l.notional()).isCloseTo(ratio * proxy.get(scaled.indexOf(l)).notional(), within(1e-6)));
    // long and short sides together hold twice the open interest (each contract is one of each), less the weak levels not kept
    double held = scaled.stream().mapToDouble(Level::notional).sum() / 2;
    assertThat(held).isLessThanOrEqualTo(1_000_000.0 + 1e-6).isGreaterThan(900_000.0);
    // unknown or useless open interest: the traded-notional proxy
    assertThat(LiquidationMap.estimate(bars, null)).isEqualTo(proxy);
    assertThat(LiquidationMap.estimate(bars, 0.0)).isEqualTo(proxy);
  }
}
