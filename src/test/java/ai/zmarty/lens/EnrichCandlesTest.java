package ai.zmarty.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.zmarty.market.Candle;
import ai.zmarty.market.MarketDataProvider;
import ai.zmarty.market.SimulatedMarket;
import ai.zmarty.market.Timeframe;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EnrichCandlesTest {
  private static final Instant T = Instant.parse("2026-01-10T12:00:30Z");
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile boolean down;
  private final SimulatedMarket simulated = new SimulatedMarket(42, Clock.fixed(T.plusSeconds(7200), ZoneOffset.UTC));
  private final MarketDataProvider counting = new MarketDataProvider() {
    @Override
    public Future<List<Candle>> candles(String symbol, String timeframe, Instant from, Instant to) {
      fetches.incrementAndGet();
      return down ? Future.failedFuture(new IllegalStateException("exchange down")) : simulated.candles(symbol, timeframe, from, to);
    }

    @Override
    public Future<Boolean> lists(String symbol, String timeframe) {
      return Future.succeededFuture(true);
    }
  };
  private final EnrichCandles candles = new EnrichCandles(counting);

  private List<Candle> last(String symbol, Instant now) throws Exception {
    return candles.last(symbol, Timeframe.H1, 100, now).await(10, TimeUnit.SECONDS);
  }

  @Test
  void theLastClosedBarsAreFetchedOncePerBarAndSymbol() throws Exception {
    List<Candle> first = last("BTC/USDT", T);
    assertThat(first).hasSize(100);
    assertThat(first.get(99).openTime()).isEqualTo(Instant.parse("2026-01-10T11:00:00Z"));
    assertThat(last("BTC/USDT", T.plusSeconds(3000))).isSameAs(first);
    assertThat(fetches).hasValue(1);
    last("ETH/USDT", T);
    assertThat(fetches).hasValue(2);
    List<Candle> next = last("BTC/USDT", T.plusSeconds(3600));
    assertThat(fetches).hasValue(3);
    assertThat(next.get(99).openTime()).isEqualTo(Instant.parse("2026-01-10T12:00:00Z"));
  }

  @Test
  void aFailedFetchIsNotKept() throws Exception {
    down = true;
    assertThatThrownBy(() -> last("BTC/USDT", T)).hasMessageContaining("exchange down");
    down = false;
    assertThat(last("BTC/USDT", T)).hasSize(100);
    assertThat(fetches).hasValue(2);
  }
}
