package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.market.SimulatedMarket.Regime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedMarketTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:30:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private static SimulatedMarket market(long seed, Instant now) {
    return new SimulatedMarket(seed, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static List<Candle> bars(SimulatedMarket m, String symbol, Instant from, int hours) {
    return m.bars(symbol, Timeframe.H1, from, from.plus(HOUR.multipliedBy(hours)));
  }

  @Test
  void overlappingWindowsAskedSeparatelyAndOnOtherNodesGetTheSameBars() {
    Instant t0 = Instant.parse("2025-11-20T00:00:00Z");
    List<Candle> first = bars(market(42, NOW), "BTC/USDT", t0, 2000);
    // another node (a fresh instance, no cache) asks for a later, overlapping window
    List<Candle> second = bars(market(42, NOW), "BTC/USDT", t0.plus(HOUR.multipliedBy(1500)), 1000);
    List<Candle> again = bars(market(42, NOW), "BTC/USDT", t0.plus(HOUR.multipliedBy(700)), 50);

    assertThat(first).hasSize(2000);
    assertThat(second.subList(0, 500)).isEqualTo(first.subList(1500, 2000));
    assertThat(again).isEqualTo(first.subList(700, 750));
  }

  @Test
  void barsAreConsistentCandlesThatOpenAtThePreviousClose() {
    List<Candle> bars = bars(market(42, NOW), "ETH/USDT", Instant.parse("2026-01-01T00:00:00Z"), 500);
    for (int i = 0; i < bars.size(); i++) {
      Candle c = bars.get(i);
      assertThat(c.openTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").plus(HOUR.multipliedBy(i)));
      assertThat(c.high()).isGreaterThanOrEqualTo(Math.max(c.open(), c.close()));
      assertThat(c.low()).isLessThanOrEqualTo(Math.min(c.open(), c.close())).isPositive();
      assertThat(c.volume()).isPositive();
      if (i > 0) {
        assertThat(c.open()).isEqualTo(bars.get(i - 1).close());
      }
    }
  }

  @Test
  void differentSymbolsAndSeedsGiveDifferentPaths() {
    Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
    List<Double> sol = closes(bars(market(42, NOW), "SOL/USDT", t0, 100));
    List<Double> solUsdc = closes(bars(market(42, NOW), "SOL/USDC", t0, 100));
    List<Double> otherSeed = closes(bars(market(7, NOW), "SOL/USDT", t0, 100));
    assertThat(sol).isNotEqualTo(solUsdc).isNotEqualTo(otherSeed);
  }

  @Test
  void pricesStartAtTheSymbolsBasePrice() {
    SimulatedMarket m = market(42, NOW);
    assertThat(m.bars("BTC/USDT", Timeframe.H1, SimulatedMarket.ANCHOR, SimulatedMarket.ANCHOR.plus(HOUR)).get(0).open()).isEqualTo(60_000.0);
    assertThat(m.bars("ETH/USDT", Timeframe.D1, SimulatedMarket.ANCHOR, SimulatedMarket.ANCHOR.plus(Duration.ofDays(1))).get(0).open()).isEqualTo(3_000.0);
    assertThat(SimulatedMarket.basePrice("SOL/USDT")).isEqualTo(150.0);
    assertThat(SimulatedMarket.basePrice("DOGE/USDT")).isBetween(0.1, 1000.0).isEqualTo(SimulatedMarket.basePrice("dogeusdt"));
    // a year on, the walk is still in a plausible band around the base price
    for (Candle c : bars(m, "BTC/USDT", Instant.parse("2026-01-01T00:00:00Z"), 1000)) {
      assertThat(c.close()).isBetween(20_000.0, 180_000.0);
    }
  }

  @Test
  void onlyClosedBarsAreReturned() {
    Instant from = Instant.parse("2026-03-01T00:00:00Z");
    List<Candle> at1230 = bars(market(42, NOW), "BTC/USDT", from, 48);
    assertThat(at1230).hasSize(12); // 00:00 … 11:00; the 12:00 bar is still forming
    assertThat(at1230.get(11).openTime()).isEqualTo("2026-03-01T11:00:00Z");
    List<Candle> at1300 = bars(market(42, Instant.parse("2026-03-01T13:00:00Z")), "BTC/USDT", from, 48);
    assertThat(at1300).hasSize(13);
    assertThat(at1300.subList(0, 12)).isEqualTo(at1230);
  }

  @Test
  void windowsStartAtTheFirstBarBoundaryAndNeverBeforeTheAnchor() {
    SimulatedMarket m = market(42, NOW);
    List<Candle> bars = m.bars("BTC/USDT", Timeframe.H4, Instant.parse("2026-01-01T01:00:00Z"), Instant.parse("2026-01-01T12:00:00Z"));
    assertThat(bars).extracting(Candle::openTime).containsExactly(Instant.parse("2026-01-01T04:00:00Z"), Instant.parse("2026-01-01T08:00:00Z"));
    List<Candle> early = m.bars("BTC/USDT", Timeframe.D1, Instant.parse("2024-12-30T00:00:00Z"), Instant.parse("2025-01-03T00:00:00Z"));
    assertThat(early).extracting(Candle::openTime).first().isEqualTo(SimulatedMarket.ANCHOR);
    assertThat(early).hasSize(2);
  }

  @Test
  void hugeWindowsAreRefused() {
    SimulatedMarket m = market(42, NOW);
    assertThatThrownBy(() -> m.bars("BTC/USDT", Timeframe.M1, Instant.parse("2026-01-01T00:00:00Z"), NOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 5000 bars");
    assertThat(m.candles("BTC/USDT", "7h", NOW.minus(HOUR), NOW).failed()).isTrue();
  }

  @Test
  void trendingAndRangingRegimesBothOccurAndMoveThePriceDifferently() {
    SimulatedMarket m = market(42, NOW);
    Instant t0 = Instant.parse("2025-06-01T00:00:00Z");
    int blocks = 100;
    // blocks are counted from the anchor; t0 is 3624 h after it, so start at the next block boundary
    long offset = Duration.between(SimulatedMarket.ANCHOR, t0).toHours() % SimulatedMarket.REGIME_BARS;
    Instant start = t0.plus(HOUR.multipliedBy((SimulatedMarket.REGIME_BARS - offset) % SimulatedMarket.REGIME_BARS));
    List<Candle> bars = bars(m, "BTC/USDT", start, blocks * SimulatedMarket.REGIME_BARS);

    Map<Regime, List<Double>> moves = new EnumMap<>(Regime.class);
    for (int b = 0; b < blocks; b++) {
      Candle first = bars.get(b * SimulatedMarket.REGIME_BARS);
      Candle last = bars.get((b + 1) * SimulatedMarket.REGIME_BARS - 1);
      Regime regime = m.regime("BTC/USDT", Timeframe.H1, first.openTime());
      assertThat(m.regime("BTC/USDT", Timeframe.H1, last.openTime())).isEqualTo(regime);
      moves.computeIfAbsent(regime, r -> new ArrayList<>()).add(Math.log(last.close() / first.open()));
    }
    assertThat(moves.keySet()).containsExactlyInAnyOrder(Regime.TREND_UP, Regime.TREND_DOWN, Regime.RANGE);
    double up = mean(moves.get(Regime.TREND_UP));
    double down = mean(moves.get(Regime.TREND_DOWN));
    double range = moves.get(Regime.RANGE).stream().mapToDouble(Math::abs).average().orElseThrow();
    assertThat(up).isPositive();
    assertThat(down).isNegative();
    assertThat(Math.min(up, -down)).isGreaterThan(2 * range);
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static List<Double> closes(List<Candle> bars) {
    return bars.stream().map(Candle::close).toList();
  }
}
