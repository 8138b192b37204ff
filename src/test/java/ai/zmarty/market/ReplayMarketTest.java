package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.config.MarketConfig;
import ai.zmarty.config.MarketConfig.Provider;
import ai.zmarty.config.MarketConfig.ReplaySpeed;
import ai.zmarty.testing.MovableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayMarketTest {
  private static final Instant WALL = Instant.parse("2026-02-10T12:00:00Z");
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void servesOnlyBarsClosedInReplayTime() {
    ReplayMarket m = new ReplayMarket(START.plus(Duration.ofMinutes(90)), 1, Clock.fixed(WALL, ZoneOffset.UTC));
    List<Candle> bars = m.bars("BTC/USD", "4h", START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(1)));
    // replay now 01:30 on 2025-01-01: the bar of 00:00–04:00 is still forming
    assertThat(bars).hasSize(6);
    assertThat(bars.get(bars.size() - 1).openTime()).isEqualTo("2024-12-31T20:00:00Z");
    assertThat(bars).extracting(Candle::openTime).isSorted().allMatch(t -> !t.plus(Duration.ofHours(4)).isAfter(m.now()));
  }

  @Test
  void advancesOneBarPerTickAtOneBarPerSecond() {
    MovableClock wall = new MovableClock(WALL);
    ReplayMarket m = new ReplayMarket(START, ReplayMarket.speedOf(1), wall);
    Instant from = START.minus(Duration.ofDays(2));
    int before = m.bars("BTC/USDT", "4h", from, START.plus(Duration.ofDays(30))).size();
    wall.now = WALL.plusSeconds(1);
    assertThat(m.now()).isEqualTo(START.plus(Duration.ofHours(4)));
    List<Candle> after = m.bars("BTC/USDT", "4h", from, START.plus(Duration.ofDays(30)));
    assertThat(after).hasSize(before + 1);
    assertThat(after.get(after.size() - 1).openTime()).isEqualTo(START);
    wall.now = WALL.plusSeconds(6);
    assertThat(m.bars("BTC/USDT", "4h", from, START.plus(Duration.ofDays(30)))).hasSize(before + 6);
    // the replay clock that the workers use runs with it
    assertThat(m.clock(Clock.systemUTC()).instant()).isEqualTo(START.plus(Duration.ofHours(24)));
  }

  @Test
  void realtimeMovesWithTheWallClock() {
    MovableClock wall = new MovableClock(WALL);
    ReplayMarket m = new ReplayMarket(START, 1, wall);
    wall.now = WALL.plus(Duration.ofHours(3));
    assertThat(m.now()).isEqualTo(START.plus(Duration.ofHours(3)));
  }

  @Test
  void theBarsAreTheShippedHistory() {
    ReplayMarket m = new ReplayMarket(Instant.parse("2030-01-01T00:00:00Z"), 1, Clock.fixed(WALL, ZoneOffset.UTC));
    List<Candle> btc = m.bars("BTC", "4h", Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(btc).hasSize(20_695).isEqualTo(CandleCsv.resource("market/btc_usd_4h.csv"));
    assertThat(btc.get(0)).isEqualTo(new Candle(Instant.ofEpochMilli(1463544000000L), 456.16, 456.81, 455.3, 456.02, 561.88098307));
    assertThat(m.bars("ethusdt", "4h", Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"))).hasSize(20_675);
    assertThat(m.bars("ETH-PERP", "4h", START, START.plus(Duration.ofHours(8)))).extracting(Candle::openTime).containsExactly(START, START.plus(Duration.ofHours(4)));
  }

  @Test
  void refusesOtherTimeframesAndSymbolsWithAClearError() {
    ReplayMarket m = new ReplayMarket(START, 1, Clock.fixed(WALL, ZoneOffset.UTC));
    assertThat(m.candles("BTC/USD", "1h", START, START).cause()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4h bars only, not 1h");
    assertThat(m.candles("SOL/USDT", "4h", START, START).cause()).hasMessageContaining("BTC and ETH only").hasMessageContaining("SOL/USDT");
    assertThat(m.candles("BTC/USD", "7h", START, START).cause()).hasMessageContaining("unknown timeframe");
    assertThatThrownBy(() -> new ReplayMarket(START, 0, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void marketProvidersBuildsItFromTheConfig() {
    MarketConfig config = new MarketConfig(Provider.REPLAY, 42, Duration.ZERO, START, new ReplaySpeed(2.0));
    MarketDataProvider p = MarketProviders.create(config, Clock.fixed(WALL, ZoneOffset.UTC));
    assertThat(p).isInstanceOf(ReplayMarket.class);
    assertThat(p.clock(Clock.systemUTC()).instant()).isEqualTo(START);
    MarketDataProvider delayed = MarketProviders.create(new MarketConfig(Provider.REPLAY, 42, Duration.ofMillis(5), START, ReplaySpeed.REALTIME), Clock.fixed(WALL, ZoneOffset.UTC));
    assertThat(delayed.clock(Clock.systemUTC()).instant()).isEqualTo(START);
  }
}
