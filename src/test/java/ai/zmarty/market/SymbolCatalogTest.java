package ai.zmarty.market;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SymbolCatalogTest {
  /** The simulated market's listing, counting how often it is asked; the next answers can be held or failed. */
  private static final class Counting implements MarketDataProvider {
    final SimulatedMarket inner = new SimulatedMarket(42, Clock.systemUTC());
    final List<String> asked = new ArrayList<>();
    Promise<Boolean> held;
    RuntimeException failing;

    @Override
    public Future<List<Candle>> candles(String symbol, String timeframe, Instant from, Instant to) {
      return inner.candles(symbol, timeframe, from, to);
    }

    @Override
    public Future<Boolean> lists(String symbol, String timeframe) {
      asked.add(symbol);
      if (failing != null) {
        return Future.failedFuture(failing);
      }
      if (held != null) {
        return held.future();
      }
      return inner.lists(symbol, timeframe);
    }
  }

  private final Counting market = new Counting();
  private final AtomicLong now = new AtomicLong(1_000);
  private final SymbolCatalog catalog = new SymbolCatalog(market, "simulated", now::get);

  @Test
  void aYesIsKeptADayAndANoTenMinutes() {
    assertThat(catalog.lists("BTC/USDT", "1h").result()).isTrue();
    assertThat(catalog.lists("Z0000/USDT", "1h").result()).isFalse();
    now.addAndGet(SymbolCatalog.UNLISTED_TTL.toMillis() - 1);
    catalog.lists("BTC/USDT", "1h");
    catalog.lists("Z0000/USDT", "1h");
    assertThat(market.asked).containsExactly("BTC/USDT", "Z0000/USDT");
    now.addAndGet(1);
    assertThat(catalog.lists("Z0000/USDT", "1h").result()).isFalse();
    assertThat(catalog.lists("BTC/USDT", "1h").result()).isTrue();
    assertThat(market.asked).containsExactly("BTC/USDT", "Z0000/USDT", "Z0000/USDT");
    now.addAndGet(SymbolCatalog.LISTED_TTL.toMillis());
    catalog.lists("BTC/USDT", "1h");
    assertThat(market.asked).containsExactly("BTC/USDT", "Z0000/USDT", "Z0000/USDT", "BTC/USDT");
  }

  @Test
  void questionsWhileOneIsInFlightShareItAndAFailureIsNotKept() {
    market.held = Promise.promise();
    Future<Boolean> first = catalog.lists("ETH/USDT", "1h");
    Future<Boolean> second = catalog.lists("ETH/USDT", "1h");
    assertThat(market.asked).containsExactly("ETH/USDT");
    market.held.fail("exchange down");
    assertThat(first.failed()).isTrue();
    assertThat(second.failed()).isTrue();
    market.held = null;
    assertThat(catalog.lists("ETH/USDT", "1h").result()).isTrue();
    assertThat(market.asked).containsExactly("ETH/USDT", "ETH/USDT");
  }

  @Test
  void theCacheIsBounded() {
    for (int i = 0; i < SymbolCatalog.MAX_ENTRIES + 500; i++) {
      catalog.lists(String.format("Z%05d/USDT", i), "1h");
    }
    assertThat(catalog.size()).isEqualTo(SymbolCatalog.MAX_ENTRIES);
  }

  @Test
  void theOfflineMarketsListTheirOwnAssets() {
    SimulatedMarket simulated = new SimulatedMarket(42, Clock.systemUTC());
    assertThat(simulated.lists("BTC/USDT", "1h").result()).isTrue();
    assertThat(simulated.lists("ethusdc", "5m").result()).isTrue();
    assertThat(simulated.lists("Z0000/USDT", "1h").result()).isFalse();
    assertThat(simulated.lists("BTC/EUR", "1h").result()).isFalse();
    assertThat(simulated.lists("BTC/USDT", "17y").result()).isFalse();
    ReplayMarket replay = new ReplayMarket(Instant.parse("2025-01-01T00:00:00Z"), 1, Clock.systemUTC());
    assertThat(replay.lists("BTC/USD", "4h").result()).isTrue();
    assertThat(replay.lists("ETH/USDT", "4h").result()).isTrue();
    assertThat(replay.lists("ETH/USDT", "1h").result()).as("4h only").isFalse();
    assertThat(replay.lists("SOL/USDT", "4h").result()).isFalse();
  }
}
