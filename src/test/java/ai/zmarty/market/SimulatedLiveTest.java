package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;

import ai.zmarty.config.MarketConfig;
import ai.zmarty.config.RawConfig;
import ai.zmarty.config.ZmartyConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatedLiveTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:30Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final MarketConfig SIMULATED = ZmartyConfig.from(RawConfig.load(Map.of())).market();

  private static LiveMarket live(long seed) {
    return LiveMarkets.of(new SimulatedMarket(seed, CLOCK), new MarketConfig(SIMULATED.provider(), seed, Duration.ZERO, SIMULATED.replayStart(), SIMULATED.replaySpeed()), CLOCK);
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  @Test
  void theMidIsTheLastClosedMinutesCloseAndEveryComponentExists() throws Exception {
    LiveMarket live = live(42);
    assertThat(live.provider()).isEqualTo("simulated");
    assertThat(live.version()).isEqualTo("seed-42");
    List<Candle> minutes = new SimulatedMarket(42, CLOCK).bars("BTC/USDT", Timeframe.M1, NOW.minusSeconds(600), NOW);
    LiveMarket.Quote q = await(live.quote("BTC/USDT"));
    assertThat(q).isEqualTo(new LiveMarket.Quote(minutes.get(minutes.size() - 1).close(), Instant.parse("2026-01-10T12:00:00Z")));

    LiveMarket.Book book = await(live.book("BTC/USDT", 10));
    assertThat(book.bids()).hasSize(10);
    assertThat(book.asks()).hasSize(10);
    assertThat(book.bids().get(0).px()).isLessThan(q.mid());
    assertThat(book.asks().get(0).px()).isGreaterThan(q.mid());
    assertThat(book.bids().get(1).px()).isLessThan(book.bids().get(0).px());
    assertThat(book.bids()).allSatisfy(l -> assertThat(l.sz()).isPositive());

    LiveMarket.Derivatives d = await(live.derivatives("BTC/USDT"));
    assertThat(d.funding()).isBetween(-0.00005, 0.0001);
    assertThat(d.predictedFunding()).isBetween(-0.00005, 0.0001);
    assertThat(d.markPx()).isCloseTo(q.mid(), org.assertj.core.api.Assertions.within(q.mid() * 0.001));
    // the last 24 closed 1h bars: 12:00 yesterday to 11:00 today
    List<Candle> hours = new SimulatedMarket(42, CLOCK).bars("BTC/USDT", Timeframe.H1, Instant.parse("2026-01-09T12:00:00Z"), NOW);
    assertThat(hours).hasSize(24);
    assertThat(d.dayNotionalVolume()).isCloseTo(hours.stream().mapToDouble(c -> c.close() * c.volume()).sum(), org.assertj.core.api.Assertions.within(1e-3));
    assertThat(d.openInterestUsd()).isBetween(0.2 * d.dayNotionalVolume() * 0.999, 0.6 * d.dayNotionalVolume() * 1.001);
  }

  @Test
  void everyNodeComputesTheSameFiguresAndAnotherSeedOthers() throws Exception {
    assertThat(await(live(42).book("ETH/USDT", 5))).isEqualTo(await(live(42).book("ETH/USDT", 5)));
    assertThat(await(live(42).derivatives("ETH/USDT"))).isEqualTo(await(live(42).derivatives("ETH/USDT")));
    assertThat(await(live(7).derivatives("ETH/USDT"))).isNotEqualTo(await(live(42).derivatives("ETH/USDT")));
  }

  @Test
  void aSymbolTheSimulatorDoesNotListHasNoQuote() throws Exception {
    assertThat(await(live(42).quote("NOPE/USDT"))).isNull();
    assertThat(await(live(42).derivatives("NOPE/USDT"))).isNull();
  }
}
